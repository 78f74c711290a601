package io.fiscald.agent.audit;

import io.fiscald.hal.sign.PublicKeys;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * Checks journal signatures (SHA256withECDSA or SHA256withRSA over the entry's hash, docs/JOURNAL.md)
 * with one device key, giving the answers of {@link PublicKeys#verify}. A P-256 signature in canonical
 * DER goes through {@link P256Tables}; anything else (an RSA key, a DER encoding that is not the
 * canonical one BouncyCastle insists on) through the general verifier. One per thread.
 */
final class SignatureCheck {
  private final PublicKey key;
  private final P256Tables tables; // null: every signature through the general verifier
  private final MessageDigest sha256;
  private PublicKeys.Verifier general;

  SignatureCheck(PublicKey key, P256Tables tables) {
    this.key = key;
    this.tables = tables;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  boolean valid(byte[] hash, byte[] signature) {
    if (tables != null) {
      BigInteger[] rs = canonicalDer(signature);
      if (rs != null) {
        return tables.verify(new BigInteger(1, sha256.digest(hash)), rs[0], rs[1]);
      }
    }
    if (general == null) {
      general = PublicKeys.verifier(key);
    }
    return general.verify(hash, signature);
  }

  /**
   * (r, s) of {@code SEQUENCE { INTEGER r, INTEGER s }} when both are positive and the bytes are exactly
   * their DER encoding; null otherwise (left to the general verifier, which rejects what it must).
   */
  static BigInteger[] canonicalDer(byte[] der) {
    if (der.length < 8 || der.length > 127 || der[0] != 0x30 || der[1] != der.length - 2 || der[2] != 0x02) {
      return null;
    }
    int rLen = der[3];
    int sAt = 4 + rLen;
    if (rLen < 1 || sAt + 3 > der.length || der[sAt] != 0x02 || der[sAt + 1] != der.length - sAt - 2) {
      return null;
    }
    BigInteger r = new BigInteger(Arrays.copyOfRange(der, 4, sAt));
    BigInteger s = new BigInteger(Arrays.copyOfRange(der, sAt + 2, der.length));
    if (r.signum() <= 0 || s.signum() <= 0 || !Arrays.equals(der, encode(r, s))) {
      return null; // not minimal, negative or zero: not for the fast path
    }
    return new BigInteger[] {r, s};
  }

  private static byte[] encode(BigInteger r, BigInteger s) {
    return sequence(r.toByteArray(), s.toByteArray());
  }

  /** {@code SEQUENCE { INTEGER r, INTEGER s }} around the given integer bytes, taken as they are. */
  static byte[] sequence(byte[] rb, byte[] sb) {
    byte[] out = new byte[6 + rb.length + sb.length];
    out[0] = 0x30;
    out[1] = (byte) (out.length - 2);
    out[2] = 0x02;
    out[3] = (byte) rb.length;
    System.arraycopy(rb, 0, out, 4, rb.length);
    out[4 + rb.length] = 0x02;
    out[5 + rb.length] = (byte) sb.length;
    System.arraycopy(sb, 0, out, 6 + rb.length, sb.length);
    return out;
  }
}
