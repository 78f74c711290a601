package io.fiscald.hal.print;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.common.BitMatrix;
import io.fiscald.hal.print.PrintDocument.DrawerPin;
import io.fiscald.hal.print.PrinterProfile.CodePageSlot;
import io.fiscald.hal.print.PrinterProfile.Cutter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ESC/POS output checked byte for byte against the command reference. */
class EscPosEncoderTest {
  private static final byte ESC = 0x1B;
  private static final byte GS = 0x1D;
  private static final byte[] PREAMBLE = {ESC, '@', ESC, 't', 0};

  private final PrinterProfile generic = PrinterProfile.generic(48);

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof byte[] b) {
        out.writeBytes(b);
      } else if (p instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
      } else if (p instanceof Character c) {
        out.write(c);
      } else {
        out.write(((Number) p).intValue());
      }
    }
    return out.toByteArray();
  }

  private byte[] encode(PrinterProfile profile, DocumentBuilder b) {
    return new EscPosEncoder(profile).encode(b.build());
  }

  @Test
  void stylesAreSentOnlyWhenTheyChange() {
    byte[] out = encode(generic, new DocumentBuilder(48).title("SHOP").center("Nairobi").left("x").left("y"));
    assertThat(out).isEqualTo(bytes(PREAMBLE,
        ESC, 'a', 1, ESC, 'E', 1, GS, '!', 0x11, "SHOP", 0x0A,
        ESC, 'E', 0, GS, '!', 0x00, "Nairobi", 0x0A,
        ESC, 'a', 0, "x", 0x0A, "y", 0x0A));
  }

  @Test
  void euroSwitchesToPc858AndBackOnlyWhenNeeded() {
    byte[] out = encode(generic, new DocumentBuilder(48).left("5 € é"));
    // PC437 has é (0x82) but no €; PC858 has € at 0xD5 and é at 0x82, so it stays there
    assertThat(out).isEqualTo(bytes(PREAMBLE, "5 ", ESC, 't', 19, 0xD5, " ", 0x82, 0x0A));
  }

  @Test
  void charactersNoPageHasAreTransliteratedOrQuestionMarksNeverAnError() {
    PrinterProfile onlyPc437 = new PrinterProfile("old", 48, 576, true, 6,
        List.of(new CodePageSlot(CodePage.PC437, 0)), Cutter.PARTIAL, true, 4, null, 800, 30_000);
    byte[] out = encode(onlyPc437, new DocumentBuilder(48).left("€5 – ✓ 漢 😀 ő\tx\u0007"));
    assertThat(new String(out, 5, out.length - 5, StandardCharsets.ISO_8859_1))
        .isEqualTo("EUR5 - ? ? ? o x \n");
  }

  @Test
  void nativeQrIsModelTwoSizeSixLevelMStorePrint() {
    byte[] out = encode(generic, new DocumentBuilder(48).qr("ABC"));
    assertThat(out).isEqualTo(bytes(PREAMBLE, ESC, 'a', 1,
        GS, '(', 'k', 4, 0, 49, 65, 50, 0,
        GS, '(', 'k', 3, 0, 49, 67, 6,
        GS, '(', 'k', 3, 0, 49, 69, 49,
        GS, '(', 'k', 6, 0, 49, 80, 48, "ABC",
        GS, '(', 'k', 3, 0, 49, 81, 48));
  }

  @Test
  void rasterQrIsTheZxingMatrixScaledAsOneBitPerDot() {
    String data = "https://verify.example/r?c=3F2A-91C0";
    byte[] out = encode(generic.withNativeQr(false), new DocumentBuilder(48).qr(data));
    BitMatrix m = EscPosEncoder.qrMatrix(data);
    int scale = 6;
    int dots = m.getWidth() * scale;
    int xBytes = (dots + 7) / 8;
    byte[] header = bytes(PREAMBLE, ESC, 'a', 1, GS, 'v', '0', 0, xBytes & 0xFF, xBytes >> 8, dots & 0xFF, dots >> 8);
    assertThat(Arrays.copyOf(out, header.length)).isEqualTo(header);
    assertThat(out).hasSize(header.length + xBytes * dots);
    for (int y = 0; y < dots; y++) {
      for (int x = 0; x < dots; x++) {
        boolean dot = (out[header.length + y * xBytes + x / 8] & (0x80 >> (x % 8))) != 0;
        assertThat(dot).as("dot %d,%d", x, y).isEqualTo(m.get(x / scale, y / scale));
      }
    }
  }

  @Test
  void rasterQrShrinksItsModulesToFitNarrowPaper() {
    PrinterProfile narrow = PrinterProfile.generic(32).withNativeQr(false);
    String data = "x".repeat(300);
    byte[] out = encode(narrow, new DocumentBuilder(32).qr(data));
    int modules = EscPosEncoder.qrMatrix(data).getWidth();
    int dots = (out[PREAMBLE.length + 3 + 6] & 0xFF) | (out[PREAMBLE.length + 3 + 7] & 0xFF) << 8;
    assertThat(dots).isLessThanOrEqualTo(384).isEqualTo(modules * (384 / modules));
  }

  @Test
  void cutDrawerAndLogoFollowTheProfile() {
    DocumentBuilder doc = new DocumentBuilder(48).logo().kickDrawer(DrawerPin.PIN_2).kickDrawer(DrawerPin.PIN_5).cut();
    PrinterProfile withLogo = new PrinterProfile("tm", 48, 576, true, 6, generic.codePages(), Cutter.FULL, true, 3,
        "A1", 800, 30_000);
    assertThat(encode(withLogo, doc)).isEqualTo(bytes(PREAMBLE, ESC, 'a', 1, GS, '(', 'L', 6, 0, 48, 69, 'A', '1', 1, 1,
        ESC, 'p', 0, 25, 250, ESC, 'p', 1, 25, 250, ESC, 'd', 3, GS, 'V', 0));
    PrinterProfile bare = new PrinterProfile("bare", 48, 576, true, 6, generic.codePages(), Cutter.NONE, false, 3,
        null, 800, 30_000);
    assertThat(encode(bare, doc)).isEqualTo(bytes(PREAMBLE, ESC, 'd', 5));
    assertThat(encode(generic, new DocumentBuilder(48).cut())).isEqualTo(bytes(PREAMBLE, ESC, 'd', 4, GS, 'V', 1));
  }

  @Test
  void plainTextAndPrinterBytesComeFromTheSameLines() {
    PrintDocument doc = new DocumentBuilder(32).title("FISCAL INVOICE").split("TOTAL KES", "1,160.00").rule()
        .qr("data").cut().build();
    assertThat(PlainText.render(doc)).isEqualTo(
        "         FISCAL INVOICE\n" + "TOTAL KES               1,160.00\n" + "-".repeat(32) + "\n");
    String printed = new String(new EscPosEncoder(PrinterProfile.generic(32)).encode(doc), StandardCharsets.ISO_8859_1);
    assertThat(printed).contains("FISCAL INVOICE\n").contains("TOTAL KES               1,160.00\n");
  }

  @Test
  void doubleSizeTextWrapsAtHalfTheColumns() {
    PrintDocument doc = new DocumentBuilder(32).title("A VERY LONG SHOP NAME INDEED").build();
    assertThat(doc.elements()).allSatisfy(e -> assertThat(((PrintDocument.Text) e).text().length()).isLessThanOrEqualTo(16));
    assertThat(doc.elements()).hasSize(2);
  }
}
