package io.fiscald.agent.print;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.hal.print.PrintDocument;
import io.fiscald.store.PrintJob;
import java.sql.Connection;
import java.util.Optional;

/**
 * What the print worker prints for a job, and when. The default prints every job at once with the profile's
 * fiscal block; an authority whose fiscal data arrives after the commit (KRA OSCU) holds a job until it
 * exists. A held job is looked at again later and never blocks the jobs behind it.
 */
public interface PrintPlan {

  /**
   * A document to print for a job.
   *
   * @param followUp queue another job for the same receipt and copy once this one printed (a provisional
   *     slip now, the real receipt when its data arrives)
   */
  record Planned(PrintDocument document, boolean followUp) {}

  /**
   * The document to print for {@code job} now, or empty to hold it.
   *
   * @param note a line saying an earlier attempt may be on paper (the job then prints as a copy), or null
   */
  Optional<Planned> plan(Connection c, PrintJob job, FiscalReceipt receipt, ReceiptSeal seal, int columns,
      String note);
}
