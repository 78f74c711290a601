package io.fiscald.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * Opens the fiscald SQLite file with the settings durability depends on: WAL journal,
 * {@code synchronous=FULL} (a commit returns only after fsync), foreign keys, a busy timeout, and
 * immediate write transactions so two writers never deadlock on lock upgrade.
 */
public final class Database {
  public static final String FILE_NAME = "fiscald.db";
  private static final int BUSY_TIMEOUT_MS = 5_000;

  private Database() {}

  /** Opens (creating if needed) and migrates the database at {@code file}, for reading and writing. */
  public static Connection openForWriting(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create directory for " + file + ": " + e.getMessage(), e);
    }
    Connection connection = open(file, false);
    Migrations.migrate(connection);
    return connection;
  }

  /** Opens an existing database without migrating or writing (audits, status, backups being checked). */
  public static Connection openReadOnly(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StoreException("no fiscald database at " + file);
    }
    return open(file, true);
  }

  /** Opens without running migrations; tests use it to build databases at older schema versions. */
  public static Connection openUnmigrated(Path file) {
    return open(file, false);
  }

  private static Connection open(Path file, boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    // nobody reads getGeneratedKeys() (Sql.insert asks last_insert_rowid() itself); left on, the driver
    // prepares, runs and finalizes one more statement after every INSERT
    config.setGetGeneratedKeys(false);
    if (!readOnly) {
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    }
    // (a read-only handle keeps DEFERRED: BEGIN IMMEDIATE asks for the write lock and fails on it,
    // while a deferred transaction is exactly the consistent read snapshot a reader wants)
    try {
      Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      if (readOnly) {
        // a read-only handle can still see uncheckpointed WAL frames; make sure it is WAL-aware
        try (Statement st = connection.createStatement()) {
          st.execute("PRAGMA query_only = true");
        }
      }
      return connection;
    } catch (SQLException e) {
      throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code PRAGMA integrity_check}: "ok" or SQLite's description of the first problems. */
  public static String integrityCheck(Connection connection) {
    try (Statement st = connection.createStatement();
        var rs = st.executeQuery("PRAGMA integrity_check")) {
      StringBuilder out = new StringBuilder();
      while (rs.next()) {
        if (out.length() > 0) {
          out.append("; ");
        }
        out.append(rs.getString(1));
      }
      return out.toString();
    } catch (SQLException e) {
      return "integrity_check failed: " + e.getMessage();
    }
  }
}
