package io.fiscald.agent.doctor;

import io.fiscald.store.PrintJobs;
import java.sql.Connection;

/** Receipts waiting to be printed (the printer was out of paper, off, or not configured). */
final class PrintQueueCheck implements Check {
  @Override
  public String name() {
    return "print-queue";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    long waiting;
    try (Connection c = ctx.readOnly()) {
      waiting = PrintJobs.pendingCount(c);
    }
    var seen = Finding.facts("waiting", waiting);
    if (waiting >= ctx.limits().printBacklogWarn() && waiting > 0) {
      return Finding.warn(name(), waiting + " receipt(s) wait to be printed", seen, "Check the printer (paper, "
          + "cover, power, cable): fiscalctl printer status --port PORT; fiscald prints them when the printer is "
          + "ready. Without a printer configured (fiscalctl serve --printer-port ...) they wait forever");
    }
    return Finding.ok(name(), "no receipts waiting to be printed", seen);
  }
}
