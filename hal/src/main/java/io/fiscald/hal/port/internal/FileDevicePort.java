package io.fiscald.hal.port.internal;

import io.fiscald.hal.port.Port;
import io.fiscald.hal.port.PortClosedException;
import io.fiscald.hal.port.PortTimeoutException;
import io.fiscald.hal.port.PortUnavailableException;
import io.fiscald.hal.port.PortUnavailableException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A character device opened as a plain file: USB line printers ({@code /dev/usb/lp*}, whose driver
 * answers status reads on most models) and pseudo-terminals whose line settings someone else set
 * (socat's {@code raw,echo=0}). A file read cannot time out, so a daemon thread pumps what the device
 * sends into a buffer and {@link #read} waits on that buffer; closing the channel wakes the pump.
 */
public final class FileDevicePort implements Port {
  /** Ends writes the device stopped taking: a file write cannot time out, but closing its channel ends it. */
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "port-write-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final String path;
  private final Duration writeTimeout;
  private final FileChannel channel;
  private final FileChannel writer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final byte[] inbox = new byte[8192];
  private int inboxLength;
  private volatile String lineGone;
  private volatile boolean closed;

  private FileDevicePort(String path, Duration writeTimeout, FileChannel channel, FileChannel writer) {
    this.path = path;
    this.writeTimeout = writeTimeout;
    this.channel = channel;
    this.writer = writer;
  }

  public static FileDevicePort open(String path, Duration writeTimeout) {
    DeviceAccess.require(path);
    // One descriptor, two channels: a FileChannel serialises its reads and writes on one lock, so a write
    // would wait behind the pump's blocked read; each channel over the shared descriptor has its own lock,
    // and closing either still wakes a thread blocked in it.
    FileChannel in;
    FileChannel out;
    try {
      RandomAccessFile file = new RandomAccessFile(path, "rw");
      in = new FileInputStream(file.getFD()).getChannel();
      out = new FileOutputStream(file.getFD()).getChannel();
    } catch (FileNotFoundException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Permission denied")) {
        throw new PortUnavailableException(path, Reason.PERMISSION_DENIED, DeviceAccess.permissionAdvice(path), e);
      }
      if (m.contains("busy")) {
        throw new PortUnavailableException(path, Reason.BUSY, path + " is in use by another program", e);
      }
      throw new PortUnavailableException(path, Reason.NOT_FOUND, "cannot open " + path + ": " + m, e);
    } catch (IOException e) {
      throw new PortUnavailableException(path, Reason.OTHER, "cannot open " + path + ": " + e.getMessage(), e);
    }
    FileDevicePort port = new FileDevicePort(path, writeTimeout, in, out);
    Thread pump = new Thread(port::pump, "port-reader " + path);
    pump.setDaemon(true);
    pump.start();
    return port;
  }

  private void pump() {
    ByteBuffer buf = ByteBuffer.allocate(1024);
    try {
      while (!closed) {
        buf.clear();
        int n = channel.read(buf);
        if (n < 0) {
          gone("the device closed the line (end of file)");
          return;
        }
        lock.lock();
        try {
          // a full inbox drops the oldest bytes: nobody is reading them and answers come last
          int keep = Math.min(inboxLength, inbox.length - n);
          System.arraycopy(inbox, inboxLength - keep, inbox, 0, keep);
          System.arraycopy(buf.array(), Math.max(0, n - inbox.length), inbox, keep, Math.min(n, inbox.length));
          inboxLength = keep + Math.min(n, inbox.length);
          arrived.signalAll();
        } finally {
          lock.unlock();
        }
      }
    } catch (ClosedChannelException e) {
      gone("the port was closed");
    } catch (IOException e) {
      gone("the line went away (" + e.getMessage() + "): cable pulled or device off?");
    }
  }

  private void gone(String why) {
    lock.lock();
    try {
      if (lineGone == null) {
        lineGone = why;
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public void write(byte[] data) {
    live();
    ByteBuffer buf = ByteBuffer.wrap(data);
    boolean[] timedOut = {false};
    ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
      timedOut[0] = true;
      close();
    }, writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      // a tty write blocks while its buffer is full; the printer's own flow control sets the pace
      while (buf.hasRemaining()) {
        writer.write(buf);
      }
    } catch (IOException e) {
      int done = buf.position();
      close();
      if (timedOut[0]) {
        // the channel had to be closed to end the write: report the timeout, the caller reopens
        throw new PortTimeoutException(path, "write (device stopped taking data; port released)", writeTimeout,
            done);
      }
      throw new PortClosedException(path, path + " went away while writing (" + done + " of " + data.length
          + " bytes written): " + e.getMessage(), e);
    } finally {
      watchdog.cancel(false);
    }
  }

  @Override
  public int read(byte[] buffer, Duration timeout) {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (inboxLength == 0) {
        live();
        if (nanos <= 0) {
          throw new PortTimeoutException(path, "read", timeout, 0);
        }
        nanos = arrived.awaitNanos(nanos);
      }
      return take(buffer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PortTimeoutException(path, "read (interrupted)", timeout, 0);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int discardInput() {
    lock.lock();
    try {
      live();
      int n = inboxLength;
      inboxLength = 0;
      return n;
    } finally {
      lock.unlock();
    }
  }

  private int take(byte[] buffer) {
    int n = Math.min(buffer.length, inboxLength);
    System.arraycopy(inbox, 0, buffer, 0, n);
    System.arraycopy(inbox, n, inbox, 0, inboxLength - n);
    inboxLength -= n;
    return n;
  }

  private void live() {
    if (closed) {
      throw new PortClosedException(path, path + " is closed", null);
    }
    if (lineGone != null) {
      close();
      throw new PortClosedException(path, path + ": " + lineGone, null);
    }
  }

  @Override
  public boolean isOpen() {
    return !closed && lineGone == null;
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.close();
    } catch (IOException ignored) {
      // the handle is released either way
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // the handle is released either way
    }
  }

  @Override
  public String toString() {
    return "file device " + path + (isOpen() ? "" : " (closed)");
  }
}
