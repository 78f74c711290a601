package io.fiscald.hal.print;

import io.fiscald.hal.port.Port;
import io.fiscald.hal.port.PortClosedException;
import io.fiscald.hal.port.PortConnector;
import io.fiscald.hal.port.PortException;
import io.fiscald.hal.port.PortTimeoutException;
import io.fiscald.hal.port.PortUnavailableException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ESC/POS receipt printer on a {@link Port}. Every job is bracketed by status read-back
 * ({@code DLE EOT 1-4}): it is sent only to a ready printer and counts as printed only when the printer
 * still reports ready afterwards. The port is opened on first use, closed on every failure (so a pulled
 * cable or a restarted printer is picked up by the next call) and reopened by the next call; retry
 * pacing is the caller's. Thread-safe: calls are serialised.
 */
public final class EscPosPrinter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EscPosPrinter.class);
  /** Line noise tolerated before one status answer; more means the line or the baud rate is wrong. */
  private static final int MAX_NOISE_BYTES = 256;

  private final String name;
  private final PortConnector connector;
  private final PrinterProfile profile;
  private final EscPosEncoder encoder;
  private final byte[] one = new byte[1];
  private Port port;
  private volatile PrinterStatus lastStatus;

  /** @param name the port's path or address, for messages */
  public EscPosPrinter(String name, PortConnector connector, PrinterProfile profile) {
    this.name = name;
    this.connector = connector;
    this.profile = profile;
    this.encoder = new EscPosEncoder(profile);
  }

  public PrinterProfile profile() {
    return profile;
  }

  public String name() {
    return name;
  }

  /** The last status read, or null before the first answer. */
  public PrinterStatus lastStatus() {
    return lastStatus;
  }

  /** Reads the printer's status now. */
  public synchronized PrinterStatus status() {
    try {
      return query(Duration.ofMillis(profile.statusTimeoutMillis()));
    } catch (PortException e) {
      throw unreachable(e, false);
    }
  }

  /**
   * Prints {@code doc}: status, the job, status again.
   *
   * @throws PrinterNotReadyException the printer reported a problem before or after the job
   * @throws PrinterUnreachableException the port could not be opened or the printer stopped answering
   */
  public synchronized PrintOutcome print(PrintDocument doc) {
    byte[] bytes = encoder.encode(doc);
    PrinterStatus before;
    try {
      before = query(Duration.ofMillis(profile.statusTimeoutMillis()));
    } catch (PortException e) {
      throw unreachable(e, false);
    }
    if (!before.ready()) {
      throw new PrinterNotReadyException(name, "printer " + name + " is not ready: " + before.describe(), before,
          false);
    }
    PrinterStatus after;
    try {
      port.write(bytes);
      // the first answer comes only once the printer has worked through the job ahead of it
      after = query(Duration.ofMillis(profile.jobTimeoutMillis()));
    } catch (PortException e) {
      throw unreachable(e, true);
    }
    if (!after.ready()) {
      throw new PrinterNotReadyException(name, "printer " + name + " stopped during the job (" + bytes.length
          + " bytes sent): " + after.describe(), after, true);
    }
    return new PrintOutcome(before, after, bytes.length);
  }

  /** The bytes {@link #print} would send, for tests and diagnostics. */
  public byte[] encode(PrintDocument doc) {
    return encoder.encode(doc);
  }

  private PrinterStatus query(Duration firstTimeout) {
    Port p = open();
    int discarded = p.discardInput();
    if (discarded > 0) {
      LOG.debug("printer {}: discarded {} unexpected bytes before the status query", name, discarded);
    }
    int[] answers = new int[4];
    for (int n = 1; n <= 4; n++) {
      p.write(EscPos.statusQuery(n));
      answers[n - 1] = readStatusByte(p, n, n == 1 ? firstTimeout : Duration.ofMillis(profile.statusTimeoutMillis()));
    }
    PrinterStatus s = PrinterStatus.decode(answers[0], answers[1], answers[2], answers[3]);
    lastStatus = s;
    return s;
  }

  private int readStatusByte(Port p, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int noise = 0;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new PortTimeoutException(p.path(), "answer to DLE EOT " + n, timeout, 0);
      }
      try {
        p.read(one, Duration.ofNanos(left));
      } catch (PortTimeoutException e) {
        throw new PortTimeoutException(p.path(), "answer to DLE EOT " + n, timeout, 0);
      }
      int b = one[0] & 0xFF;
      if (PrinterStatus.isStatusByte(b)) {
        return b;
      }
      if (++noise > MAX_NOISE_BYTES) {
        throw new PortClosedException(p.path(), "printer " + name + " sends noise instead of status answers ("
            + noise + " bytes): wrong baud rate or a faulty cable?", null);
      }
    }
  }

  private Port open() {
    if (port == null || !port.isOpen()) {
      port = connector.open();
    }
    return port;
  }

  private PrinterUnreachableException unreachable(PortException e, boolean dataSent) {
    release();
    String last = lastStatus == null ? "never answered" : lastStatus.describe();
    String message;
    if (e instanceof PortUnavailableException) {
      message = "cannot open printer " + name + ": " + e.getMessage();
    } else if (e instanceof PortTimeoutException t) {
      message = "printer " + name + " did not answer within " + t.timeout().toMillis() + " ms ("
          + e.getMessage() + "; last status: " + last + "): is it switched on and connected?";
    } else {
      message = "lost the printer " + name + ": " + e.getMessage() + " (last status: " + last + ")";
    }
    return new PrinterUnreachableException(name, message, lastStatus, dataSent, e);
  }

  private void release() {
    if (port != null) {
      port.close();
      port = null;
    }
  }

  @Override
  public synchronized void close() {
    release();
  }
}
