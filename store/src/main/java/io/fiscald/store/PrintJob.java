package io.fiscald.store;

/** A durable request to print a receipt; {@code copy} is 0 for the original, n for the n-th reprint. */
public record PrintJob(long id, long receiptId, int copy, String status, int attempts, String lastError) {}
