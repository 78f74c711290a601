package io.fiscald.hal.controlunit;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One framed message of the control-unit line protocol:
 * {@code STX | LEN (2, big-endian) | SEQ | CMD | DATA | CRC (2, big-endian) | ETX}, where LEN counts
 * SEQ, CMD and DATA, and CRC is CRC-16/CCITT-FALSE over LEN, SEQ, CMD and DATA (docs/FISCAL-MODULES.md).
 */
public record Frame(int seq, int command, byte[] data) {
  public static final int STX = 0x02;
  public static final int ETX = 0x03;
  /** Single-byte answer: the frame arrived intact and is being processed. */
  public static final int ACK = 0x06;
  /** Single-byte answer: the frame arrived damaged; send it again. */
  public static final int NAK = 0x15;
  /** Single-byte answer: busy, frame not taken (instead of ACK), or still working (while a response is due). */
  public static final int WAIT = 0x16;
  /** Largest DATA a frame may carry; a longer LEN on the line is garbage. */
  public static final int MAX_DATA = 1024;

  public Frame {
    if (seq < 0 || seq > 0xff) {
      throw new IllegalArgumentException("sequence number must fit one byte, got " + seq);
    }
    if (command < 0 || command > 0xff) {
      throw new IllegalArgumentException("command must fit one byte, got " + command);
    }
    data = Objects.requireNonNull(data, "data").clone();
    if (data.length > MAX_DATA) {
      throw new IllegalArgumentException("frame data of " + data.length + " bytes exceeds " + MAX_DATA);
    }
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The bytes on the line, STX to ETX. */
  public byte[] encode() {
    int len = data.length + 2;
    byte[] body = new byte[2 + len];
    body[0] = (byte) (len >>> 8);
    body[1] = (byte) len;
    body[2] = (byte) seq;
    body[3] = (byte) command;
    System.arraycopy(data, 0, body, 4, data.length);
    int crc = crc16(body, 0, body.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 4);
    out.write(STX);
    out.writeBytes(body);
    out.write(crc >>> 8);
    out.write(crc);
    out.write(ETX);
    return out.toByteArray();
  }

  /** CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR. */
  public static int crc16(byte[] bytes, int offset, int length) {
    int crc = 0xffff;
    for (int i = offset; i < offset + length; i++) {
      crc ^= (bytes[i] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return crc & 0xffff;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && f.seq == seq && f.command == command && Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * seq + command) + Arrays.hashCode(data);
  }

  /** Sequence, command and length only: frame data may carry signatures or hashes, never worth logging in full. */
  @Override
  public String toString() {
    return "Frame[seq=" + seq + ", cmd=0x" + HexFormat.of().toHexDigits((byte) command) + ", " + data.length
        + " data bytes]";
  }
}
