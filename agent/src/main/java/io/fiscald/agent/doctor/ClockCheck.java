package io.fiscald.agent.doctor;

import java.time.Duration;

/** The till's clock against the authority's time, where an answer carried it. */
final class ClockCheck implements Check {
  @Override
  public String name() {
    return "clock";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    AuthorityProbe p = ctx.authorityProbe();
    var seen = Finding.facts("tillTime", ctx.clock().instant().toString());
    if (p.drift() == null) {
      return Finding.ok(name(), p.latencyMillis() < 0 && p.reachable() ? "no authority time to compare with"
          : "the authority's time is not known yet (no answer carrying it)", seen);
    }
    Duration drift = p.drift();
    seen.put("driftSeconds", drift.toMillis() / 1000.0);
    seen.put("maxDriftSeconds", ctx.limits().maxClockDrift().toSeconds());
    seen.put("source", p.driftSource());
    if (drift.abs().compareTo(ctx.limits().maxClockDrift()) > 0) {
      return Finding.warn(name(), "the till's clock is " + drift.toSeconds() + " s off the authority's", seen,
          "Receipts carry the till's time, and the authority refuses times too far off. Turn on network time: "
              + "timedatectl set-ntp true (then timedatectl status shows 'System clock synchronized: yes')");
    }
    return Finding.ok(name(), "the till's clock is within " + Math.abs(drift.toSeconds()) + " s of the authority's",
        seen);
  }
}
