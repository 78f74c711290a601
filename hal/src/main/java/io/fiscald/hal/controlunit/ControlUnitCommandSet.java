package io.fiscald.hal.controlunit;

import io.fiscald.hal.sign.KeyAlgorithm;
import java.security.PublicKey;

/**
 * A vendor's commands on top of the framed link: the extension point for new control units. An
 * implementation maps the three things fiscald needs (identity, public key, signature over a
 * SHA-256 digest) to its unit's command codes and data layouts; register it with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.fiscald.hal.controlunit.ControlUnitCommandSet})
 * and select it with {@code fiscalctl init --control-unit-vendor NAME}. Errors are {@link
 * ControlUnitException}s. See docs/FISCAL-MODULES.md.
 */
public interface ControlUnitCommandSet {

  /** The name a device configuration selects this command set by, e.g. {@code fiscald-reference}. */
  String vendor();

  ControlUnitInfo info(ControlUnitLink link);

  /** The unit's signing key (EC P-256 or RSA 2048). */
  PublicKey publicKey(ControlUnitLink link);

  /**
   * The unit's signature over a 32-byte SHA-256 digest, in the encoding of {@link KeyAlgorithm}:
   * DER ECDSA, or PKCS#1 v1.5 with the SHA-256 DigestInfo, so it verifies as {@code SHA256withECDSA}
   * or {@code SHA256withRSA} over the original data.
   */
  byte[] signDigest(ControlUnitLink link, byte[] sha256, KeyAlgorithm algorithm);
}
