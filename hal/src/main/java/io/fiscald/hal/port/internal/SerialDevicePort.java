package io.fiscald.hal.port.internal;

import com.fazecast.jSerialComm.SerialPort;
import io.fiscald.hal.port.FlowControl;
import io.fiscald.hal.port.Port;
import io.fiscald.hal.port.PortClosedException;
import io.fiscald.hal.port.PortTimeoutException;
import io.fiscald.hal.port.PortUnavailableException;
import io.fiscald.hal.port.PortUnavailableException.Reason;
import io.fiscald.hal.port.SerialSettings;
import java.time.Duration;

/**
 * A serial port through jSerialComm: USB-serial adapters, on-board UARTs and pseudo-terminals (jSerialComm
 * opens socat's ptys; the termios calls a pty ignores are harmless). jSerialComm reports errors as return
 * codes and errno; they are turned into typed exceptions here.
 */
public final class SerialDevicePort implements Port {
  private static final int EBUSY = 16;
  private static final int EACCES = 13;

  private final String path;
  private final SerialSettings settings;
  private SerialPort port;
  private int readTimeoutMs = -1;

  private SerialDevicePort(String path, SerialSettings settings, SerialPort port) {
    this.path = path;
    this.settings = settings;
    this.port = port;
  }

  public static SerialDevicePort open(String path, SerialSettings settings) {
    DeviceAccess.require(path);
    SerialPort p = SerialPort.getCommPort(path);
    p.setComPortParameters(settings.baudRate(), settings.dataBits(), stopBits(settings), parity(settings));
    p.setFlowControl(flow(settings.flowControl()));
    int writeMs = (int) Math.min(Integer.MAX_VALUE, settings.writeTimeout().toMillis());
    p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
        (int) settings.readTimeout().toMillis(), writeMs);
    if (!p.openPort()) {
      int errno = p.getLastErrorCode();
      Reason reason = errno == EBUSY ? Reason.BUSY : errno == EACCES ? Reason.PERMISSION_DENIED : Reason.OTHER;
      String why = switch (reason) {
        case BUSY -> "it is in use by another program (another fiscald, a modem manager, a terminal?)";
        case PERMISSION_DENIED -> DeviceAccess.permissionAdvice(path);
        default -> "the driver refused it (errno " + errno + ")";
      };
      throw new PortUnavailableException(path, reason, "cannot open serial port " + path + " at " + settings + ": "
          + why, null);
    }
    SerialDevicePort opened = new SerialDevicePort(path, settings, p);
    opened.readTimeoutMs = (int) settings.readTimeout().toMillis();
    return opened;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public void write(byte[] data) {
    SerialPort p = live();
    long deadline = System.nanoTime() + settings.writeTimeout().toNanos();
    int done = 0;
    while (done < data.length) {
      int n = p.writeBytes(data, data.length - done, done);
      if (n < 0 || (n == 0 && isLineGone(p.getLastErrorCode()))) {
        int errno = p.getLastErrorCode();
        release();
        throw new PortClosedException(path, "serial port " + path + " went away while writing (errno " + errno
            + ", " + done + " of " + data.length + " bytes written): cable pulled or device off?", null);
      }
      done += n;
      if (done < data.length && (n == 0 || System.nanoTime() > deadline)) {
        throw new PortTimeoutException(path, "write (device not taking data; flow control " + settings.flowControl()
            + ")", settings.writeTimeout(), done);
      }
    }
  }

  @Override
  public int read(byte[] buffer, Duration timeout) {
    SerialPort p = live();
    int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    if (ms != readTimeoutMs) {
      p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, ms,
          (int) Math.min(Integer.MAX_VALUE, settings.writeTimeout().toMillis()));
      readTimeoutMs = ms;
    }
    int n = p.readBytes(buffer, buffer.length);
    if (n < 0) {
      release();
      throw new PortClosedException(path, "serial port " + path + " went away while reading: cable pulled or device off?",
          null);
    }
    if (n == 0) {
      throw new PortTimeoutException(path, "read", timeout, 0);
    }
    return n;
  }

  @Override
  public int discardInput() {
    SerialPort p = live();
    int total = 0;
    byte[] buf = new byte[256];
    int available;
    while ((available = p.bytesAvailable()) > 0) {
      int n = p.readBytes(buf, Math.min(buf.length, available));
      if (n <= 0) {
        break;
      }
      total += n;
    }
    if (available < 0) {
      release();
      throw new PortClosedException(path, "serial port " + path + " went away: cable pulled or device off?", null);
    }
    return total;
  }

  @Override
  public boolean isOpen() {
    return port != null;
  }

  @Override
  public void close() {
    release();
  }

  private SerialPort live() {
    if (port == null) {
      throw new PortClosedException(path, "serial port " + path + " is closed", null);
    }
    return port;
  }

  private void release() {
    if (port != null) {
      port.closePort();
      port = null;
    }
  }

  /** EIO, ENXIO, EBADF, ENODEV, EPIPE: what Linux answers once a USB adapter is unplugged or a pty hung up. */
  private static boolean isLineGone(int errno) {
    return errno == 5 || errno == 6 || errno == 9 || errno == 19 || errno == 32;
  }

  private static int stopBits(SerialSettings s) {
    return switch (s.stopBits()) {
      case ONE -> SerialPort.ONE_STOP_BIT;
      case ONE_POINT_FIVE -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
      case TWO -> SerialPort.TWO_STOP_BITS;
    };
  }

  private static int parity(SerialSettings s) {
    return switch (s.parity()) {
      case NONE -> SerialPort.NO_PARITY;
      case ODD -> SerialPort.ODD_PARITY;
      case EVEN -> SerialPort.EVEN_PARITY;
      case MARK -> SerialPort.MARK_PARITY;
      case SPACE -> SerialPort.SPACE_PARITY;
    };
  }

  private static int flow(FlowControl f) {
    return switch (f) {
      case NONE -> SerialPort.FLOW_CONTROL_DISABLED;
      case RTS_CTS -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
      case XON_XOFF -> SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
    };
  }

  @Override
  public String toString() {
    return "serial " + path + " " + settings + (port == null ? " (closed)" : "");
  }
}
