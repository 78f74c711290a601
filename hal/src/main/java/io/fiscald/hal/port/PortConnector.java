package io.fiscald.hal.port;

/** Opens a fresh {@link Port} to one device; drivers call it again to reconnect after the line went away. */
@FunctionalInterface
public interface PortConnector {
  /** @throws PortUnavailableException when the device cannot be opened now */
  Port open();
}
