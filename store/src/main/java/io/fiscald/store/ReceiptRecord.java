package io.fiscald.store;

/**
 * A fiscal receipt row: the columns POS lookups and reports need, plus {@code body}, the canonical
 * JSON that is also the journal payload at {@code journalSeq} (the audit checks they agree).
 *
 * @param id row id, 0 before insertion
 */
public record ReceiptRecord(
    long id,
    String receiptNumber,
    String type,
    long dayNo,
    long dayCounter,
    long globalNo,
    long invoiceNo,
    String currency,
    long totalMinor,
    long taxMinor,
    String issuedAt,
    long journalSeq,
    String originalNumber,
    String body) {}
