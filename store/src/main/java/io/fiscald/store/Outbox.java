package io.fiscald.store;

import java.sql.Connection;

/** The {@code outbox}: messages for the tax authority, written in the receipt's own transaction. */
public final class Outbox {
  private Outbox() {}

  public static long enqueue(Connection c, Long receiptId, long journalSeq, String authority,
      String messageType, String payload, String createdAt) {
    return Sql.insert(c, "queue " + messageType + " for " + authority,
        "INSERT INTO outbox (receipt_id, journal_seq, authority, message_type, payload, status, created_at)"
            + " VALUES (?, ?, ?, ?, ?, 'PENDING', ?)",
        receiptId, journalSeq, authority, messageType, payload, createdAt);
  }

  public static long pendingCount(Connection c) {
    return Sql.scalarLong(c, "count outbox", "SELECT count(*) FROM outbox WHERE status = 'PENDING'");
  }

  /** Creation time of the oldest pending message, if any. */
  public static java.util.Optional<String> oldestPending(Connection c) {
    return Sql.one(c, "read outbox", rs -> rs.getString(1),
        "SELECT created_at FROM outbox WHERE status = 'PENDING' ORDER BY id LIMIT 1");
  }
}
