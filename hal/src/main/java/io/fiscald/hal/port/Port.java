package io.fiscald.hal.port;

import java.time.Duration;

/**
 * A byte pipe to a device: a serial port, a USB line-printer device file, a pseudo-terminal or a raw
 * TCP socket. Every failure is a {@link PortException} naming the path and what the port was doing;
 * an implementation releases the operating-system handle itself when the line is gone, so a caller
 * only has to open a new port.
 *
 * <p>Not thread-safe: one owner writes and reads.
 */
public interface Port extends AutoCloseable {

  /** The path or address the port was opened with, as the technician configured it. */
  String path();

  /** Writes all of {@code data} or throws; a timeout means the device stopped taking bytes. */
  void write(byte[] data);

  /**
   * Reads at least one byte into {@code buffer}, waiting at most {@code timeout}.
   *
   * @return the number of bytes read, at least 1
   * @throws PortTimeoutException when nothing arrived in time (the port stays usable)
   */
  int read(byte[] buffer, Duration timeout);

  /** Discards whatever the device sent that nobody read yet (line noise, late answers); returns the count. */
  int discardInput();

  boolean isOpen();

  /** Releases the device; safe to call twice and after a failure. */
  @Override
  void close();
}
