package io.fiscald.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts fiscalctl in a separate JVM, as a till would run it, so tests can SIGKILL it. */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().remove("FISCALD_MASTER_KEY");
    pb.redirectError(workDir.resolve("child-stderr.log").toFile());
    return pb.start();
  }
}
