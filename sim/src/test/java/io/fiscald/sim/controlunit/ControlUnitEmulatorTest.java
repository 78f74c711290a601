package io.fiscald.sim.controlunit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The emulator's side of the wire: pinned frames (shared with hal's FrameTest) and one conversation over pipes. */
class ControlUnitEmulatorTest {

  @Test
  void encodesTheVectorsPinnedByTheDriver() {
    byte[] digest = new byte[32];
    for (int i = 0; i < digest.length; i++) {
      digest[i] = (byte) i;
    }

    assertThat(HexFormat.of().formatHex(ControlUnitEmulator.frame(0x2a, 0x03, digest))).isEqualTo("0200222a03"
        + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" + "13fc03");
    assertThat(HexFormat.of().formatHex(ControlUnitEmulator.frame(1, 0x01, new byte[0]))).isEqualTo("0200020101c9b003");
    assertThat(ControlUnitEmulator.crc16("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x29b1);
  }

  @Test
  void signsADigestAndAnswersWithAckThenTheResponse() throws Exception {
    PipedOutputStream host = new PipedOutputStream();
    PipedInputStream unitIn = new PipedInputStream(host, 4096);
    PipedInputStream hostIn = new PipedInputStream(4096);
    PipedOutputStream unitOut = new PipedOutputStream(hostIn);
    var key = EmulatorKeys.generate("EC_P256");
    try (ControlUnitEmulator unit = ControlUnitEmulator.start("pipe", unitIn, unitOut, key, "CU-PIPE")) {
      byte[] data = "receipt".getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
      host.write(ControlUnitEmulator.frame(9, ControlUnitEmulator.SIGN, digest));
      host.flush();

      assertThat(hostIn.read()).isEqualTo(ControlUnitEmulator.ACK);
      assertThat(hostIn.read()).isEqualTo(ControlUnitEmulator.STX);
      int len = (hostIn.read() << 8) | hostIn.read();
      byte[] body = hostIn.readNBytes(len);
      hostIn.readNBytes(3); // CRC, ETX
      assertThat(body[0] & 0xff).as("seq").isEqualTo(9);
      assertThat(body[1] & 0xff).as("cmd").isEqualTo(ControlUnitEmulator.SIGN);
      assertThat(body[2]).as("status").isZero();
      ByteArrayOutputStream signature = new ByteArrayOutputStream();
      signature.write(body, 3, body.length - 3);

      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key.getPublic());
      verifier.update(data);
      assertThat(verifier.verify(signature.toByteArray())).isTrue();
      assertThat(unit.signatures()).isEqualTo(1);
    }
  }
}
