package io.fiscald.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The few JDBC shapes the DAOs repeat: bind-and-update, bind-and-map, with errors that say what failed. */
final class Sql {
  private Sql() {}

  /** Maps the current row of a result set. */
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  static int update(Connection c, String what, String sql, Object... args) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  /** Runs an INSERT and returns the new row id. */
  static long insert(Connection c, String what, String sql, Object... args) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      ps.executeUpdate();
      // prepared rather than a plain statement, so a StatementCache connection reuses it too
      try (PreparedStatement id = c.prepareStatement("SELECT last_insert_rowid()"); ResultSet rs = id.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  static <T> List<T> list(Connection c, String what, RowMapper<T> mapper, String sql, Object... args) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  static <T> Optional<T> one(Connection c, String what, RowMapper<T> mapper, String sql, Object... args) {
    List<T> rows = list(c, what, mapper, sql, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  static long scalarLong(Connection c, String what, String sql, Object... args) {
    return one(c, what, rs -> rs.getLong(1), sql, args).orElse(0L);
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }
}
