package io.fiscald.agent.doctor;

/**
 * The tax authority answers, and how fast; offline is a warning (receipts queue), never a crash. For ZIMRA
 * it also compares FDMS's last receipt and day numbers with the journal's: FDMS ahead means this database
 * is older than what the authority has seen (an old backup restored).
 */
final class AuthorityCheck implements Check {
  @Override
  public String name() {
    return "authority";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    AuthorityProbe p = ctx.authorityProbe();
    var seen = Finding.facts("authority", p.authority());
    if (p.latencyMillis() < 0 && p.reachable()) {
      return Finding.ok(name(), "the " + p.authority() + " profile talks to no authority", seen);
    }
    if (!p.reachable()) {
      seen.put("error", p.error());
      return Finding.warn(name(), "the " + p.authority() + " authority cannot be reached", seen, "Receipts are "
          + "still issued and wait in the outbox. Check the till's network (ping a web site, check the cable/Wi-Fi "
          + "and any proxy), then fiscalctl sync --once; if only the authority is down, wait: the outbox drains by "
          + "itself when it is back");
    }
    seen.put("latencyMillis", p.latencyMillis());
    seen.putAll(p.answer());
    if (p.answer().get("lastReceiptGlobalNo") instanceof Long serverGlobal) {
      long[] local = localNumbers(ctx);
      seen.put("localLastGlobalNo", local[0]);
      seen.put("localLastDayNo", local[1]);
      Object serverDay = p.answer().get("lastFiscalDayNo");
      if (serverGlobal > local[0] || serverDay instanceof Long d && d > local[1]) {
        return Finding.fail(name(), "FDMS knows receipts or days this till does not (FDMS: receipt " + serverGlobal
            + ", day " + serverDay + "; this till: receipt " + local[0] + ", day " + local[1] + ")", seen,
            "This database is older than what FDMS has seen (restored from an old backup?). Do not trade: restore "
                + "the newest backup, or follow the resynchronisation steps in docs/OPERATIONS.md");
      }
    }
    if (p.latencyMillis() > 3000) {
      return Finding.warn(name(), "the " + p.authority() + " authority answers slowly (" + p.latencyMillis() + " ms)",
          seen, "A slow link delays syncing, not selling; check the network quality if it persists");
    }
    return Finding.ok(name(), "the " + p.authority() + " authority answered in " + p.latencyMillis() + " ms", seen);
  }

  /** The newest receipt global number and fiscal day number in the journal's state tables. */
  private static long[] localNumbers(DoctorContext ctx) throws Exception {
    try (java.sql.Connection c = ctx.readOnly(); java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT (SELECT coalesce(max(global_no), 0) FROM receipts),"
            + " (SELECT coalesce(max(day_no), 0) FROM fiscal_days)")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }
}
