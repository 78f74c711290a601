package io.fiscald.sim.printer;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** What came out of the emulated printer, in order: text lines, codes, images, cuts; as text and as a PNG. */
public final class PaperRoll {
  private static final int LINE_DOTS = 24;

  /** One thing on the paper. */
  public sealed interface Item permits Line, QrCode, Raster, Logo, Feed, Cut, Drawer, RollChanged {}

  /** @param align 0 left, 1 centre, 2 right */
  public record Line(String text, int align, boolean bold, boolean doubleSize) implements Item {}

  /** A native QR code ({@code GS ( k}) with the data it encodes. */
  public record QrCode(String data, int moduleSize) implements Item {}

  /** A raster image ({@code GS v 0}); {@code qrText} is what a QR reader finds in it, or null. */
  public record Raster(int widthBytes, int height, byte[] bits, String qrText) implements Item {}

  public record Logo(String key) implements Item {}

  public record Feed(int lines) implements Item {}

  public record Cut(boolean partial) implements Item {}

  public record Drawer(int pin) implements Item {}

  /** The roll ran out and was replaced: what was printed since the last cut was torn off with it. */
  public record RollChanged() implements Item {}

  private final int columns;
  private final int dots;
  private final List<Item> items = new ArrayList<>();

  PaperRoll(int columns, int dots) {
    this.columns = columns;
    this.dots = dots;
  }

  synchronized void add(Item item) {
    items.add(item);
  }

  public synchronized List<Item> items() {
    return List.copyOf(items);
  }

  /** The whole roll as text, cuts shown as a scissors line. */
  public synchronized String text() {
    StringBuilder out = new StringBuilder();
    for (Item i : items) {
      out.append(text(i));
    }
    return out.toString();
  }

  /** The text of each piece of paper that was cut off: the printed receipts, in order. */
  public synchronized List<String> receipts() {
    List<String> out = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    for (Item i : items) {
      if (i instanceof Cut) {
        out.add(piece.toString());
        piece.setLength(0);
      } else if (i instanceof RollChanged) {
        piece.setLength(0); // an unfinished piece leaves with the empty roll
      } else {
        piece.append(text(i));
      }
    }
    return out;
  }

  private String text(Item i) {
    if (i instanceof Line l) {
      int pad = l.align() == 1 ? Math.max(0, (columns - l.text().length()) / 2)
          : l.align() == 2 ? Math.max(0, columns - l.text().length()) : 0;
      return " ".repeat(pad) + l.text() + "\n";
    }
    if (i instanceof QrCode q) {
      return "[QR " + q.data() + "]\n";
    }
    if (i instanceof Raster r) {
      return r.qrText() != null ? "[QR-RASTER " + r.qrText() + "]\n" : "[IMAGE " + r.widthBytes() * 8 + "x"
          + r.height() + "]\n";
    }
    if (i instanceof Logo l) {
      return "[LOGO " + l.key() + "]\n";
    }
    if (i instanceof Feed f) {
      return "\n".repeat(Math.min(f.lines(), 3));
    }
    if (i instanceof Cut) {
      return "- - - - - - - - - 8< - - - - - - - - -\n";
    }
    if (i instanceof Drawer d) {
      return "[DRAWER PIN " + d.pin() + "]\n";
    }
    return "~~~~~~~~ paper roll replaced ~~~~~~~~\n";
  }

