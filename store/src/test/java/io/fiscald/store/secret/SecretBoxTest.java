package io.fiscald.store.secret;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private static final byte[] PLAINTEXT = "device private key bytes".getBytes(UTF_8);
  private static final String AAD = "fiscald-secret:zimra.device-key";

  private final SecretBox box = new SecretBox(randomKey());

  static MasterKey randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return MasterKey.of(key);
  }

  @Test
  void sealThenOpenReturnsThePlaintext() {
    byte[] sealed = box.seal(PLAINTEXT, AAD);

    assertThat(box.open(sealed, AAD)).isEqualTo(PLAINTEXT);
    assertThat(sealed).hasSize(1 + 12 + PLAINTEXT.length + 16);
    assertThat(sealed[0]).isEqualTo((byte) 0x01);
  }

  @Test
  void sealsAndOpensEmptyPlaintextAndSecrets() {
    assertThat(box.open(box.seal(new byte[0], AAD), AAD)).isEmpty();

    Secret opened = box.openSecret(box.seal(Secret.ofUtf8("token"), AAD), AAD);
    assertThat(opened.revealUtf8()).isEqualTo("token");
  }

  @Test
  void twoSealsOfTheSamePlaintextDiffer() {
    byte[] first = box.seal(PLAINTEXT, AAD);
    byte[] second = box.seal(PLAINTEXT, AAD);

    assertThat(first).isNotEqualTo(second);
    assertThat(Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(Arrays.copyOfRange(second, 1, 13));
  }

  @Test
  void anotherKeyCannotOpen() {
    byte[] sealed = box.seal(PLAINTEXT, AAD);
    SecretBox other = new SecretBox(randomKey());

    assertThatThrownBy(() -> other.open(sealed, AAD))
        .isInstanceOf(SecretTamperedException.class)
        .hasMessageContaining("another master key");
  }

  @Test
  void anotherAssociatedDataCannotOpen() {
    byte[] sealed = box.seal(PLAINTEXT, AAD);

    assertThatThrownBy(() -> box.open(sealed, AAD + "x"))
        .isInstanceOf(SecretTamperedException.class);
  }

  @Test
  void everyFlippedBitIsDetected() {
    byte[] sealed = box.seal(PLAINTEXT, AAD);

    // version, nonce, ciphertext and tag alike
    for (int i = 0; i < sealed.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] altered = sealed.clone();
        altered[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> box.open(altered, AAD))
            .as("bit %d of byte %d", bit, i)
            .isInstanceOf(SecretTamperedException.class);
      }
    }
  }

  @Test
  void truncatedAndUnknownVersionAreRefused() {
    byte[] sealed = box.seal(PLAINTEXT, AAD);

    assertThatThrownBy(() -> box.open(Arrays.copyOf(sealed, 28), AAD))
        .isInstanceOf(SecretTamperedException.class)
        .hasMessageContaining("shorter");
    assertThatThrownBy(() -> box.open(Arrays.copyOf(sealed, sealed.length - 1), AAD))
        .isInstanceOf(SecretTamperedException.class);
    byte[] version2 = sealed.clone();
    version2[0] = 0x02;
    assertThatThrownBy(() -> box.open(version2, AAD))
        .isInstanceOf(SecretTamperedException.class)
        .hasMessageContaining("unknown format version 2");
  }
}
