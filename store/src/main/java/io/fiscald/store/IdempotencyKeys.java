package io.fiscald.store;

import java.sql.Connection;
import java.util.Optional;

/** The {@code idempotency_keys} table: first answers of state-changing API calls, by token and key. */
public final class IdempotencyKeys {
  private IdempotencyKeys() {}

  public static Optional<IdempotencyRecord> find(Connection c, String tokenName, String key) {
    return Sql.one(c, "read idempotency key", rs -> new IdempotencyRecord(rs.getString(1), rs.getString(2),
            rs.getBytes(3), rs.getInt(4), rs.getString(5), rs.getString(6)),
        "SELECT token_name, key, request_hash, status, response, created_at FROM idempotency_keys"
            + " WHERE token_name = ? AND key = ?", tokenName, key);
  }

  /** Stores the answer; fails (StoreException) when the key is already there. */
  public static void insert(Connection c, IdempotencyRecord r) {
    Sql.update(c, "store idempotency key",
        "INSERT INTO idempotency_keys (token_name, key, request_hash, status, response, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        r.tokenName(), r.key(), r.requestHash(), r.status(), r.response(), r.createdAt());
  }

  /** Stores the answer of a key inserted earlier in the same transaction (the core signs before it answers). */
  public static void setResponse(Connection c, String tokenName, String key, String response) {
    Sql.update(c, "store idempotent answer",
        "UPDATE idempotency_keys SET response = ? WHERE token_name = ? AND key = ?", response, tokenName, key);
  }

  /** Forgets one key if it was stored before {@code cutoff} (it has expired); returns whether it did. */
  public static boolean deleteIfOlderThan(Connection c, String tokenName, String key, String cutoff) {
    return Sql.update(c, "expire idempotency key",
        "DELETE FROM idempotency_keys WHERE token_name = ? AND key = ? AND created_at < ?",
        tokenName, key, cutoff) == 1;
  }

  /** Forgets every key stored before {@code cutoff}; returns how many. */
  public static int deleteOlderThan(Connection c, String cutoff) {
    return Sql.update(c, "expire idempotency keys", "DELETE FROM idempotency_keys WHERE created_at < ?", cutoff);
  }

  public static long count(Connection c) {
    return Sql.scalarLong(c, "count idempotency keys", "SELECT count(*) FROM idempotency_keys");
  }
}
