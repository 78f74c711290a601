package io.fiscald.store;

/**
 * A message waiting for (or done with) the tax authority.
 *
 * @param receiptId null for messages that are not about one receipt (open day, close day)
 * @param status PENDING, SENT or REJECTED
 */
public record OutboxMessage(
    long id,
    Long receiptId,
    long journalSeq,
    String authority,
    String messageType,
    String payload,
    String status,
    int attempts,
    String nextAttemptAt,
    String lastError,
    String response,
    String createdAt,
    String sentAt) {}
