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

  /**
   * Notes on the job, committed before its bytes go to the printer, that they are about to: if the worker
   * dies or the link drops after sending, the note is what tells the retry that the job may be on paper.
   * A failure recorded later replaces it.
   */
  public static void recordSending(Connection c, long jobId, String note) {
    Sql.update(c, "record send of print job " + jobId, "UPDATE print_jobs SET last_error = ? WHERE id = ?", note,
        jobId);
  }

  /**
   * Turns an original's job whose earlier send may be on paper into the receipt's next copy, in one statement
   * (so it never shares a number with a reprint queued at the same time): the original is never sent twice.
   */
  public static void renumberAsCopy(Connection c, long jobId) {
    Sql.update(c, "renumber print job " + jobId + " as a copy", "UPDATE print_jobs SET copy ="
        + " (SELECT coalesce(max(p.copy), 0) + 1 FROM print_jobs p WHERE p.receipt_id = print_jobs.receipt_id)"
        + " WHERE id = ? AND copy = 0", jobId);
  }

  /** Whether receipt {@code receiptId} still has a job for its original (copy 0). */
  public static boolean hasOriginal(Connection c, long receiptId) {
    return Sql.scalarLong(c, "read print jobs of receipt " + receiptId,
        "SELECT count(*) FROM print_jobs WHERE receipt_id = ? AND copy = 0", receiptId) > 0;
  }

  /** Ends a job without confirmation (status FAILED): it is not retried. */
  public static void abandon(Connection c, long jobId, String error) {
    Sql.update(c, "abandon print job " + jobId,
        "UPDATE print_jobs SET status = 'FAILED', attempts = attempts + 1, last_error = ? WHERE id = ?", error, jobId);
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
