package io.fiscald.sim.printer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The emulator's ESC/POS reader: commands split across reads, code pages, and noise that must not derail it. */
class EscPosDecoderTest {
  private final List<String> seen = new ArrayList<>();

  private final EscPosDecoder decoder = new EscPosDecoder(new EscPosDecoder.Sink() {
    @Override
    public void line(String text, int align, boolean bold, boolean doubleSize) {
      seen.add("line " + align + (bold ? "B" : "") + (doubleSize ? "D" : "") + " " + text);
    }

    @Override
    public void qr(String data, int moduleSize) {
      seen.add("qr " + moduleSize + " " + data);
    }

    @Override
    public void raster(int widthBytes, int height, byte[] bits) {
      seen.add("raster " + widthBytes + "x" + height);
    }

    @Override
    public void logo(String key) {
      seen.add("logo " + key);
    }

    @Override
    public void feed(int lines) {
      seen.add("feed " + lines);
    }

    @Override
    public void cut(boolean partial) {
      seen.add("cut " + (partial ? "partial" : "full"));
    }

    @Override
    public void drawerKick(int pin) {
      seen.add("drawer " + pin);
    }

    @Override
    public void statusQuery(int n) {
      seen.add("status " + n);
    }
  });

  private static byte[] bytes(int... b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int x : b) {
      out.write(x);
    }
    return out.toByteArray();
  }

  private void feedOneByteAtATime(byte[] data) {
    for (byte b : data) {
      decoder.feed(new byte[] {b}, 0, 1);
    }
  }

  @Test
  void commandsSplitAcrossReadsDecodeTheSame() {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(bytes(0x1B, '@', 0x1B, 'a', 1, 0x1B, 'E', 1, 0x1D, '!', 0x11));
    s.writeBytes("TITLE\n".getBytes());
    s.writeBytes(bytes(0x1B, 't', 19, 'x', 0xD5, 0x0A, 0x10, 0x04, 4));
    s.writeBytes(bytes(0x1D, '(', 'k', 3, 0, 49, 67, 5, 0x1D, '(', 'k', 5, 0, 49, 80, 48, 'h', 'i'));
    s.writeBytes(bytes(0x1D, '(', 'k', 3, 0, 49, 81, 48, 0x1B, 'p', 1, 25, 250, 0x1B, 'd', 3, 0x1D, 'V', 1));
    feedOneByteAtATime(s.toByteArray());
    assertThat(seen).containsExactly("line 1BD TITLE", "line 1BD x€", "status 4", "qr 5 hi", "drawer 5", "feed 3",
        "cut partial");
  }

  @Test
  void noiseNeverStopsTheDecoderAndTextAfterItStillPrints() {
    Random random = new Random(42);
    byte[] noise = new byte[5000];
    random.nextBytes(noise);
    decoder.feed(noise, 0, noise.length);
    // whatever the noise left half-read, a reset and a line after it come through
    byte[] tail = new byte[300];
    java.util.Arrays.fill(tail, (byte) 0x0A);
    decoder.feed(tail, 0, tail.length);
    seen.clear();
    byte[] after = bytes(0x1B, '@', 'o', 'k', 0x0A, 0x10, 0x04, 1);
    decoder.feed(after, 0, after.length);
    assertThat(seen).contains("line 0 ok", "status 1");
  }
}
