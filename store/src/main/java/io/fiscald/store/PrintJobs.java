package io.fiscald.store;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/** The {@code print_jobs} queue. */
public final class PrintJobs {
  private static final String COLUMNS = "id, receipt_id, copy, status, attempts, last_error";

  private PrintJobs() {}

  public static long enqueue(Connection c, long receiptId, int copy, String createdAt) {
    return Sql.insert(c, "queue print job for receipt " + receiptId,
        "INSERT INTO print_jobs (receipt_id, copy, status, created_at) VALUES (?, ?, 'PENDING', ?)",
        receiptId, copy, createdAt);
  }

  /**
   * Queues a reprint of a receipt as the next copy number ({@code max(copy) + 1}) in one statement, so two
   * reprints asked for at once never get the same copy number. Returns the new job's id.
   */
  public static long enqueueReprint(Connection c, long receiptId, String createdAt) {
    return Sql.insert(c, "queue reprint of receipt " + receiptId,
        "INSERT INTO print_jobs (receipt_id, copy, status, created_at)"
            + " SELECT ?, coalesce(max(copy), 0) + 1, 'PENDING', ? FROM print_jobs WHERE receipt_id = ?",
        receiptId, createdAt, receiptId);
  }

  public static Optional<PrintJob> find(Connection c, long jobId) {
    return Sql.one(c, "read print job " + jobId, PrintJobs::map,
        "SELECT " + COLUMNS + " FROM print_jobs WHERE id = ?", jobId);
  }

  public static List<PrintJob> pending(Connection c, int limit) {
    return Sql.list(c, "read print queue", PrintJobs::map,
        "SELECT " + COLUMNS + " FROM print_jobs WHERE status = 'PENDING' ORDER BY id LIMIT ?", limit);
  }

  /** Pending jobs after job {@code afterId}, oldest first: to page past jobs the worker holds back. */
  public static List<PrintJob> pendingAfter(Connection c, long afterId, int limit) {
    return Sql.list(c, "read print queue", PrintJobs::map,
        "SELECT " + COLUMNS + " FROM print_jobs WHERE status = 'PENDING' AND id > ? ORDER BY id LIMIT ?",
        afterId, limit);
  }

  /** Whether receipt {@code receiptId} has a printed job older than {@code jobId} with copy number {@code copy}. */
  public static boolean printedBefore(Connection c, long receiptId, long jobId, int copy) {
    return Sql.scalarLong(c, "read print history of receipt " + receiptId, "SELECT count(*) FROM print_jobs"
        + " WHERE receipt_id = ? AND id < ? AND copy = ? AND status = 'PRINTED'", receiptId, jobId, copy) > 0;
  }

  public static void markPrinted(Connection c, long jobId, String printedAt) {
    Sql.update(c, "mark print job " + jobId + " printed",
        "UPDATE print_jobs SET status = 'PRINTED', printed_at = ?, attempts = attempts + 1 WHERE id = ?",
        printedAt, jobId);
  }

  /** Records a failed attempt; the job stays PENDING so it is retried when the printer is ready. */
  public static void recordFailure(Connection c, long jobId, String error) {
    Sql.update(c, "record print failure of job " + jobId,
        "UPDATE print_jobs SET attempts = attempts + 1, last_error = ? WHERE id = ?", error, jobId);
  }

  /** The latest job of a receipt: what the POS sees as its print state. */
  public static Optional<PrintJob> latestFor(Connection c, long receiptId) {
    return Sql.one(c, "read print state of receipt " + receiptId, PrintJobs::map,
        "SELECT " + COLUMNS + " FROM print_jobs WHERE receipt_id = ? ORDER BY id DESC LIMIT 1", receiptId);
  }

  public static int maxCopy(Connection c, long receiptId) {
    return (int) Sql.scalarLong(c, "read copies of receipt " + receiptId,
        "SELECT coalesce(max(copy), 0) FROM print_jobs WHERE receipt_id = ?", receiptId);
  }

  public static long pendingCount(Connection c) {
    return Sql.scalarLong(c, "count print queue", "SELECT count(*) FROM print_jobs WHERE status = 'PENDING'");
  }

  private static PrintJob map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new PrintJob(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getInt(5),
        rs.getString(6));
  }
}
