package io.fiscald.hal.port;

/** A transport failure that names the port and what was going on, so a technician can act on it. */
public class PortException extends RuntimeException {
  private final String path;

  public PortException(String path, String message, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  /** The port's path or address. */
  public String path() {
    return path;
  }
}
