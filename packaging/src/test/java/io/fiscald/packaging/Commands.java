package io.fiscald.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the Debian tools the package tests inspect the .deb with, output captured in files (no pipe deadlocks). */
final class Commands {
  private Commands() {}

  /** What a finished command left behind. */
  record Result(int exit, String out, String err) {
    Result assertOk(String what) {
      if (exit != 0) {
        throw new AssertionError(what + " exited " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return this;
    }
  }

  /** Runs {@code command} with this JVM's environment changed by {@code env} (a null value removes the variable). */
  static Result run(Duration timeout, Map<String, String> env, List<String> command) throws IOException,
      InterruptedException {
    Path out = Files.createTempFile("cmd", ".out");
    Path err = Files.createTempFile("cmd", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      env.forEach((k, v) -> {
        if (v == null) {
          pb.environment().remove(k);
        } else {
          pb.environment().put(k, v);
        }
      });
      Process p = pb.start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(command + " did not finish within " + timeout + "\nstdout:\n"
            + Files.readString(out, StandardCharsets.UTF_8) + "\nstderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Result run(String... command) throws IOException, InterruptedException {
    return run(Duration.ofMinutes(3), Map.of(), List.of(command));
  }

  /** Whether {@code tool} is an executable on the PATH. */
  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static boolean isRoot() throws IOException, InterruptedException {
    return "0".equals(run("id", "-u").out().strip());
  }
}
