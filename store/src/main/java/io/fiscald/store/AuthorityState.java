package io.fiscald.store;

import java.sql.Connection;
import java.util.Optional;

/** Per-authority documents (e.g. ZIMRA's getConfig answer, KRA's code lists) kept as JSON text. */
public final class AuthorityState {
  private AuthorityState() {}

  public static void put(Connection c, String authority, String key, String json, String updatedAt) {
    Sql.update(c, "store " + authority + " state " + key,
        "INSERT INTO authority_state (authority, key, value, updated_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (authority, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        authority, key, json, updatedAt);
  }

  public static Optional<String> get(Connection c, String authority, String key) {
    return Sql.one(c, "read " + authority + " state " + key, rs -> rs.getString(1),
        "SELECT value FROM authority_state WHERE authority = ? AND key = ?", authority, key);
  }
}
