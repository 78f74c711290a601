package io.fiscald.sim.printer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ESC/POS receipt printer on a pseudo-terminal or a TCP port: it prints what it is sent onto a
 * {@link PaperRoll} (text and a PNG), answers {@code DLE EOT} status queries, and has the fault switches
 * a shop sees on a Friday evening — paper out (now, or after N more bytes), paper near end, cover open,
 * offline (no answers at all), slow, and line noise. Counters (cuts, status queries, connections) let a
 * test assert that a receipt was printed exactly once.
 */
public final class PrinterEmulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrinterEmulator.class);

  private final PaperRoll roll;
  private final Object monitor = new Object();
  private volatile boolean closed;
  private volatile boolean paperOut;
  private volatile boolean paperNearEnd;
  private volatile boolean coverOpen;
  private volatile boolean offline;
  private volatile boolean garbage;
  private volatile long slowNanosPerByte;
  private volatile Runnable afterNextCut;
  private long paperLeftBytes = -1;
  private long bytesReceived;
  private int cuts;
  private int statusQueries;
  private int connections;
  private Thread server;
  private ByteChannel current;
  private ServerSocketChannel listener;
  private String endpoint;

  /** A printer with a paper roll of {@code columns} characters and {@code dots} dots per line. */
  public PrinterEmulator(int columns, int dots) {
    this.roll = new PaperRoll(columns, dots);
  }

  /** An 80 mm printer: 48 columns, 576 dots. */
  public PrinterEmulator() {
    this(48, 576);
  }

  // ---- endpoints

  /**
   * Serves the pseudo-terminal at {@code path} (the emulator's end of a {@link SocatPair}); when the line
   * hangs up it waits for the path to come back and opens it again, like a printer whose cable is replugged.
   */
  public PrinterEmulator listenOnPty(Path path) {
    endpoint = path.toString();
    start("printer-emulator " + path, () -> {
      while (!closed) {
        if (!Files.exists(path)) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
          continue;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          serve(ch);
        } catch (IOException e) {
          LOG.debug("printer emulator: line {} gone ({}), waiting for it to come back", path, e.toString());
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
      }
    });
    return this;
  }

  /** Listens on {@code host:port} (0 for any free port, see {@link #port()}); one connection at a time. */
  public PrinterEmulator listenOnTcp(String host, int port) throws IOException {
    listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(host, port));
    endpoint = "tcp:" + host + ":" + port();
    start("printer-emulator " + endpoint, () -> {
      while (!closed) {
        try (var ch = listener.accept()) {
          ch.socket().setTcpNoDelay(true);
          serve(ch);
        } catch (IOException e) {
          if (!closed) {
            LOG.debug("printer emulator: connection ended: {}", e.toString());
          }
        }
      }
    });
    return this;
  }

  /** The bound TCP port. */
  public int port() {
    return ((InetSocketAddress) listenerAddress()).getPort();
  }

  private java.net.SocketAddress listenerAddress() {
    try {
      return listener.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("emulator is not listening on TCP", e);
    }
  }

  /** Where it listens: the pty path or {@code tcp:HOST:PORT}. */
  public String endpoint() {
    return endpoint;
  }

  private void start(String name, Runnable loop) {
    server = new Thread(loop, name);
    server.setDaemon(true);
    server.start();
  }

  private void serve(ByteChannel ch) throws IOException {
    EscPosDecoder decoder = new EscPosDecoder(new Printing());
    synchronized (monitor) {
      current = ch;
      connections++;
      monitor.notifyAll();
    }
    ByteBuffer buf = ByteBuffer.allocate(4096);
    try {
      while (!closed) {
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
          return;
        }
        synchronized (monitor) {
          bytesReceived += n;
        }
        feed(decoder, buf.array(), n);
      }
    } finally {
      synchronized (monitor) {
        current = null;
      }
    }
  }

  /** Feeds the decoder, at the slow pace if set, running out of paper at the set byte. */
  private void feed(EscPosDecoder decoder, byte[] data, int len) {
    int off = 0;
    while (off < len) {
      int chunk = Math.min(64, len - off);
      synchronized (monitor) {
        if (paperLeftBytes >= 0 && !paperOut) {
          if (paperLeftBytes == 0) {
            paperOut = true;
            LOG.debug("printer emulator: paper ran out");
          } else {
            chunk = (int) Math.min(chunk, paperLeftBytes);
            paperLeftBytes -= chunk;
          }
        }
      }
      long slow = slowNanosPerByte;
      if (slow > 0) {
        LockSupport.parkNanos(slow * chunk);
      }
      decoder.feed(data, off, chunk);
      off += chunk;
    }
  }

  // ---- fault switches

  /** Paper out now (true), or a new roll put in (false): what was printed since the last cut is torn off. */
  public void paperOut(boolean out) {
    synchronized (monitor) {
      if (paperOut && !out) {
        roll.add(new PaperRoll.RollChanged());
        paperNearEnd = false;
      }
      paperOut = out;
      paperLeftBytes = -1;
    }
  }

  /** The paper runs out after {@code bytes} more bytes of print data: a paper-out in the middle of a job. */
  public void paperOutAfter(long bytes) {
    synchronized (monitor) {
      paperLeftBytes = bytes;
    }
  }

  public void paperNearEnd(boolean nearEnd) {
    paperNearEnd = nearEnd;
  }

  public void coverOpen(boolean open) {
    coverOpen = open;
  }

  /** Switched off or unplugged at the printer end: no answers, nothing printed. */
  public void offline(boolean off) {
    offline = off;
  }

  /** Takes {@code perByte} to process each byte (a slow or busy printer); zero for full speed. */
  public void slow(Duration perByte) {
    slowNanosPerByte = perByte.toNanos();
  }

  /** Sends line noise before every status answer (bytes that can never be a status answer). */
  public void garbage(boolean on) {
    garbage = on;
  }

  /**
   * Runs {@code action} once, on the emulator's thread, right after the next cut is on paper and before any
   * later byte (such as the status query that follows the job) is read: e.g. pulling the cable there loses
   * the status answer of a job that did print.
   */
  public void afterNextCut(Runnable action) {
    afterNextCut = action;
  }

  // ---- what happened

  public PaperRoll roll() {
    return roll;
  }

  /** The receipts cut off so far, as text. */
  public List<String> receipts() {
    return roll.receipts();
  }

  public int cuts() {
    synchronized (monitor) {
      return cuts;
    }
  }

  public int statusQueries() {
    synchronized (monitor) {
      return statusQueries;
    }
  }

  public int connections() {
    synchronized (monitor) {
      return connections;
    }
  }

  public long bytesReceived() {
    synchronized (monitor) {
      return bytesReceived;
    }
  }

  public boolean isPaperOut() {
    return paperOut;
  }

  /** Waits until at least {@code n} cuts were made; false on timeout. */
  public boolean awaitCuts(int n, Duration timeout) throws InterruptedException {
    return await(() -> cuts >= n, timeout);
  }

  /** Waits until at least {@code n} status queries arrived (answered or not); false on timeout. */
  public boolean awaitStatusQueries(int n, Duration timeout) throws InterruptedException {
    return await(() -> statusQueries >= n, timeout);
  }

  /** Waits until the paper has run out (after {@link #paperOutAfter}); false on timeout. */
  public boolean awaitPaperOut(Duration timeout) throws InterruptedException {
    return await(() -> paperOut, timeout);
  }

  /** Waits until at least {@code n} connections were accepted or opened; false on timeout. */
  public boolean awaitConnections(int n, Duration timeout) throws InterruptedException {
    return await(() -> connections >= n, timeout);
  }

  private boolean await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return true;
    }
  }

  /** The four answers as an Epson printer gives them; fixed bits 0x12 in each. */
  private int answer(int n) {
    boolean stopped = paperOut || coverOpen;
    return switch (n) {
      case 1 -> 0x12 | (stopped ? 0x08 : 0);
      case 2 -> 0x12 | (coverOpen ? 0x04 : 0) | (paperOut ? 0x20 : 0);
      case 3 -> 0x12;
      case 4 -> 0x12 | (paperNearEnd || paperOut ? 0x0C : 0) | (paperOut ? 0x60 : 0);
      default -> 0x12;
    };
  }

  private void reply(byte[] bytes) {
    ByteChannel ch;
    synchronized (monitor) {
      ch = current;
    }
    if (ch == null) {
      return;
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    } catch (IOException e) {
      LOG.debug("printer emulator: could not answer: {}", e.toString());
    }
  }

  private static byte[] noise() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    byte[] bytes = new byte[1 + r.nextInt(12)];
    for (int i = 0; i < bytes.length; i++) {
      int b;
      do {
        b = r.nextInt(256);
      } while ((b & 0x93) == 0x12);
      bytes[i] = (byte) b;
    }
    return bytes;
  }

  /** The print mechanism: puts what it is sent on paper while it has paper and a closed cover. */
  private final class Printing implements EscPosDecoder.Sink {
    private boolean canPrint() {
      return !offline && !paperOut && !coverOpen; // switched off: prints nothing, says nothing
    }

    private void print(PaperRoll.Item item) {
      synchronized (monitor) {
        if (canPrint()) {
          roll.add(item);
          if (item instanceof PaperRoll.Cut) {
            cuts++;
          }
          monitor.notifyAll();
        }
      }
    }

    @Override
    public void line(String text, int align, boolean bold, boolean doubleSize) {
      print(new PaperRoll.Line(text, align, bold, doubleSize));
    }

    @Override
    public void qr(String data, int moduleSize) {
      print(new PaperRoll.QrCode(data, Math.max(1, moduleSize)));
    }

    @Override
    public void raster(int widthBytes, int height, byte[] bits) {
      print(new PaperRoll.Raster(widthBytes, height, bits, PaperRoll.readQr(widthBytes, height, bits)));
    }

    @Override
    public void logo(String key) {
      print(new PaperRoll.Logo(key));
    }

    @Override
    public void feed(int lines) {
      print(new PaperRoll.Feed(lines));
    }

    @Override
    public void cut(boolean partial) {
      print(new PaperRoll.Cut(partial));
      Runnable action = afterNextCut;
      if (action != null) {
        afterNextCut = null;
        action.run();
      }
    }

    @Override
    public void drawerKick(int pin) {
      print(new PaperRoll.Drawer(pin));
    }

    @Override
    public void statusQuery(int n) {
      synchronized (monitor) {
        statusQueries++;
        monitor.notifyAll();
      }
      if (offline) {
        return;
      }
      if (garbage) {
        reply(noise());
      }
      reply(new byte[] {(byte) answer(n)});
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      if (listener != null) {
        listener.close();
      }
      ByteChannel ch;
      synchronized (monitor) {
        ch = current;
      }
      if (ch != null) {
        ch.close();
      }
    } catch (IOException ignored) {
      // shutting down
    }
    if (server != null) {
      try {
        server.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
