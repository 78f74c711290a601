package io.fiscald.hal.port;

/** The port cannot be opened: no such device, permission denied, or in use by another program. */
public final class PortUnavailableException extends PortException {
  private final Reason reason;

  /** Why the port could not be opened; {@code PERMISSION_DENIED} is the dialout/lp group problem. */
  public enum Reason { NOT_FOUND, PERMISSION_DENIED, BUSY, REFUSED, OTHER }

  public PortUnavailableException(String path, Reason reason, String message, Throwable cause) {
    super(path, message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
