package io.fiscald.hal.sign;

import java.security.PublicKey;

/**
 * The device's signing capability.
 *
 * <p>Guarantees: {@link #sign} returns a signature over exactly the given bytes, made with the
 * device's private key using {@link #algorithm()} (SHA-256 with ECDSA P-256, DER-encoded, or SHA-256
 * with RSA PKCS#1 v1.5); the key is held by the implementation (encrypted software key, PKCS#11
 * token or control unit) and is never returned by this interface. Implementations are safe for
 * concurrent use.
 */
public interface Signer {

  /** Signs {@code data}; the signature verifies with {@link #publicKey()}. */
  byte[] sign(byte[] data);

  KeyAlgorithm algorithm();

  PublicKey publicKey();
}
