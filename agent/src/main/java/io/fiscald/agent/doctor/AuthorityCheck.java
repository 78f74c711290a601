package io.fiscald.agent.doctor;

/** The tax authority answers, and how fast; offline is a warning (receipts queue), never a crash. */
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
    if (p.latencyMillis() > 3000) {
      return Finding.warn(name(), "the " + p.authority() + " authority answers slowly (" + p.latencyMillis() + " ms)",
          seen, "A slow link delays syncing, not selling; check the network quality if it persists");
    }
    return Finding.ok(name(), "the " + p.authority() + " authority answered in " + p.latencyMillis() + " ms", seen);
  }
}
