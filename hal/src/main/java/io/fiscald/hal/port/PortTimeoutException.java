package io.fiscald.hal.port;

import java.time.Duration;

/** The device did not answer, or did not take the bytes, within the timeout; the port is still open. */
public final class PortTimeoutException extends PortException {
  private final Duration timeout;
  private final long bytesDone;

  public PortTimeoutException(String path, String operation, Duration timeout, long bytesDone) {
    super(path, path + ": " + operation + " timed out after " + timeout.toMillis() + " ms (" + bytesDone
        + " bytes done)", null);
    this.timeout = timeout;
    this.bytesDone = bytesDone;
  }

  public Duration timeout() {
    return timeout;
  }

  public long bytesDone() {
    return bytesDone;
  }
}
