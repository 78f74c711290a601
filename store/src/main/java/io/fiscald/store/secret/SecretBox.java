package io.fiscald.store.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption of secrets under the {@link MasterKey} (AES-256-GCM), each sealed value
 * bound to associated data, normally its name, so that it cannot be moved to another name.
 *
 * <p>Format: {@code 0x01 ‖ 12-byte random nonce ‖ ciphertext ‖ 16-byte tag}; the version byte is
 * authenticated along with the associated data. Safe for concurrent use.
 */
public final class SecretBox {

  private static final byte VERSION = 0x01;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BITS / 8;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKeySpec key;
  // Random 96-bit nonces stay collision-safe for far more than 2^32 seals per key (NIST SP 800-38D
  // §8.3); a device seals a handful of secrets in its lifetime.
  private final SecureRandom random = new SecureRandom();

  public SecretBox(MasterKey masterKey) {
    this.key = Objects.requireNonNull(masterKey, "masterKey").aesKey();
  }

  /** Encrypts {@code plaintext} bound to {@code associatedData}; each call uses a fresh nonce. */
  public byte[] seal(byte[] plaintext, String associatedData) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] sealed = new byte[OVERHEAD + plaintext.length];
    sealed[0] = VERSION;
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData);
      cipher.doFinal(plaintext, 0, plaintext.length, sealed, 1 + NONCE_BYTES);
      return sealed;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM encryption failed", e);
    }
  }

  /** Encrypts the secret's bytes bound to {@code associatedData}. */
  public byte[] seal(Secret secret, String associatedData) {
    byte[] plaintext = Objects.requireNonNull(secret, "secret").revealBytes();
    try {
      return seal(plaintext, associatedData);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * Decrypts a value from {@link #seal}.
   *
   * @throws SecretTamperedException if it was sealed under another key or associated data, was
   *     altered, or has an unknown version
   */
  public byte[] open(byte[] sealed, String associatedData) {
    Objects.requireNonNull(sealed, "sealed");
    Objects.requireNonNull(associatedData, "associatedData");
    if (sealed.length < OVERHEAD) {
      throw new SecretTamperedException(
          "sealed value for '" + associatedData + "' is " + sealed.length
              + " bytes, shorter than the " + OVERHEAD + " bytes of an empty sealed value");
    }
    if (sealed[0] != VERSION) {
      throw new SecretTamperedException(
          "sealed value for '" + associatedData + "' has unknown format version "
              + (sealed[0] & 0xff) + " (this fiscald reads version " + VERSION + ")");
    }
    byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, associatedData);
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new SecretTamperedException(
          "sealed value for '" + associatedData + "' does not authenticate: it was sealed under"
              + " another master key or for another name, or it was altered",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM decryption failed", e);
    }
  }

  /** Decrypts a value from {@link #seal} into a {@link Secret}. */
  public Secret openSecret(byte[] sealed, String associatedData) {
    byte[] plaintext = open(sealed, associatedData);
    try {
      return Secret.copyOf(plaintext);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  // A Cipher per call: Cipher is not thread-safe, GCM needs a fresh init per nonce anyway, and
  // secrets are opened at start-up and on configuration changes, never per receipt.
  private Cipher cipher(int mode, byte[] nonce, String associatedData)
      throws GeneralSecurityException {
    Objects.requireNonNull(associatedData, "associatedData");
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(new byte[] {VERSION});
    cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
