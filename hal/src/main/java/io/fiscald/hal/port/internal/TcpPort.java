package io.fiscald.hal.port.internal;

import io.fiscald.hal.port.Port;
import io.fiscald.hal.port.PortClosedException;
import io.fiscald.hal.port.PortTimeoutException;
import io.fiscald.hal.port.PortUnavailableException;
import io.fiscald.hal.port.PortUnavailableException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A raw TCP connection to a network printer (port 9100, "JetDirect"). Non-blocking underneath so that
 * both reads and writes honour their timeouts; a peer that resets or closes is reported as a closed line.
 */
public final class TcpPort implements Port {
  private final String path;
  private final Duration writeTimeout;
  private SocketChannel channel;
  private Selector selector;

  private TcpPort(String path, Duration writeTimeout, SocketChannel channel, Selector selector) {
    this.path = path;
    this.writeTimeout = writeTimeout;
    this.channel = channel;
    this.selector = selector;
  }

  public static TcpPort open(String host, int port, Duration connectTimeout, Duration writeTimeout) {
    String path = "tcp:" + host + ":" + port;
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open();
      ch.socket().connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
      ch.socket().setTcpNoDelay(true);
      ch.configureBlocking(false);
      Selector sel = Selector.open();
      return new TcpPort(path, writeTimeout, ch, sel);
    } catch (UnknownHostException e) {
      closeQuietly(ch);
      throw new PortUnavailableException(path, Reason.NOT_FOUND, "unknown host " + host, e);
    } catch (ConnectException e) {
      closeQuietly(ch);
      throw new PortUnavailableException(path, Reason.REFUSED, "printer at " + host + ":" + port
          + " refused the connection: is it on, and is that its address and raw port (usually 9100)?", e);
    } catch (SocketTimeoutException e) {
      closeQuietly(ch);
      throw new PortUnavailableException(path, Reason.OTHER, "no answer from " + host + ":" + port + " within "
          + connectTimeout.toMillis() + " ms: wrong address, or the printer is off the network", e);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new PortUnavailableException(path, Reason.OTHER, "cannot connect to " + host + ":" + port + ": "
          + e.getMessage(), e);
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
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    try {
      while (buf.hasRemaining()) {
        if (channel.write(buf) == 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || !await(SelectionKey.OP_WRITE, left)) {
            throw new PortTimeoutException(path, "write (printer not taking data)", writeTimeout, buf.position());
          }
        }
      }
    } catch (IOException e) {
      int done = buf.position();
      release();
      throw new PortClosedException(path, "connection to " + path + " lost while writing (" + done + " of "
          + data.length + " bytes written): " + e.getMessage(), e);
    }
  }

  @Override
  public int read(byte[] buffer, Duration timeout) {
    live();
    ByteBuffer buf = ByteBuffer.wrap(buffer);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        int n = channel.read(buf);
        if (n < 0) {
          release();
          throw new PortClosedException(path, "printer at " + path + " closed the connection", null);
        }
        if (n > 0) {
          return n;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !await(SelectionKey.OP_READ, left)) {
          throw new PortTimeoutException(path, "read", timeout, 0);
        }
      }
    } catch (IOException e) {
      release();
      throw new PortClosedException(path, "connection to " + path + " lost while reading: " + e.getMessage(), e);
    }
  }

  @Override
  public int discardInput() {
    live();
    ByteBuffer buf = ByteBuffer.allocate(512);
    int total = 0;
    try {
      int n;
      while ((n = channel.read(buf)) > 0) {
        total += n;
        buf.clear();
      }
      if (n < 0) {
        release();
        throw new PortClosedException(path, "printer at " + path + " closed the connection", null);
      }
      return total;
    } catch (IOException e) {
      release();
      throw new PortClosedException(path, "connection to " + path + " lost: " + e.getMessage(), e);
    }
  }

  private boolean await(int op, long nanos) throws IOException {
    SelectionKey key = channel.register(selector, op);
    try {
      return selector.select(Math.max(1, nanos / 1_000_000)) > 0;
    } finally {
      key.interestOps(0);
      selector.selectedKeys().clear();
    }
  }

  private void live() {
    if (channel == null) {
      throw new PortClosedException(path, path + " is closed", null);
    }
  }

  @Override
  public boolean isOpen() {
    return channel != null;
  }

  @Override
  public void close() {
    release();
  }

  private void release() {
    closeQuietly(selector);
    closeQuietly(channel);
    selector = null;
    channel = null;
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // releasing after a failure; nothing more to do
    }
  }

  @Override
  public String toString() {
    return path + (channel == null ? " (closed)" : "");
  }
}
