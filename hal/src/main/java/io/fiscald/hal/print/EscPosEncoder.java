package io.fiscald.hal.print;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.fiscald.hal.print.PrintDocument.Cut;
import io.fiscald.hal.print.PrintDocument.DrawerKick;
import io.fiscald.hal.print.PrintDocument.Element;
import io.fiscald.hal.print.PrintDocument.Feed;
import io.fiscald.hal.print.PrintDocument.Logo;
import io.fiscald.hal.print.PrintDocument.Qr;
import io.fiscald.hal.print.PrintDocument.Text;
import io.fiscald.hal.print.PrinterProfile.CodePageSlot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.EnumMap;
import java.util.Map;

/**
 * Renders a {@link PrintDocument} to ESC/POS bytes for one {@link PrinterProfile}. Characters go out in
 * the profile's code pages, switching page mid-line where a character needs it; a character no page has
 * is transliterated ({@code €} to {@code EUR}, {@code é} to {@code e}) or printed as {@code ?}, never
 * an error. QR codes are native ({@code GS ( k}) or a raster image ({@code GS v 0}) drawn with ZXing.
 */
public final class EscPosEncoder {
  /** QR error correction level M (15 %): survives a scuffed receipt, keeps the code small. */
  private static final int QR_EC_M = 49;
  private static final int QR_MAX_BYTES = 2953;
  private static final Map<Character, String> TRANSLITERATION = Map.ofEntries(
      Map.entry('€', "EUR"), Map.entry('£', "GBP"), Map.entry('–', "-"), Map.entry('—', "-"),
      Map.entry('‘', "'"), Map.entry('’', "'"), Map.entry('“', "\""), Map.entry('”', "\""),
      Map.entry('…', "..."), Map.entry('\u00A0', " "), Map.entry('•', "*"), Map.entry('×', "x"),
      Map.entry('Ø', "O"), Map.entry('ø', "o"), Map.entry('Æ', "AE"), Map.entry('æ', "ae"), Map.entry('Œ', "OE"),
      Map.entry('œ', "oe"), Map.entry('Ł', "L"), Map.entry('ł', "l"), Map.entry('Đ', "D"), Map.entry('đ', "d"));

  private final PrinterProfile profile;

  public EscPosEncoder(PrinterProfile profile) {
    this.profile = profile;
  }

  public byte[] encode(PrintDocument doc) {
    State s = new State();
    s.out.writeBytes(EscPos.INITIALIZE);
    s.selectPage(profile.codePages().get(0));
    for (Element e : doc.elements()) {
      if (e instanceof Text t) {
        s.style(t.align(), t.bold(), t.doubleSize());
        s.text(t.text());
        s.out.write(EscPos.LF);
      } else if (e instanceof Qr q) {
        s.style(Align.CENTER, false, false);
        if (profile.nativeQr()) {
          nativeQr(s.out, q.data());
        } else {
          rasterQr(s.out, q.data());
        }
      } else if (e instanceof Logo) {
        if (profile.logoKey() != null) {
          s.style(Align.CENTER, false, false);
          s.out.writeBytes(EscPos.printStoredLogo(profile.logoKey()));
        }
      } else if (e instanceof Feed f) {
        s.out.writeBytes(EscPos.feed(Math.max(0, Math.min(255, f.lines()))));
      } else if (e instanceof Cut) {
        if (profile.cutter() == PrinterProfile.Cutter.NONE) {
          s.out.writeBytes(EscPos.feed(profile.feedLinesBeforeCut() + 2)); // tear-off bar: feed past it
        } else {
          s.out.writeBytes(EscPos.feed(profile.feedLinesBeforeCut()));
          s.out.writeBytes(EscPos.cut(profile.cutter() == PrinterProfile.Cutter.PARTIAL));
        }
      } else if (e instanceof DrawerKick k && profile.drawer()) {
        s.out.writeBytes(EscPos.drawerKick(k.pin()));
      }
    }
    return s.out.toByteArray();
  }

