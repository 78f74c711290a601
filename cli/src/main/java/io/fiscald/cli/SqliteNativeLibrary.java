package io.fiscald.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * SQLite's native library kept in a cache directory instead of being extracted from the jar to /tmp at every
 * start (sqlite-jdbc's default; about a megabyte written and mapped anew each time, docs/PERFORMANCE.md
 * "Footprint"). The launchers name the directory with {@code -Dfiscald.cacheDir=DIR} for {@code serve}: the
 * library is copied there once per sqlite-jdbc version, and sqlite-jdbc is pointed at it.
 */
final class SqliteNativeLibrary {
  static final String CACHE_DIR_PROPERTY = "fiscald.cacheDir";

  private SqliteNativeLibrary() {}

  /**
   * Points sqlite-jdbc at the cached copy of its library in {@code -Dfiscald.cacheDir}, copying it there first
   * when missing. Without the property, with org.sqlite.lib.path already set or on any failure (a read-only
   * directory), sqlite-jdbc does what it always does.
   */
  static void useCachedCopy() {
    String dir = System.getProperty(CACHE_DIR_PROPERTY);
    if (dir == null || dir.isBlank() || System.getProperty("org.sqlite.lib.path") != null) {
      return;
    }
    try {
      Path lib = cachedCopy(Path.of(dir));
      if (lib != null) {
        System.setProperty("org.sqlite.lib.path", lib.getParent().toString());
        System.setProperty("org.sqlite.lib.name", lib.getFileName().toString());
      }
    } catch (IOException | RuntimeException e) {
      // no cache: sqlite-jdbc extracts to the temporary directory as before
    }
  }

  /** The library for this OS and architecture in {@code dir}, copied from the class path if needed; or null. */
  static Path cachedCopy(Path dir) throws IOException {
    String version = resourceText("/META-INF/maven/org.xerial/sqlite-jdbc/VERSION").lines()
        .filter(l -> l.startsWith("version=")).map(l -> l.substring("version=".length()).strip())
        .findFirst().orElse(null);
    String folder = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath(); // /org/sqlite/native/Linux/x86_64
    String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
    String resource = folder + "/" + name;
    if (version == null || !folder.contains("/native/") || SqliteNativeLibrary.class.getResource(resource) == null) {
      return null;
    }
    // one file per version and platform: a new jar never loads an older library with other JNI symbols
    String platform = folder.substring(folder.indexOf("/native/") + "/native/".length()).replace('/', '-');
    Path lib = dir.resolve("sqlite-" + version + "-" + platform + "-" + name);
    if (Files.isRegularFile(lib)) {
      return lib;
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, name, ".tmp");
    try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream(resource)) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE); // never a half-written library under the real name
    } finally {
      Files.deleteIfExists(tmp);
    }
    return lib;
  }

  private static String resourceText(String name) throws IOException {
    try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream(name)) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
