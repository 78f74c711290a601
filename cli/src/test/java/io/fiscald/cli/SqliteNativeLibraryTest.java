package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up cache's copy of SQLite's native library: made once per version, byte for byte the jar's. */
class SqliteNativeLibraryTest {
  @TempDir
  Path tmp;

  @Test
  void copiesTheLibraryForThisPlatformOnceAndReusesIt() throws Exception {
    Path cache = tmp.resolve("cache");
    Path lib = SqliteNativeLibrary.cachedCopy(cache);
    assertThat(lib).isNotNull().isRegularFile().hasParent(cache);
    String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/"
        + org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
    try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream(resource)) {
      assertThat(Files.readAllBytes(lib)).isEqualTo(in.readAllBytes());
    }
    assertThat(lib.getFileName().toString()).startsWith("sqlite-").contains("-Linux-")
        .endsWith(org.sqlite.util.LibraryLoaderUtil.getNativeLibName());
    try (var files = Files.list(cache)) {
      assertThat(files).as("no temporary file left behind").containsExactly(lib);
    }

    FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(lib, old);
    assertThat(SqliteNativeLibrary.cachedCopy(cache)).isEqualTo(lib);
    assertThat(Files.getLastModifiedTime(lib)).as("reused, not copied again").isEqualTo(old);
  }

  @Test
  void aCacheThatCannotBeWrittenLeavesSqliteAlone() throws Exception {
    Path notADirectory = Files.writeString(tmp.resolve("file"), "x");
    String before = System.getProperty("org.sqlite.lib.path");
    String old = System.setProperty(SqliteNativeLibrary.CACHE_DIR_PROPERTY, notADirectory.resolve("cache").toString());
    try {
      SqliteNativeLibrary.useCachedCopy();
      assertThat(System.getProperty("org.sqlite.lib.path")).isEqualTo(before);
    } finally {
      if (old == null) {
        System.clearProperty(SqliteNativeLibrary.CACHE_DIR_PROPERTY);
      } else {
        System.setProperty(SqliteNativeLibrary.CACHE_DIR_PROPERTY, old);
      }
    }
  }
}
