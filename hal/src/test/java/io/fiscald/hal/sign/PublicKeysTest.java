package io.fiscald.hal.sign;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PublicKeysTest {

  private static final SoftwareSigner EC = SoftwareSigner.generate(KeyAlgorithm.EC_P256);
  private static final SoftwareSigner RSA = SoftwareSigner.generate(KeyAlgorithm.RSA_2048);
  private static final byte[] DATA = "receipt".getBytes(UTF_8);

  @Test
  void fromDerDecodesBothAlgorithms() {
    assertThat(PublicKeys.fromDer(EC.publicKey().getEncoded()).getEncoded())
        .isEqualTo(EC.publicKey().getEncoded());
    assertThat(PublicKeys.algorithmOf(PublicKeys.fromDer(EC.publicKey().getEncoded())))
        .isEqualTo(KeyAlgorithm.EC_P256);
    assertThat(PublicKeys.algorithmOf(PublicKeys.fromDer(RSA.publicKey().getEncoded())))
        .isEqualTo(KeyAlgorithm.RSA_2048);
  }

  @Test
  void fromDerRefusesGarbage() {
    assertThatThrownBy(() -> PublicKeys.fromDer(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an EC or RSA public key");
  }

  @Test
  void pemHasHeaderAndSixtyFourCharacterLines() {
    String pem = PublicKeys.toPem(RSA.publicKey());
    String[] lines = pem.split("\n");

    assertThat(lines[0]).isEqualTo("-----BEGIN PUBLIC KEY-----");
    assertThat(lines[lines.length - 1]).isEqualTo("-----END PUBLIC KEY-----");
    for (int i = 1; i < lines.length - 2; i++) {
      assertThat(lines[i]).hasSize(64);
    }
    assertThat(lines[lines.length - 2].length()).isBetween(1, 64);
  }

  @Test
  void fromPemToleratesCrlfAndSurroundingText() {
    String pem = "device key:\r\n" + PublicKeys.toPem(EC.publicKey()).replace("\n", "\r\n") + "end";

    assertThat(PublicKeys.fromPem(pem).getEncoded()).isEqualTo(EC.publicKey().getEncoded());
  }

  @Test
  void fromPemRefusesTextWithoutABlock() {
    assertThatThrownBy(() -> PublicKeys.fromPem("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS#1");
  }

  @Test
  void verifyReturnsFalseForMalformedSignatures() {
    assertThat(PublicKeys.verify(EC.publicKey(), DATA, new byte[0])).isFalse();
    assertThat(PublicKeys.verify(EC.publicKey(), DATA, new byte[] {0x30, 0x7f, 0x01})).isFalse();
    assertThat(PublicKeys.verify(RSA.publicKey(), DATA, new byte[] {1, 2, 3})).isFalse();
    assertThat(PublicKeys.verify(RSA.publicKey(), DATA, new byte[256])).isFalse();
  }

  @Test
  void verifyRejectsSignatureFromAnotherKey() {
    SoftwareSigner other = SoftwareSigner.generate(KeyAlgorithm.EC_P256);

    assertThat(PublicKeys.verify(EC.publicKey(), DATA, other.sign(DATA))).isFalse();
    assertThat(PublicKeys.verify(RSA.publicKey(), DATA, EC.sign(DATA))).isFalse();
  }

  @Test
  void fingerprintIsLowercaseHexSha256OfDer() throws Exception {
    PublicKey key = RSA.publicKey();
    String expected =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));

    assertThat(PublicKeys.fingerprint(key)).isEqualTo(expected).matches("[0-9a-f]{64}");
    assertThat(PublicKeys.fingerprint(EC.publicKey())).isNotEqualTo(expected);
  }

  @Test
  void algorithmOfRefusesOtherCurves() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", PublicKeys.BC);
    generator.initialize(new ECGenParameterSpec("secp256k1"));
    PublicKey k1 = generator.generateKeyPair().getPublic();

    assertThatThrownBy(() -> PublicKeys.algorithmOf(k1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not P-256");
  }
}
