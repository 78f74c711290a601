package io.fiscald.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Small key/value facts about the data directory (chain head, device id, last backup). */
public final class Meta {
  private Meta() {}

  public static void put(Connection c, String key, String value) {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
      ps.setString(1, key);
      ps.setString(2, value);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot write meta " + key + ": " + e.getMessage(), e);
    }
  }

  public static Optional<String> get(Connection c, String key) {
    try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read meta " + key + ": " + e.getMessage(), e);
    }
  }
}
