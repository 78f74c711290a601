package io.fiscald.cli;

import io.fiscald.bench.reliability.DaemonProcess;
import io.fiscald.bench.reliability.Report;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What every {@code fiscalctl bench <reliability harness>} shares: a scratch directory (deleted afterwards
 * unless --keep), the report as a table or one JSON document, and exit 1 when an invariant was violated.
 */
abstract class ReliabilityBench extends BaseCommand {
  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Scratch directory for the harness's devices and logs (default: a new temporary directory).")
  Path workDir;

  @Option(names = "--keep", description = "Keep the scratch directory (logs, databases) afterwards.")
  boolean keep;

  abstract Report harness(Path work) throws Exception;

  @Override
  final int run() throws Exception {
    Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("fiscald-bench-");
    Report report;
    try {
      report = harness(work);
    } finally {
      if (!keep && workDir == null) {
        deleteTree(work);
      }
    }
    if (json()) {
      System.out.println(report.toJson());
    } else {
      System.out.print(report.table());
      if (keep || workDir != null) {
        System.out.println("  scratch directory: " + work);
      }
    }
    System.out.flush();
    return report.ok() ? 0 : 1;
  }

  /** How the harness starts {@code fiscalctl serve}: this very JVM's class path, with the lean till flags. */
  static List<String> launcher() {
    List<String> command = new ArrayList<>(DaemonProcess.sameClassPath(Main.class.getName()));
    return command;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
