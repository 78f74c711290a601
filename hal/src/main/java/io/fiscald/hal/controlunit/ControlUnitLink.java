package io.fiscald.hal.controlunit;

import io.fiscald.hal.controlunit.ControlUnitException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The framed, acknowledged line to a control unit over any byte stream (serial port, pseudo-terminal,
 * TCP): sends a command frame, waits for ACK, resends on NAK or silence, honours WAIT, reads the
 * response frame and acknowledges it. One command at a time; safe for concurrent callers.
 *
 * <p>Reads never block without a deadline: the input is polled through {@link InputStream#available()},
 * so a timeout needs nothing from the transport and closing the link leaves no thread reading the
 * port (a leftover reader would steal the next opener's bytes on a shared tty).
 */
public final class ControlUnitLink implements AutoCloseable {
  private static final int TIMEOUT = -1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String portName;
  private final InputStream in;
  private final OutputStream out;
  private final LinkSettings settings;
  private byte[] buffer = new byte[512];
  private final byte[] recent = new byte[16];
  private int bufferPos;
  private int bufferLen;
  private int recentCount;
  private int seq;
  private long garbageBytes;
  private long retransmissions;
  private boolean closed;

  private ControlUnitLink(String portName, InputStream in, OutputStream out, LinkSettings settings) {
    this.portName = Objects.requireNonNull(portName, "portName");
    this.in = Objects.requireNonNull(in, "in");
    this.out = Objects.requireNonNull(out, "out");
    this.settings = Objects.requireNonNull(settings, "settings");
    // A random start makes a replayed answer from an earlier session unlikely to carry our number.
    this.seq = 1 + RANDOM.nextInt(255);
  }

  /** A link over an already open stream pair; {@code in} must report {@link InputStream#available()}. */
  public static ControlUnitLink over(String portName, InputStream in, OutputStream out, LinkSettings settings) {
    return new ControlUnitLink(portName, in, out, settings);
  }

  /**
   * Opens a character device (a pseudo-terminal, or a serial port already set to the unit's speed and
   * raw mode, e.g. {@code stty -F /dev/ttyUSB0 115200 raw -echo}).
   */
  public static ControlUnitLink openDevice(Path device, LinkSettings settings) {
    if (!Files.exists(device)) {
      throw new ControlUnitException(Kind.IO, "control unit port " + device + " does not exist (unit unplugged,"
          + " wrong path, or the emulator is not running)", Map.of("port", device.toString()), null);
    }
    FileInputStream in = null;
    try {
      in = new FileInputStream(device.toFile());
      FileOutputStream out = new FileOutputStream(device.toFile());
      return new ControlUnitLink(device.toString(), in, out, settings);
    } catch (IOException e) {
      closeQuietly(in);
      throw new ControlUnitException(Kind.IO, "cannot open control unit port " + device + ": " + e.getMessage()
          + (e.getMessage() != null && e.getMessage().contains("Permission denied")
              ? " (add the agent's user to the dialout group)" : ""),
          Map.of("port", device.toString()), e);
    }
  }

  public String portName() {
    return portName;
  }

  public LinkSettings settings() {
    return settings;
  }

  /** Frames sent again after NAK, WAIT or silence since the link was opened. */
  public synchronized long retransmissions() {
    return retransmissions;
  }

  /** Bytes skipped while looking for a frame or an answer (line noise, late duplicates). */
  public synchronized long garbageBytes() {
    return garbageBytes;
  }

  /**
   * Sends {@code command} with {@code data} and returns the unit's response frame (same sequence
   * number). A retransmitted frame is byte-identical, so a unit that already executed it answers from
   * its cache instead of executing it twice.
   *
   * @param name the command's name, for messages
   */
  public synchronized Frame exchange(String name, int command, byte[] data) {
    if (closed) {
      throw new ControlUnitException(Kind.IO, "the link to " + portName + " is closed", Map.of("port", portName), null);
    }
    seq = seq % 255 + 1; // 1..255; 0 is never used
    Attempt a = new Attempt(name, seq);
    byte[] wire = new Frame(seq, command, data).encode();
    try {
      drain();
      while (true) {
        a.sends++;
        if (a.sends > 1) {
          retransmissions++;
        }
        out.write(wire);
        out.flush();
        Frame response = awaitAnswer(a, command);
        if (response != null) {
          return response;
        }
      }
    } catch (IOException e) {
      throw new ControlUnitException(Kind.IO, "I/O error on control unit port " + portName + " during " + name
          + ": " + e.getMessage(), a.details(), e);
    }
  }

  /** The response frame, or null to send the request again. */
  private Frame awaitAnswer(Attempt a, int command) throws IOException {
    long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
    boolean acked = false;
    while (true) {
      int b = readByte(deadline);
      if (b == TIMEOUT) {
        a.timeouts++;
        if (a.timeouts > settings.maxRetries()) {
          throw fail(Kind.NO_ANSWER, a, "did not " + (acked ? "send the response to " : "acknowledge ") + a.name
              + " within " + (acked ? settings.responseTimeout() : settings.ackTimeout()).toMillis() + " ms");
        }
        return null;
      }
      if (b == Frame.STX) {
        Parse parse = readFrameAfterStx(deadline);
        if (parse.frame == null) {
          if (parse.damaged) {
            a.damaged++;
            if (a.damaged > settings.maxRetries()) {
              throw fail(Kind.GARBLED, a, "sent only damaged frames in answer to " + a.name);
            }
            if (acked) {
              writeByte(Frame.NAK); // a whole frame with a bad checksum: ask for it again
            }
          } else {
            a.garbage++;
          }
          continue;
        }
        Frame f = parse.frame;
        if (f.seq() != a.seq || f.command() != command) {
          a.stale++; // a late answer to an earlier command, or a duplicate: not ours
          continue;
        }
        // our response, possibly before its ACK was seen (the ACK may have been lost to noise)
        writeByte(Frame.ACK);
        return f;
      }
      if (!acked && b == Frame.ACK) {
        acked = true;
        deadline = System.nanoTime() + settings.responseTimeout().toNanos();
      } else if (!acked && b == Frame.NAK) {
        a.naks++;
        if (a.naks > settings.maxRetries()) {
          throw fail(Kind.TOO_MANY_NAKS, a, "rejected " + a.name + " with NAK " + a.naks + " times");
        }
        return null;
      } else if (b == Frame.WAIT) {
        a.waits++;
        if (a.waits > settings.maxWaits()) {
          throw fail(Kind.BUSY, a, "stayed busy (WAIT) for " + a.waits + " answers to " + a.name);
        }
        if (!acked) {
          pause(settings.waitDelay());
          return null;
        }
        deadline = System.nanoTime() + settings.responseTimeout().toNanos(); // still working
      } else {
        garbageBytes++;
        a.garbage++;
      }
    }
  }

  /** A frame, or why there is none: damaged (whole frame, bad checksum) or not a frame at all. */
  private record Parse(Frame frame, boolean damaged) {}

  /**
   * The rest of a frame after STX. When the bytes do not form a frame, everything read after the STX
   * is pushed back, so scanning resumes at the very next byte: line noise that contains an STX must
   * not swallow the start of the real frame behind it.
   */
  private Parse readFrameAfterStx(long deadline) throws IOException {
    ByteArrayOutputStream consumed = new ByteArrayOutputStream();
    int hi = readByte(deadline);
    int lo = hi == TIMEOUT ? TIMEOUT : readByte(deadline);
    if (lo == TIMEOUT) {
      return notAFrame(consumed, hi);
    }
    consumed.write(hi);
    consumed.write(lo);
    int len = (hi << 8) | lo;
    if (len < 2 || len > Frame.MAX_DATA + 2) {
      return notAFrame(consumed, TIMEOUT);
    }
    byte[] body = new byte[2 + len];
    body[0] = (byte) hi;
    body[1] = (byte) lo;
    for (int i = 2; i < body.length; i++) {
      int b = readByte(deadline);
      if (b == TIMEOUT) {
        return notAFrame(consumed, TIMEOUT);
      }
      consumed.write(b);
      body[i] = (byte) b;
    }
    int crcHi = readByte(deadline);
    int crcLo = crcHi == TIMEOUT ? TIMEOUT : readByte(deadline);
    int etx = crcLo == TIMEOUT ? TIMEOUT : readByte(deadline);
    for (int b : new int[] {crcHi, crcLo, etx}) {
      if (b != TIMEOUT) {
        consumed.write(b);
      }
    }
    if (etx != Frame.ETX) {
      return notAFrame(consumed, TIMEOUT);
    }
    if (((crcHi << 8) | crcLo) != Frame.crc16(body, 0, body.length)) {
      pushBack(consumed.toByteArray());
      return new Parse(null, true);
    }
    byte[] data = new byte[len - 2];
    System.arraycopy(body, 4, data, 0, data.length);
    return new Parse(new Frame(body[2] & 0xff, body[3] & 0xff, data), false);
  }

  private Parse notAFrame(ByteArrayOutputStream consumed, int last) {
    if (last != TIMEOUT) {
      consumed.write(last);
    }
    garbageBytes++; // the false STX
    pushBack(consumed.toByteArray());
    return new Parse(null, false);
  }

  /** Makes {@code bytes} the next ones read, ahead of what is still buffered. */
  private void pushBack(byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    int remaining = bufferLen - bufferPos;
    byte[] merged = new byte[bytes.length + remaining];
    System.arraycopy(bytes, 0, merged, 0, bytes.length);
    System.arraycopy(buffer, bufferPos, merged, bytes.length, remaining);
    if (merged.length > buffer.length) {
      buffer = new byte[merged.length]; // a pushed-back long frame; the buffer stays this size
    }
    System.arraycopy(merged, 0, buffer, 0, merged.length);
    bufferPos = 0;
    bufferLen = merged.length;
    recentCount = Math.max(0, recentCount - bytes.length); // they will be remembered again when re-read
  }

  private int readByte(long deadline) throws IOException {
    if (bufferPos < bufferLen) {
      return remember(buffer[bufferPos++]);
    }
    long park = 20_000;
    while (true) {
      int available = in.available();
      if (available > 0) {
        int n = in.read(buffer, 0, Math.min(available, buffer.length));
        if (n < 0) {
          throw new IOException("end of stream: the other side closed the line");
        }
        if (n > 0) {
          bufferPos = 0;
          bufferLen = n;
          return remember(buffer[bufferPos++]);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return TIMEOUT;
      }
      LockSupport.parkNanos(Math.min(park, left));
      park = Math.min(park * 2, 1_000_000); // from 20 µs up to 1 ms between polls
    }
  }

  private int remember(byte b) {
    recent[recentCount++ % recent.length] = b;
    return b & 0xff;
  }

  /** Discards what is already on the line (late duplicates of earlier answers) before a new command. */
  private void drain() throws IOException {
    garbageBytes += bufferLen - bufferPos;
    bufferPos = bufferLen = 0;
    int available;
    while ((available = in.available()) > 0) {
      int n = in.read(buffer, 0, Math.min(available, buffer.length));
      if (n <= 0) {
        break;
      }
      garbageBytes += n;
    }
  }

  private void writeByte(int b) throws IOException {
    out.write(b);
    out.flush();
  }

  private static void pause(java.time.Duration d) {
    long until = System.nanoTime() + d.toNanos();
    long left;
    while ((left = until - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private ControlUnitException fail(Kind kind, Attempt a, String what) {
    return new ControlUnitException(kind, "control unit on " + portName + " " + what + " (seq " + a.seq + ", "
        + a.sends + " sends, " + a.naks + " NAK, " + a.waits + " WAIT, " + a.timeouts + " timeouts, " + a.damaged
        + " damaged frames, " + a.garbage + " noise bytes; last bytes seen: " + recentHex() + ")", a.details(), null);
  }

  private String recentHex() {
    int n = Math.min(recentCount, recent.length);
    if (n == 0) {
      return "none";
    }
    byte[] ordered = new byte[n];
    for (int i = 0; i < n; i++) {
      ordered[i] = recent[(recentCount - n + i) % recent.length];
    }
    return HexFormat.ofDelimiter(" ").formatHex(ordered);
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeQuietly(in);
    closeQuietly(out);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing after use or after a failure that is already being reported
    }
  }

  @Override
  public String toString() {
    return "ControlUnitLink[" + portName + "]";
  }

  /** Counters of one command's exchange, reported in errors. */
  private final class Attempt {
    final String name;
    final int seq;
    int sends;
    int naks;
    int waits;
    int timeouts;
    int damaged;
    int stale;
    int garbage;

    Attempt(String name, int seq) {
      this.name = name;
      this.seq = seq;
    }

    Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("port", portName);
      d.put("command", name);
      d.put("seq", seq);
      d.put("sends", sends);
      d.put("naks", naks);
      d.put("waits", waits);
      d.put("timeouts", timeouts);
      d.put("damagedFrames", damaged);
      d.put("staleFrames", stale);
      d.put("noiseBytes", garbage);
      d.put("lastBytes", recentHex());
      return d;
    }
  }
}
