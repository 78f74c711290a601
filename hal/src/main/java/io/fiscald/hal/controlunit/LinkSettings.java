package io.fiscald.hal.controlunit;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing and retry bounds of a control-unit link.
 *
 * @param ackTimeout how long to wait for ACK, NAK or WAIT after sending a frame
 * @param responseTimeout how long to wait for the response frame after ACK (each WAIT restarts it)
 * @param maxRetries how often a frame is sent again after a NAK, a timeout or a damaged response
 * @param maxWaits how many WAIT answers are accepted for one command before giving up
 * @param waitDelay pause before sending a frame again after a busy WAIT
 */
public record LinkSettings(Duration ackTimeout, Duration responseTimeout, int maxRetries, int maxWaits,
    Duration waitDelay) {

  public LinkSettings {
    Objects.requireNonNull(ackTimeout, "ackTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(waitDelay, "waitDelay");
    if (ackTimeout.isNegative() || ackTimeout.isZero() || responseTimeout.isNegative() || responseTimeout.isZero()) {
      throw new IllegalArgumentException("control-unit timeouts must be positive");
    }
    if (maxRetries < 0 || maxWaits < 0) {
      throw new IllegalArgumentException("retry bounds must not be negative");
    }
  }

  /** 500 ms for ACK, 3 s for a response, 3 retries, 50 waits of 100 ms: a slow unit gets about 5 s. */
  public static LinkSettings defaults() {
    return new LinkSettings(Duration.ofMillis(500), Duration.ofSeconds(3), 3, 50, Duration.ofMillis(100));
  }
}
