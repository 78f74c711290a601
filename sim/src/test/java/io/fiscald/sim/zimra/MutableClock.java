package io.fiscald.sim.zimra;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/** A clock tests move by hand (certificate expiry, day length). */
final class MutableClock extends Clock {
  private final ZoneId zone;
  private volatile Instant now;

  MutableClock(LocalDateTime start, ZoneId zone) {
    this.zone = zone;
    this.now = start.atZone(zone).toInstant();
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  @Override public ZoneId getZone() { return zone; }
  @Override public Clock withZone(ZoneId z) { throw new UnsupportedOperationException(); }
  @Override public Instant instant() { return now; }
}
