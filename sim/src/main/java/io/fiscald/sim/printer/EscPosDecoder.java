package io.fiscald.sim.printer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads an ESC/POS byte stream the way a printer does: text in the selected code page, styles, QR codes
 * (native and raster), logo, cuts, drawer kicks and real-time status queries, reported to a {@link Sink}.
 * Commands may arrive split across reads; unknown commands and stray bytes are skipped, never fatal.
 */
final class EscPosDecoder {
  /** Epson's ESC t numbers for the tables fiscald uses. */
  private static final Map<Integer, String> CODE_TABLES = Map.of(0, "IBM437", 2, "IBM850", 16, "windows-1252",
      17, "IBM866", 19, "IBM00858");

  /** What the decoded stream asks the printer to do. */
  interface Sink {
    void line(String text, int align, boolean bold, boolean doubleSize);

    void qr(String data, int moduleSize);

    void raster(int widthBytes, int height, byte[] bits);

    void logo(String key);

    void feed(int lines);

    void cut(boolean partial);

    void drawerKick(int pin);

    /** A real-time {@code DLE EOT n} query; answered even while the printer cannot print. */
    void statusQuery(int n);
  }

  private final Sink sink;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final StringBuilder line = new StringBuilder();
  private char[] table = table("IBM437");
  private int align;
  private boolean bold;
  private boolean doubleSize;
  private int qrModule = 3;
  private byte[] qrData = new byte[0];

  EscPosDecoder(Sink sink) {
    this.sink = sink;
  }

  /** Feeds bytes from the line; incomplete commands wait for the rest. */
  void feed(byte[] data, int off, int len) {
    pending.write(data, off, len);
    byte[] buf = pending.toByteArray();
    int pos = 0;
    while (pos < buf.length) {
      int used = command(buf, pos);
      if (used < 0) {
        break; // incomplete: keep it for the next read
      }
      pos += used;
    }
    pending.reset();
    pending.write(buf, pos, buf.length - pos);
  }

  /** Bytes consumed by the command at {@code p}, or -1 when it is not all here yet. */
  private int command(byte[] b, int p) {
    int c = b[p] & 0xFF;
    switch (c) {
      case 0x0A -> {
        sink.line(line.toString(), align, bold, doubleSize);
        line.setLength(0);
        return 1;
      }
      case 0x10 -> {
        if (!has(b, p, 3)) {
          return -1;
        }
        if (b[p + 1] == 0x04) {
          sink.statusQuery(b[p + 2] & 0xFF);
          return 3;
        }
        return 1;
      }
      case 0x1B -> {
        return esc(b, p);
      }
      case 0x1D -> {
        return gs(b, p);
      }
      case 0x1C -> {
        return has(b, p, 2) ? 2 : -1;
      }
      case 0x09 -> {
        line.append(' ');
        return 1;
      }
      default -> {
        if (c >= 0x20 && c != 0x7F) {
          line.append(table[c]);
        }
        return 1;
      }
    }
  }

  private int esc(byte[] b, int p) {
    if (!has(b, p, 2)) {
      return -1;
    }
    int cmd = b[p + 1] & 0xFF;
    switch (cmd) {
      case '@' -> {
        align = 0;
        bold = false;
        doubleSize = false;
        table = table("IBM437");
        line.setLength(0);
        return 2;
      }
      case 'a', 'E', 't', 'd', '!', '-', 'M', 'G', 'J', 'R', '3', 'U', 'r', 'c' -> {
        if (!has(b, p, 3)) {
          return -1;
        }
        int n = b[p + 2] & 0xFF;
        switch (cmd) {
          case 'a' -> align = Math.min(2, n % 48);
          case 'E' -> bold = (n & 1) != 0;
          case 't' -> table = table(CODE_TABLES.getOrDefault(n, "IBM437"));
          case 'd' -> {
            flushPartialLine();
            sink.feed(n);
          }
          case '!' -> doubleSize = (n & 0x30) == 0x30;
          default -> {
            // underline, font, reverse and spacing do not change the decoded text
          }
        }
        return 3;
      }
      case 'p' -> {
        if (!has(b, p, 5)) {
          return -1;
        }
        sink.drawerKick((b[p + 2] & 1) == 0 ? 2 : 5);
        return 5;
      }
      default -> {
        return 2;
      }
    }
  }

  private int gs(byte[] b, int p) {
    if (!has(b, p, 2)) {
      return -1;
    }
    int cmd = b[p + 1] & 0xFF;
    switch (cmd) {
      case '!' -> {
        if (!has(b, p, 3)) {
          return -1;
        }
        doubleSize = (b[p + 2] & 0x11) == 0x11;
        return 3;
      }
      case 'V' -> {
        if (!has(b, p, 3)) {
          return -1;
        }
        int m = b[p + 2] & 0xFF;
        int len = m >= 65 ? 4 : 3;
        if (!has(b, p, len)) {
          return -1;
        }
        flushPartialLine();
        if (m >= 65) {
          sink.feed(b[p + 3] & 0xFF);
        }
        sink.cut(m == 1 || m == 49 || m == 66);
        return len;
      }
      case '(' -> {
        if (!has(b, p, 5)) {
          return -1;
        }
        int fnLen = (b[p + 3] & 0xFF) | (b[p + 4] & 0xFF) << 8;
        if (!has(b, p, 5 + fnLen)) {
          return -1;
        }
        byte[] params = Arrays.copyOfRange(b, p + 5, p + 5 + fnLen);
        if (b[p + 2] == 'k') {
          qrFunction(params);
        } else if (b[p + 2] == 'L' && params.length >= 4 && params[1] == 69) {
          sink.logo(new String(params, 2, 2, StandardCharsets.ISO_8859_1));
        }
        return 5 + fnLen;
      }
      case 'v' -> {
        if (!has(b, p, 8)) {
          return -1;
        }
        int x = (b[p + 4] & 0xFF) | (b[p + 5] & 0xFF) << 8;
        int y = (b[p + 6] & 0xFF) | (b[p + 7] & 0xFF) << 8;
        if (x > 256 || y > 4096) {
          return 2; // wider than any roll or longer than any logo: noise, not an image
        }
        if (!has(b, p, 8 + x * y)) {
          return -1;
        }
        flushPartialLine();
        sink.raster(x, y, Arrays.copyOfRange(b, p + 8, p + 8 + x * y));
        return 8 + x * y;
      }
      case 'B', 'h', 'w', 'H', 'f', 'L', 'W' -> {
        return has(b, p, 3) ? 3 : -1;
      }
      default -> {
        return 2;
      }
    }
  }

  /** GS ( k with cn 49 (QR): 67 sets the module size, 80 stores the data, 81 prints it. */
  private void qrFunction(byte[] params) {
    if (params.length < 2 || params[0] != 49) {
      return;
    }
    switch (params[1]) {
      case 67 -> qrModule = params.length > 2 ? params[2] & 0xFF : qrModule;
      case 80 -> qrData = Arrays.copyOfRange(params, 3, params.length);
      case 81 -> {
        flushPartialLine();
        sink.qr(new String(qrData, StandardCharsets.UTF_8), qrModule);
      }
      default -> {
        // model and error correction level do not change what the code says
      }
    }
  }

  private void flushPartialLine() {
    if (line.length() > 0) {
      sink.line(line.toString(), align, bold, doubleSize);
      line.setLength(0);
    }
  }

  private static boolean has(byte[] b, int p, int n) {
    return b.length - p >= n;
  }

  private static char[] table(String charset) {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    return new String(all, Charset.forName(charset)).toCharArray();
  }
}
