package io.fiscald.hal.port;

import io.fiscald.hal.port.internal.FileDevicePort;
import io.fiscald.hal.port.internal.SerialDevicePort;
import io.fiscald.hal.port.internal.TcpPort;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a device is and how to talk to it, parsed from configuration text:
 * <ul>
 *   <li>{@code tcp:HOST:PORT} — raw TCP, e.g. {@code tcp:192.0.2.10:9100};
 *   <li>{@code /dev/usb/lp0} (any {@code /dev/usb/lp*}) — USB line-printer device file, plain file I/O;
 *   <li>{@code file:/dev/pts/3} — any character device as a plain file (a pty whose line settings are already set);
 *   <li>anything else, e.g. {@code /dev/ttyUSB0}, {@code /dev/ttyACM0}, {@code /dev/serial/by-id/...}, a pty —
 *       a serial port through jSerialComm with {@link SerialSettings}.
 * </ul>
 */
public record PortSpec(Kind kind, String path, String host, int tcpPort, SerialSettings serial) implements PortConnector {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /** How the bytes travel. */
  public enum Kind { SERIAL, FILE, TCP }

  public PortSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(serial, "serial");
  }

  public static PortSpec parse(String text, SerialSettings serial) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty port: give a device path such as /dev/ttyUSB0 or tcp:HOST:9100");
    }
    String t = text.trim();
    if (t.startsWith("tcp:")) {
      return tcp(t.substring(4), serial);
    }
    if (t.startsWith("file:")) {
      return new PortSpec(Kind.FILE, t.substring(5), null, 0, serial);
    }
    if (t.startsWith("/dev/usb/lp")) {
      return new PortSpec(Kind.FILE, t, null, 0, serial);
    }
    return new PortSpec(Kind.SERIAL, t, null, 0, serial);
  }

  /** {@code HOST:PORT}, IPv6 as {@code [::1]:9100}. */
  public static PortSpec tcp(String hostPort, SerialSettings serial) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "' (e.g. 192.0.2.10:9100)");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + hostPort + "'", e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("TCP port out of range in '" + hostPort + "'");
    }
    return new PortSpec(Kind.TCP, "tcp:" + hostPort, host, port, serial);
  }

  @Override
  public Port open() {
    return switch (kind) {
      case SERIAL -> SerialDevicePort.open(path, serial);
      case FILE -> FileDevicePort.open(path, serial.writeTimeout());
      case TCP -> TcpPort.open(host, tcpPort, CONNECT_TIMEOUT, serial.writeTimeout());
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SERIAL -> path + " (serial " + serial + ")";
      case FILE -> path + " (device file)";
      case TCP -> path;
    };
  }
}
