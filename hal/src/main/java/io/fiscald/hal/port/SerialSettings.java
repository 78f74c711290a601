package io.fiscald.hal.port;

import java.time.Duration;
import java.util.Objects;

/**
 * Line settings of a serial port, validated on construction. The defaults (9600 8N1, no flow
 * control) match most receipt printers out of the box; fiscal modules document their own.
 */
public record SerialSettings(int baudRate, int dataBits, Parity parity, StopBits stopBits, FlowControl flowControl,
    Duration readTimeout, Duration writeTimeout) {

  public static final SerialSettings DEFAULT = new SerialSettings(9600, 8, Parity.NONE, StopBits.ONE,
      FlowControl.NONE, Duration.ofMillis(1000), Duration.ofMillis(5000));

  public SerialSettings {
    if (baudRate < 50 || baudRate > 4_000_000) {
      throw new IllegalArgumentException("baud rate out of range: " + baudRate);
    }
    if (dataBits < 5 || dataBits > 8) {
      throw new IllegalArgumentException("data bits must be 5 to 8, got " + dataBits);
    }
    Objects.requireNonNull(parity, "parity");
    Objects.requireNonNull(stopBits, "stopBits");
    Objects.requireNonNull(flowControl, "flowControl");
    if (readTimeout.isNegative() || readTimeout.isZero() || writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  public SerialSettings withBaudRate(int baud) {
    return new SerialSettings(baud, dataBits, parity, stopBits, flowControl, readTimeout, writeTimeout);
  }

  public SerialSettings withFlowControl(FlowControl flow) {
    return new SerialSettings(baudRate, dataBits, parity, stopBits, flow, readTimeout, writeTimeout);
  }

  /** The usual short form, e.g. {@code 9600 8N1 RTS_CTS}. */
  @Override
  public String toString() {
    return baudRate + " " + dataBits + parity.name().charAt(0)
        + (stopBits == StopBits.ONE ? "1" : stopBits == StopBits.TWO ? "2" : "1.5") + " " + flowControl;
  }
}
