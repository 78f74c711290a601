package io.fiscald.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward-only schema migrations kept as {@code migrations/V<n>__<name>.sql} resources; the
 * database's {@code PRAGMA user_version} records the last one applied. Each step runs in its own
 * transaction together with the version bump, so a crash leaves the file at a whole version.
 */
public final class Migrations {
  /** Resource names in order; the position + 1 is the version. Never edit or reorder a shipped one. */
  private static final List<String> STEPS = List.of(
      "V1__journal_and_state.sql",
      "V2__receipt_lookup_and_idempotency.sql",
      "V3__authority_state.sql",
      "V4__api_tokens_and_webhooks.sql");

  private Migrations() {}

  public static int latestVersion() {
    return STEPS.size();
  }

  public static int currentVersion(Connection connection) {
    try (Statement st = connection.createStatement();
        var rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      throw new StoreException("cannot read schema version: " + e.getMessage(), e);
    }
  }

  /** Brings the schema to the latest version; refuses a file written by a newer fiscald. */
  public static void migrate(Connection connection) {
    migrateTo(connection, latestVersion());
  }

  /** Applies the steps after the current version up to {@code target} (tests start from old versions). */
  public static void migrateTo(Connection connection, int target) {
    if (target < 0 || target > latestVersion()) {
      throw new StoreException("no schema version " + target + "; this fiscald knows versions 1 to " + latestVersion());
    }
    int current = currentVersion(connection);
    if (current > latestVersion()) {
      throw new StoreException("database schema version " + current
          + " is newer than this fiscald understands (" + latestVersion() + "); upgrade fiscald");
    }
    for (int version = current + 1; version <= target; version++) {
      apply(connection, version, readStep(STEPS.get(version - 1)));
    }
  }

  private static void apply(Connection connection, int version, List<String> statements) {
    boolean autoCommit = autoCommit(connection);
    try {
      connection.setAutoCommit(false);
      try (Statement st = connection.createStatement()) {
        for (String sql : statements) {
          st.execute(sql);
        }
        st.execute("PRAGMA user_version = " + version);
      }
      connection.commit();
    } catch (SQLException e) {
      rollbackQuietly(connection);
      throw new StoreException("schema migration to version " + version + " failed: " + e.getMessage(), e);
    } finally {
      try {
        connection.setAutoCommit(autoCommit);
      } catch (SQLException ignored) {
        // the connection is broken; the next use reports it
      }
    }
  }

  private static boolean autoCommit(Connection connection) {
    try {
      return connection.getAutoCommit();
    } catch (SQLException e) {
      throw new StoreException("database connection is not usable: " + e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the failure being reported matters more
    }
  }

  static List<String> readStep(String name) {
    try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
      if (in == null) {
        throw new StoreException("migration resource missing: " + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return splitStatements(text);
    } catch (IOException e) {
      throw new StoreException("cannot read migration " + name, e);
    }
  }

  /** Splits on ';' at line ends after dropping '--' comment lines; migrations hold no triggers. */
  private static List<String> splitStatements(String text) {
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String part : sql.toString().split(";\\s*\n")) {
      if (!part.isBlank()) {
        statements.add(part.strip());
      }
    }
    return statements;
  }
}
