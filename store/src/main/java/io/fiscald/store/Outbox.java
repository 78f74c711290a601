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

  private static final String COLUMNS = "id, receipt_id, journal_seq, authority, message_type, payload, status,"
      + " attempts, next_attempt_at, last_error, response, created_at, sent_at";

  /** The oldest pending message of {@code authority}: authorities take messages strictly in order. */
  public static java.util.Optional<OutboxMessage> nextPending(Connection c, String authority) {
    return Sql.one(c, "read outbox", Outbox::map, "SELECT " + COLUMNS
        + " FROM outbox WHERE authority = ? AND status = 'PENDING' ORDER BY id LIMIT 1", authority);
  }

  /** Up to {@code limit} pending messages of {@code authority} in order. */
  public static java.util.List<OutboxMessage> pending(Connection c, String authority, int limit) {
    return Sql.list(c, "read outbox", Outbox::map, "SELECT " + COLUMNS
        + " FROM outbox WHERE authority = ? AND status = 'PENDING' ORDER BY id LIMIT ?", authority, limit);
  }

  public static java.util.Optional<OutboxMessage> get(Connection c, long id) {
    return Sql.one(c, "read outbox message " + id, Outbox::map, "SELECT " + COLUMNS + " FROM outbox WHERE id = ?", id);
  }

  /** The latest message about a receipt: what the POS sees as its sync state. */
  public static java.util.Optional<OutboxMessage> latestForReceipt(Connection c, long receiptId) {
    return Sql.one(c, "read sync state of receipt " + receiptId, Outbox::map, "SELECT " + COLUMNS
        + " FROM outbox WHERE receipt_id = ? ORDER BY id DESC LIMIT 1", receiptId);
  }

  /** The authority accepted the message; {@code response} is its answer as JSON. */
  public static void markSent(Connection c, long id, String response, String sentAt) {
    Sql.update(c, "mark outbox message " + id + " sent",
        "UPDATE outbox SET status = 'SENT', attempts = attempts + 1, response = ?, sent_at = ?, last_error = NULL,"
            + " next_attempt_at = NULL WHERE id = ?", response, sentAt, id);
  }

  /** A failed attempt that will be retried (network, 5xx): the message stays PENDING. */
  public static void recordAttempt(Connection c, long id, String error, String nextAttemptAt) {
    Sql.update(c, "record attempt of outbox message " + id,
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
        error, nextAttemptAt, id);
  }

  /** The authority refused the message for good (validation error); kept, with its reason, for the technician. */
  public static void markRejected(Connection c, long id, String error, String response) {
    Sql.update(c, "mark outbox message " + id + " rejected",
        "UPDATE outbox SET status = 'REJECTED', attempts = attempts + 1, last_error = ?, response = ? WHERE id = ?",
        error, response, id);
  }

  public static long rejectedCount(Connection c) {
    return Sql.scalarLong(c, "count outbox", "SELECT count(*) FROM outbox WHERE status = 'REJECTED'");
  }

  private static OutboxMessage map(java.sql.ResultSet rs) throws java.sql.SQLException {
    long receiptId = rs.getLong(2);
    Long receipt = rs.wasNull() ? null : receiptId;
    return new OutboxMessage(rs.getLong(1), receipt, rs.getLong(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10), rs.getString(11),
        rs.getString(12), rs.getString(13));
  }

  /** Receipts the authority accepted (their outbox message SENT); day closes and other messages not counted. */
  public static long sentReceiptCount(Connection c) {
    return Sql.scalarLong(c, "count outbox",
        "SELECT count(*) FROM outbox WHERE status = 'SENT' AND receipt_id IS NOT NULL");
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
