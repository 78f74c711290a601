package io.fiscald.hal.port;

/**
 * The line is gone: cable pulled, device powered off, pseudo-terminal closed, socket reset, or the port
 * was used after {@link Port#close()}. The port has released its handle; open a new one to go on.
 */
public final class PortClosedException extends PortException {
  public PortClosedException(String path, String message, Throwable cause) {
    super(path, message, cause);
  }
}
