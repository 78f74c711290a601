package io.fiscald.hal.port;

import java.time.Duration;

/** Exponential backoff between reconnect or retry attempts: doubles from {@code initial} up to {@code max}. */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;
  private int attempts;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The delay before the next attempt; each call doubles the one after, up to the maximum. */
  public Duration next() {
    Duration d = next;
    attempts++;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  /** Attempts since the last success. */
  public int attempts() {
    return attempts;
  }

  /** After a success: the next failure waits {@code initial} again. */
  public void reset() {
    next = initial;
    attempts = 0;
  }
}
