package io.fiscald.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** A scratch directory for one benchmark run: the one given, or a fresh temporary one removed afterwards. */
final class BenchScratch implements AutoCloseable {
  private final Path dir;
  private final boolean temporary;

  private BenchScratch(Path dir, boolean temporary) {
    this.dir = dir;
    this.temporary = temporary;
  }

  static BenchScratch of(Path given, String prefix) throws IOException {
    if (given != null) {
      Files.createDirectories(given);
      return new BenchScratch(Files.createTempDirectory(given, prefix), false);
    }
    return new BenchScratch(Files.createTempDirectory(prefix), true);
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() throws IOException {
    if (!temporary) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