  /** GS ( k: model 2, module size, error correction M, store the data, print it. */
  void nativeQr(ByteArrayOutputStream out, String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > QR_MAX_BYTES) {
      throw new IllegalArgumentException("QR data too long: " + bytes.length + " bytes (max " + QR_MAX_BYTES + ")");
    }
    out.writeBytes(new byte[] {EscPos.GS, '(', 'k', 4, 0, 49, 65, 50, 0});
    out.writeBytes(new byte[] {EscPos.GS, '(', 'k', 3, 0, 49, 67, (byte) profile.qrModuleSize()});
    out.writeBytes(new byte[] {EscPos.GS, '(', 'k', 3, 0, 49, 69, QR_EC_M});
    int len = bytes.length + 3;
    out.writeBytes(new byte[] {EscPos.GS, '(', 'k', (byte) (len & 0xFF), (byte) (len >> 8), 49, 80, 48});
    out.writeBytes(bytes);
    out.writeBytes(new byte[] {EscPos.GS, '(', 'k', 3, 0, 49, 81, 48});
  }

  /** GS v 0: the QR code as a raster bit image, one bit per dot, most significant bit leftmost. */
  void rasterQr(ByteArrayOutputStream out, String data) {
    BitMatrix m = qrMatrix(data);
    int modules = m.getWidth();
    int scale = profile.qrModuleSize();
    while (scale > 1 && modules * scale > profile.dotsPerLine()) {
      scale--;
    }
    int dots = modules * scale;
    int bytesPerRow = (dots + 7) / 8;
    out.writeBytes(new byte[] {EscPos.GS, 'v', '0', 0, (byte) (bytesPerRow & 0xFF), (byte) (bytesPerRow >> 8),
        (byte) (dots & 0xFF), (byte) (dots >> 8)});
    for (int y = 0; y < dots; y++) {
      byte[] row = new byte[bytesPerRow];
      for (int x = 0; x < dots; x++) {
        if (m.get(x / scale, y / scale)) {
          row[x / 8] |= (byte) (0x80 >> (x % 8));
        }
      }
      out.writeBytes(row);
    }
  }

  /** The QR code's modules, no quiet zone (the paper around it is white), error correction M. */
  public static BitMatrix qrMatrix(String data) {
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

  /** What has been selected on the printer so far, so each command is sent only when it changes. */
  private final class State {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    CodePageSlot page;
    Align align = Align.LEFT;
    boolean bold;
    boolean doubleSize;

    void selectPage(CodePageSlot slot) {
      page = slot;
      out.writeBytes(EscPos.codeTable(slot.escT()));
    }

    void style(Align a, boolean b, boolean d) {
      if (a != align) {
        out.writeBytes(EscPos.align(a));
        align = a;
      }
      if (b != bold) {
        out.writeBytes(EscPos.bold(b));
        bold = b;
      }
      if (d != doubleSize) {
        out.writeBytes(EscPos.size(d));
        doubleSize = d;
      }
    }

    void text(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          i++; // emoji and other astral characters: no receipt code page has them
          out.write('?');
          continue;
        }
        if (!put(c)) {
          String alt = transliterate(c);
          for (int j = 0; j < alt.length(); j++) {
            if (!put(alt.charAt(j))) {
              out.write('?');
            }
          }
        }
      }
    }

    /** Writes {@code c} in the current page, or switches to the first page that has it. */
    boolean put(char c) {
      int b = page.page().encode(c);
      if (b >= 0) {
        out.write(b);
        return true;
      }
      if (c < 0x20 || c == 0x7F) {
        out.write(' '); // a control character in a name must never reach the printer as a command
        return true;
      }
      for (CodePageSlot slot : profile.codePages()) {
        int alt = slot.page().encode(c);
        if (alt >= 0) {
          selectPage(slot);
          out.write(alt);
          return true;
        }
      }
      return false;
    }
  }

  static String transliterate(char c) {
    String t = TRANSLITERATION.get(c);
    if (t != null) {
      return t;
    }
    String stripped = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return stripped.isEmpty() || stripped.equals(String.valueOf(c)) ? "?" : stripped;
  }
}
