package io.fiscald.hal.controlunit;

import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.Signer;
import io.fiscald.hal.sign.SigningException;
import io.fiscald.hal.sign.SigningException.Reason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A {@link Signer} whose key is held by a control unit on a serial line: the data is hashed here and
 * the unit signs the SHA-256 digest, so signatures are the same {@code SHA256withECDSA} (DER) or
 * {@code SHA256withRSA} as the software signer's. Each signature is verified before it is returned:
 * a unit that answers nonsense never reaches the journal. Closing the signer closes the link.
 */
public final class ControlUnitSigner implements Signer, AutoCloseable {
  private final ControlUnitLink link;
  private final ControlUnitCommandSet commands;
  private final ControlUnitInfo info;
  private final PublicKey publicKey;
  private final KeyAlgorithm algorithm;

  private ControlUnitSigner(ControlUnitLink link, ControlUnitCommandSet commands, ControlUnitInfo info,
      PublicKey publicKey, KeyAlgorithm algorithm) {
    this.link = link;
    this.commands = commands;
    this.info = info;
    this.publicKey = publicKey;
    this.algorithm = algorithm;
  }

  /** Asks the unit for its identity and public key; closes the link if that fails. */
  public static ControlUnitSigner open(ControlUnitLink link, ControlUnitCommandSet commands) {
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(commands, "commands");
    try {
      ControlUnitInfo info = commands.info(link);
      PublicKey key = commands.publicKey(link);
      KeyAlgorithm algorithm;
      try {
        algorithm = PublicKeys.algorithmOf(key);
      } catch (IllegalArgumentException e) {
        throw new SigningException(Reason.KEY_INVALID, "control unit " + info.serial() + " on " + link.portName()
            + " has an unusable key: " + e.getMessage(), null);
      }
      return new ControlUnitSigner(link, commands, info, key, algorithm);
    } catch (ControlUnitException e) {
      link.close();
      throw translate(e);
    } catch (RuntimeException e) {
      link.close();
      throw e;
    }
  }

  @Override
  public byte[] sign(byte[] data) {
    Objects.requireNonNull(data, "data");
    byte[] digest = sha256(data);
    byte[] signature;
    try {
      signature = commands.signDigest(link, digest, algorithm);
    } catch (ControlUnitException e) {
      throw translate(e);
    }
    if (!PublicKeys.verify(publicKey, data, signature)) {
      throw new SigningException(Reason.REFUSED, "control unit " + info.serial() + " on " + link.portName()
          + " returned a signature that does not verify with its public key; nothing was signed", null);
    }
    return signature;
  }

  @Override
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  public ControlUnitInfo info() {
    return info;
  }

  public String portName() {
    return link.portName();
  }

  public String vendor() {
    return commands.vendor();
  }

  public ControlUnitLink link() {
    return link;
  }

  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    return "ControlUnitSigner[" + algorithm + ", " + commands.vendor() + " " + info.serial() + " on "
        + link.portName() + "]";
  }

  private static SigningException translate(ControlUnitException e) {
    Reason reason = e.kind() == ControlUnitException.Kind.UNIT_ERROR ? Reason.REFUSED : Reason.UNAVAILABLE;
    return new SigningException(reason, e.getMessage(), e);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
