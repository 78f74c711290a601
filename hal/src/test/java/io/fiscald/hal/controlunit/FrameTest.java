package io.fiscald.hal.controlunit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameTest {

  @Test
  void crcIsCcittFalse() {
    byte[] check = "123456789".getBytes(US_ASCII);

    assertThat(Frame.crc16(check, 0, check.length)).isEqualTo(0x29b1); // the catalogue check value
  }

  /** Pinned vector; the emulator's test pins the same bytes, so driver and emulator agree on the wire. */
  @Test
  void encodesThePinnedSignFrame() {
    byte[] digest = new byte[32];
    for (int i = 0; i < digest.length; i++) {
      digest[i] = (byte) i;
    }

    String hex = HexFormat.of().formatHex(new Frame(0x2a, 0x03, digest).encode());

    assertThat(hex).isEqualTo(FrameVectors.SIGN_FRAME_HEX);
  }

  @Test
  void encodesAnEmptyFrame() {
    assertThat(HexFormat.of().formatHex(new Frame(1, 0x01, new byte[0]).encode())).isEqualTo(FrameVectors.GET_INFO_FRAME_HEX);
  }

  @Test
  void refusesOversizedData() {
    assertThatThrownBy(() -> new Frame(1, 1, new byte[Frame.MAX_DATA + 1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
  }

  @Test
  void toStringDoesNotDumpData() {
    assertThat(new Frame(7, 3, new byte[] {0x41, 0x42}).toString()).isEqualTo("Frame[seq=7, cmd=0x03, 2 data bytes]");
  }
}
