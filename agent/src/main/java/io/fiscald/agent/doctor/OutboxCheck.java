package io.fiscald.agent.doctor;

import io.fiscald.store.Outbox;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

/** What waits to go to the authority: how many, how old the oldest is, and anything it refused. */
final class OutboxCheck implements Check {
  @Override
  public String name() {
    return "outbox";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    long pending;
    long rejected;
    String oldest;
    try (Connection c = ctx.readOnly()) {
      pending = Outbox.pendingCount(c);
      rejected = Outbox.rejectedCount(c);
      oldest = Outbox.oldestPending(c).orElse(null);
    }
    Duration age = oldest == null ? Duration.ZERO : Duration.between(Instant.parse(oldest), ctx.clock().instant());
    var seen = Finding.facts("pending", pending, "rejected", rejected, "oldestPendingAt", oldest, "oldestAgeMinutes",
        age.toMinutes());
    if (rejected > 0) {
      return Finding.fail(name(), rejected + " message(s) refused by the authority", seen, "See why: fiscalctl "
          + "status (sync.lastError); fix the cause (for ZIMRA signature errors: fiscalctl zimra signature-debug), "
          + "then fiscalctl sync --once --retry-rejected");
    }
    if (pending == 0) {
      return Finding.ok(name(), "nothing waits to be sent", seen);
    }
    boolean unreachable = !ctx.authorityProbe().reachable();
    if (unreachable || age.compareTo(ctx.limits().outboxAgeWarn()) > 0) {
      return Finding.warn(name(), pending + " receipt(s) wait to be sent, the oldest for " + age.toMinutes()
          + " min" + (unreachable ? " (the authority cannot be reached)" : ""), seen, "They are safe in the journal."
          + " Get the authority reachable (see the authority finding), then send them: fiscalctl sync --once (or let"
          + " the running daemon drain them); a device offline too long is blocked by the authority");
    }
    return Finding.ok(name(), pending + " receipt(s) on their way", seen);
  }
}
