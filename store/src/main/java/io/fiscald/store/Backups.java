package io.fiscald.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Online, consistent copies of the database: {@code VACUUM INTO} reads one snapshot while receipts
 * keep being written, and produces a compact standalone file (no WAL beside it).
 */
public final class Backups {
  private Backups() {}

  /** Writes a snapshot of {@code source} to {@code target} (which must not exist) and checks its integrity. */
  public static void snapshot(Connection source, Path target) {
    if (Files.exists(target)) {
      throw new StoreException("backup target " + target + " already exists");
    }
    String path = target.toAbsolutePath().toString().replace("'", "''");
    try (Statement st = source.createStatement()) {
      // query_only (set on Database.openReadOnly handles) also forbids writing the VACUUM INTO
      // target; lift it for this one statement. The source file itself stays untouched: a read-only
      // handle is opened SQLITE_OPEN_READONLY, and VACUUM INTO only reads the source.
      boolean queryOnly = queryOnly(st);
      if (queryOnly) {
        st.execute("PRAGMA query_only = false");
      }
      try {
        st.execute("VACUUM INTO '" + path + "'");
      } finally {
        if (queryOnly) {
          st.execute("PRAGMA query_only = true");
        }
      }
    } catch (SQLException e) {
      throw new StoreException("backup to " + target + " failed: " + e.getMessage(), e);
    }
    try (Connection copy = Database.openReadOnly(target)) {
      String check = Database.integrityCheck(copy);
      if (!"ok".equals(check)) {
        throw new StoreException("backup " + target + " failed its integrity check: " + check);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot verify backup " + target + ": " + e.getMessage(), e);
    }
  }

  private static boolean queryOnly(Statement st) throws SQLException {
    try (var rs = st.executeQuery("PRAGMA query_only")) {
      return rs.next() && rs.getInt(1) != 0;
    }
  }
}
