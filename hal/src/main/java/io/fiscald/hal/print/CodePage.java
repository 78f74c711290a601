package io.fiscald.hal.print;

import java.nio.charset.Charset;

/**
 * The single-byte character tables receipt printers carry. The {@code ESC t} number that selects each
 * one differs between makers, so it comes from the {@link PrinterProfile}, not from here.
 */
public enum CodePage {
  /** The US original: box drawing, a few accented letters, no euro sign. */
  PC437("IBM437"),
  /** Western European: accented letters, £; no euro sign. */
  PC850("IBM850"),
  /** PC850 with the euro sign at 0xD5. */
  PC858("IBM00858"),
  /** Windows Western European: €, curly quotes, dashes. */
  WPC1252("windows-1252"),
  /** Cyrillic. */
  PC866("IBM866");

  private final String charsetName;
  private final char[] high = new char[128];

  CodePage(String charsetName) {
    this.charsetName = charsetName;
    byte[] bytes = new byte[128];
    for (int i = 0; i < 128; i++) {
      bytes[i] = (byte) (0x80 + i);
    }
    String decoded = new String(bytes, Charset.forName(charsetName));
    for (int i = 0; i < 128; i++) {
      high[i] = decoded.charAt(i);
    }
  }

  /** The Java charset of this table, e.g. {@code IBM00858}. */
  public String charsetName() {
    return charsetName;
  }

  /** The byte for {@code c} in this table, or -1 when the table does not have it. */
  public int encode(char c) {
    if (c >= 0x20 && c < 0x7F) {
      return c;
    }
    for (int i = 0; i < 128; i++) {
      if (high[i] == c && c != '\uFFFD') {
        return 0x80 + i;
      }
    }
    return -1;
  }

  /** The character at {@code b}, for decoding what a printer was sent. */
  public char decode(int b) {
    int u = b & 0xFF;
    return u < 0x80 ? (char) u : high[u - 0x80];
  }
}
