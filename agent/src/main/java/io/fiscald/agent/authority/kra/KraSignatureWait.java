package io.fiscald.agent.authority.kra;

import java.sql.Connection;
import java.time.Duration;

/**
 * The one place that waits for a receipt's SCU signature (sheet §15.2: OSCU signs only online): the CLI's
 * {@code receipt issue} and the API's {@code POST /v1/receipts} answer once journalled and, within the
 * device's {@code signatureWaitMillis}, also carry the signature. It re-reads the outbox row, woken at once
 * when a drainer in this process settles a receipt ({@link #settled()}) and every few milliseconds otherwise
 * (a drainer in another process).
 */
public final class KraSignatureWait {
  private static final Object MONITOR = new Object();
  /** Re-read at least this often: the settling drainer may be another process. */
  private static final long RECHECK_MILLIS = 25;

  private KraSignatureWait() {}

  /** Called by the drainer after it committed a receipt's outcome (accepted or refused). */
  static void settled() {
    synchronized (MONITOR) {
      MONITOR.notifyAll();
    }
  }

  /**
   * Waits up to {@code max} (zero: not at all) for receipt row {@code receiptId} to leave PENDING, reading on
   * {@code c}; returns its state then, settled or not. A failed attempt on this receipt (eTIMS unreachable or
   * busy) ends the wait early: the drainer now backs off, so waiting longer would only delay the answer.
   */
  public static KraFiscalSignature await(Connection c, long receiptId, Duration max) {
    long deadline = System.nanoTime() + Math.max(0, max.toNanos());
    while (true) {
      KraFiscalSignature now = KraFiscalSignature.of(c, receiptId);
      long left = deadline - System.nanoTime();
      if (now.settled() || now.attempts() > 0 || left <= 0) {
        return now;
      }
      synchronized (MONITOR) {
        try {
          MONITOR.wait(Math.max(1, Math.min(RECHECK_MILLIS, left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return now;
        }
      }
    }
  }
}
