package io.fiscald.store;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/** The {@code api_tokens} table: names, roles and hashes of the local API's tokens. */
public final class ApiTokens {
  private static final String COLUMNS = "name, role, token_hash, created_at, revoked_at";

  private ApiTokens() {}

  /** Adds a token; fails (StoreException) when the name is taken, even by a revoked token. */
  public static void insert(Connection c, String name, String role, byte[] tokenHash, String createdAt) {
    Sql.update(c, "store token " + name,
        "INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
        name, role, tokenHash, createdAt);
  }

  /** Adds or replaces the token called {@code name} (the daemon's own technician token, renewed at each start). */
  public static void replace(Connection c, String name, String role, byte[] tokenHash, String createdAt) {
    Sql.update(c, "store token " + name,
        "INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash,"
            + " created_at = excluded.created_at, revoked_at = NULL",
        name, role, tokenHash, createdAt);
  }

  public static Optional<ApiToken> find(Connection c, String name) {
    return Sql.one(c, "read token " + name, ApiTokens::map,
        "SELECT " + COLUMNS + " FROM api_tokens WHERE name = ?", name);
  }

  /** Tokens that are not revoked. */
  public static List<ApiToken> active(Connection c) {
    return Sql.list(c, "read tokens", ApiTokens::map,
        "SELECT " + COLUMNS + " FROM api_tokens WHERE revoked_at IS NULL ORDER BY name");
  }

  public static List<ApiToken> all(Connection c) {
    return Sql.list(c, "read tokens", ApiTokens::map, "SELECT " + COLUMNS + " FROM api_tokens ORDER BY name");
  }

  /** Revokes the token; false when there is no active token of that name. */
  public static boolean revoke(Connection c, String name, String revokedAt) {
    return Sql.update(c, "revoke token " + name,
        "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", revokedAt, name) == 1;
  }

  private static ApiToken map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new ApiToken(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getString(5));
  }
}