  /** Draws the roll as a PNG the width of the paper, QR codes included. */
  public synchronized void writePng(Path file) throws IOException {
    int height = 16;
    for (Item i : items) {
      height += height(i);
    }
    BufferedImage img = new BufferedImage(dots + 32, Math.max(64, height), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    int charWidth = dots / columns;
    Font normal = fontFor(g, charWidth);
    int y = 8;
    for (Item i : items) {
      draw(g, i, 16, y, charWidth, normal);
      y += height(i);
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  private int height(Item i) {
    if (i instanceof Line l) {
      return l.doubleSize() ? 2 * LINE_DOTS : LINE_DOTS;
    }
    if (i instanceof QrCode q) {
      return qrMatrix(q.data()).getWidth() * q.moduleSize() + 8;
    }
    if (i instanceof Raster r) {
      return r.height() + 8;
    }
    if (i instanceof Feed f) {
      return f.lines() * LINE_DOTS;
    }
    return LINE_DOTS;
  }

  private void draw(Graphics2D g, Item i, int x0, int y, int charWidth, Font font) {
    g.setColor(Color.BLACK);
    if (i instanceof Line l) {
      int scale = l.doubleSize() ? 2 : 1;
      int width = l.text().length() * charWidth * scale;
      int x = l.align() == 1 ? (dots - width) / 2 : l.align() == 2 ? dots - width : 0;
      Font f = font.deriveFont(l.bold() ? Font.BOLD : Font.PLAIN, font.getSize2D() * scale);
      g.setFont(f);
      drawText(g, l.text(), x0 + Math.max(0, x), y + (int) (LINE_DOTS * scale * 0.8), charWidth * scale);
    } else if (i instanceof QrCode q) {
      BitMatrix m = qrMatrix(q.data());
      int size = m.getWidth() * q.moduleSize();
      int left = x0 + (dots - size) / 2;
      for (int my = 0; my < m.getHeight(); my++) {
        for (int mx = 0; mx < m.getWidth(); mx++) {
          if (m.get(mx, my)) {
            g.fillRect(left + mx * q.moduleSize(), y + 4 + my * q.moduleSize(), q.moduleSize(), q.moduleSize());
          }
        }
      }
    } else if (i instanceof Raster r) {
      int left = x0 + (dots - r.widthBytes() * 8) / 2;
      for (int ry = 0; ry < r.height(); ry++) {
        for (int rx = 0; rx < r.widthBytes() * 8; rx++) {
          if ((r.bits()[ry * r.widthBytes() + rx / 8] & (0x80 >> (rx % 8))) != 0) {
            g.fillRect(left + rx, y + 4 + ry, 1, 1);
          }
        }
      }
    } else if (i instanceof Cut || i instanceof RollChanged) {
      g.setColor(Color.GRAY);
      g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL, 1, new float[] {6, 4}, 0));
      g.drawLine(0, y + LINE_DOTS / 2, dots + 32, y + LINE_DOTS / 2);
    } else if (i instanceof Logo l) {
      g.drawRect(x0 + dots / 2 - 60, y + 2, 120, LINE_DOTS - 4);
      g.setFont(font);
      drawText(g, "LOGO " + l.key(), x0 + dots / 2 - 40, y + (int) (LINE_DOTS * 0.8), charWidth);
    }
  }

  /** Text in the paper's fixed pitch; without usable fonts each character becomes a small block. */
  private static void drawText(Graphics2D g, String text, int x, int baseline, int pitch) {
    for (int c = 0; c < text.length(); c++) {
      char ch = text.charAt(c);
      if (ch == ' ') {
        continue;
      }
      try {
        g.drawString(String.valueOf(ch), x + c * pitch, baseline);
      } catch (RuntimeException | Error headlessWithoutFonts) {
        g.fillRect(x + c * pitch + 1, baseline - pitch, pitch - 2, pitch);
      }
    }
  }

  private static Font fontFor(Graphics2D g, int charWidth) {
    Font f = new Font(Font.MONOSPACED, Font.PLAIN, 20);
    try {
      int w = g.getFontMetrics(f).charWidth('M');
      return w > 0 ? f.deriveFont(20f * charWidth / w) : f;
    } catch (RuntimeException | Error e) {
      return f;
    }
  }

  static BitMatrix qrMatrix(String data) {
    Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
    hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
    hints.put(EncodeHintType.MARGIN, 0);
    hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
    try {
      return new QRCodeWriter().encode(data, BarcodeFormat.QR_CODE, 0, 0, hints);
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot draw QR code: " + e.getMessage(), e);
    }
  }

  /** Reads a QR code out of a raster image, as a phone would from the paper; null when there is none. */
  static String readQr(int widthBytes, int height, byte[] bits) {
    int border = 16;
    int w = widthBytes * 8 + 2 * border;
    int h = height + 2 * border;
    byte[] lum = new byte[w * h];
    java.util.Arrays.fill(lum, (byte) 0xFF);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < widthBytes * 8; x++) {
        if ((bits[y * widthBytes + x / 8] & (0x80 >> (x % 8))) != 0) {
          lum[(y + border) * w + x + border] = 0;
        }
      }
    }
    LuminanceSource source = new LuminanceSource(w, h) {
      @Override
      public byte[] getRow(int y, byte[] row) {
        byte[] r = row != null && row.length >= w ? row : new byte[w];
        System.arraycopy(lum, y * w, r, 0, w);
        return r;
      }

      @Override
      public byte[] getMatrix() {
        return lum;
      }
    };
    try {
      Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
      hints.put(DecodeHintType.PURE_BARCODE, Boolean.TRUE);
      return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints).getText();
    } catch (NotFoundException | ChecksumException | FormatException e) {
      return null;
    }
  }
}
