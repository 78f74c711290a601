package io.fiscald.hal.sign;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SoftwareSignerTest extends SignerContract {

  // RSA key generation takes a noticeable fraction of a second; one key per algorithm suffices.
  private static final Map<KeyAlgorithm, SoftwareSigner> SIGNERS =
      new EnumMap<>(KeyAlgorithm.class);

  @Override
  Signer signer(KeyAlgorithm algorithm) {
    synchronized (SIGNERS) {
      return SIGNERS.computeIfAbsent(algorithm, SoftwareSigner::generate);
    }
  }

  private SoftwareSigner softwareSigner(KeyAlgorithm algorithm) {
    return (SoftwareSigner) signer(algorithm);
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void exportedKeyReloadsWithTheSamePublicKey(KeyAlgorithm algorithm) {
    SoftwareSigner original = softwareSigner(algorithm);

    SoftwareSigner reloaded = SoftwareSigner.fromPkcs8(original.exportPkcs8ForSealing());

    assertThat(reloaded.algorithm()).isEqualTo(algorithm);
    // byte-for-byte, so the fingerprint registered with the authority stays the same
    assertThat(reloaded.publicKey().getEncoded()).isEqualTo(original.publicKey().getEncoded());
    byte[] data = "reloaded".getBytes(UTF_8);
    assertThat(PublicKeys.verify(original.publicKey(), data, reloaded.sign(data))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void toStringShowsNoKeyMaterial(KeyAlgorithm algorithm) {
    SoftwareSigner signer = softwareSigner(algorithm);
    byte[] pkcs8 = signer.exportPkcs8ForSealing();

    String text = signer.toString();

    assertThat(text).isEqualTo("SoftwareSigner[" + algorithm + ", [REDACTED]]");
    assertThat(text)
        .doesNotContain(Base64.getEncoder().encodeToString(pkcs8))
        .doesNotContain(HexFormat.of().formatHex(pkcs8))
        .doesNotContain(HexFormat.of().withUpperCase().formatHex(pkcs8));
    assertThat(String.valueOf(signer)).isEqualTo(text);
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void truncatedKeyIsRefusedWithoutQuotingIt(KeyAlgorithm algorithm) {
    byte[] pkcs8 = softwareSigner(algorithm).exportPkcs8ForSealing();
    byte[] truncated = Arrays.copyOf(pkcs8, pkcs8.length / 2);

    assertThatThrownBy(() -> SoftwareSigner.fromPkcs8(truncated))
        .isInstanceOf(SigningException.class)
        .satisfies(e -> assertNoKeyBytesInChain(e, truncated));
  }

  @Test
  void garbageIsRefusedWithoutQuotingIt() {
    byte[] garbage = "this is not a private key, but it must not be echoed".getBytes(UTF_8);

    assertThatThrownBy(() -> SoftwareSigner.fromPkcs8(garbage))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("not a PKCS#8 private key")
        .satisfies(e -> assertNoKeyBytesInChain(e, garbage));
  }

  @Test
  void ecKeyOnAnotherCurveIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", PublicKeys.BC);
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    byte[] p384 = generator.generateKeyPair().getPrivate().getEncoded();

    assertThatThrownBy(() -> SoftwareSigner.fromPkcs8(p384))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("not P-256");
  }

  @Test
  void rsaKeyOfAnotherSizeIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", PublicKeys.BC);
    generator.initialize(1024);
    byte[] rsa1024 = generator.generateKeyPair().getPrivate().getEncoded();

    assertThatThrownBy(() -> SoftwareSigner.fromPkcs8(rsa1024))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("1024-bit");
  }

  private static void assertNoKeyBytesInChain(Throwable error, byte[] key) {
    String base64 = Base64.getEncoder().encodeToString(key);
    String hex = HexFormat.of().formatHex(key);
    // a few bytes from the middle are enough to recognise a leak of any part of the key
    String hexFragment = hex.substring(hex.length() / 2, hex.length() / 2 + 16);
    for (Throwable t = error; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage()))
          .doesNotContain(base64)
          .doesNotContain(hex)
          .doesNotContainIgnoringCase(hexFragment);
    }
  }
}
