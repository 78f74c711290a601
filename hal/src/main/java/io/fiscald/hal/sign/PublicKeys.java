package io.fiscald.hal.sign;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Static helpers for device public keys: algorithm detection, DER and PEM encoding, signature
 * verification and fingerprints.
 *
 * <p>Public keys are not secret, so malformed input is reported with {@link
 * IllegalArgumentException}.
 */
public final class PublicKeys {

  /**
   * The one BouncyCastle instance of this package. It is passed to each {@code getInstance} call
   * instead of being registered with {@code Security.addProvider}, so fiscald never changes the
   * JVM-wide provider list that other libraries (TLS, JDBC) rely on; it is costly to build, so the
   * package shares this one.
   */
  static final Provider BC = new BouncyCastleProvider();

  private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String PEM_END = "-----END PUBLIC KEY-----";
  private static final Base64.Encoder PEM_BODY =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  // NIST P-256 (secp256r1) order and generator x, compared instead of the field size alone so that
  // a secp256k1 key (also 256 bits) is not taken for P-256.
  private static final BigInteger P256_ORDER =
      new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
  private static final BigInteger P256_GX =
      new BigInteger("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", 16);

  private PublicKeys() {}

  /** The algorithm of {@code key}; throws if it is neither an EC P-256 nor an RSA 2048 key. */
  public static KeyAlgorithm algorithmOf(PublicKey key) {
    Objects.requireNonNull(key, "key");
    if (key instanceof ECPublicKey) {
      ECParameterSpec params = ((ECPublicKey) key).getParams();
      if (params != null
          && P256_ORDER.equals(params.getOrder())
          && P256_GX.equals(params.getGenerator().getAffineX())) {
        return KeyAlgorithm.EC_P256;
      }
      int fieldBits = params == null ? 0 : params.getCurve().getField().getFieldSize();
      throw new IllegalArgumentException(
          "unsupported EC public key: curve with a " + fieldBits + "-bit field is not P-256");
    }
    if (key instanceof RSAPublicKey) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits == 2048) {
        return KeyAlgorithm.RSA_2048;
      }
      throw new IllegalArgumentException(
          "unsupported RSA public key: " + bits + "-bit modulus, expected 2048 bits");
    }
    throw new IllegalArgumentException(
        "unsupported public key type " + key.getAlgorithm() + ": expected EC P-256 or RSA 2048");
  }

  /** Decodes an X.509 SubjectPublicKeyInfo (DER), trying EC first and then RSA. */
  public static PublicKey fromDer(byte[] x509Der) {
    Objects.requireNonNull(x509Der, "x509Der");
    X509EncodedKeySpec spec = new X509EncodedKeySpec(x509Der);
    for (KeyAlgorithm alg : KeyAlgorithm.values()) {
      try {
        return KeyFactory.getInstance(alg.keyFactoryName(), BC).generatePublic(spec);
      } catch (GeneralSecurityException | RuntimeException notThisAlgorithm) {
        // try the next algorithm; the combined failure is reported below
      }
    }
    throw new IllegalArgumentException(
        "not an EC or RSA public key in X.509 SubjectPublicKeyInfo DER ("
            + x509Der.length
            + " bytes)");
  }

  /** Encodes {@code key} as PEM ({@code -----BEGIN PUBLIC KEY-----}, 64-character lines). */
  public static String toPem(PublicKey key) {
    Objects.requireNonNull(key, "key");
    return PEM_BEGIN + "\n" + PEM_BODY.encodeToString(key.getEncoded()) + "\n" + PEM_END + "\n";
  }

  /**
   * Decodes a {@code -----BEGIN PUBLIC KEY-----} PEM block; text around the block and CRLF line ends
   * are tolerated.
   */
  public static PublicKey fromPem(String pem) {
    Objects.requireNonNull(pem, "pem");
    int begin = pem.indexOf(PEM_BEGIN);
    int end = pem.indexOf(PEM_END, begin < 0 ? 0 : begin);
    if (begin < 0 || end < 0) {
      String hint =
          pem.contains("-----BEGIN RSA PUBLIC KEY-----")
              ? " (found a PKCS#1 RSA key; convert it with: openssl rsa -RSAPublicKey_in -pubout)"
              : "";
      throw new IllegalArgumentException(
          "no '" + PEM_BEGIN + "' ... '" + PEM_END + "' block found" + hint);
    }
    String body = pem.substring(begin + PEM_BEGIN.length(), end);
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM public key block is not valid Base64", e);
    }
    return fromDer(der);
  }

  /**
   * A verifier for many signatures by {@code key}, to keep on one thread: it gives the same answers
   * as {@link #verify(PublicKey, byte[], byte[])} without looking up and initialising a new
   * {@link Signature} each time (an audit checks a million signatures made with one key).
   */
  public static Verifier verifier(PublicKey key) {
    return new Verifier(key);
  }

  /** See {@link #verifier(PublicKey)}; not thread-safe. */
  public static final class Verifier {
    private final PublicKey key;
    private Signature signature;

    private Verifier(PublicKey key) {
      this.key = key;
      this.signature = init(key);
    }

    private static Signature init(PublicKey key) {
      KeyAlgorithm alg = algorithmOf(key);
      try {
        Signature s = Signature.getInstance(alg.signatureName(), BC);
        s.initVerify(key);
        return s;
      } catch (InvalidKeyException e) {
        throw new IllegalArgumentException("cannot verify with this " + alg + " public key", e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(alg.signatureName() + " missing from BouncyCastle", e);
      }
    }

    public boolean verify(byte[] data, byte[] sig) {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(sig, "signature");
      try {
        signature.update(data);
        return signature.verify(sig); // also resets the object for the next call
      } catch (SignatureException | RuntimeException malformedSignature) {
        // as in verify(key, ...): undecodable is "not valid"; the object's state is unknown now
        signature = init(key);
        return false;
      }
    }
  }

  /**
   * True if {@code signature} is a valid signature of {@code data} under {@code key}, using SHA-256
   * with ECDSA or RSA according to the key; a malformed signature is reported as {@code false}.
   */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(signature, "signature");
    KeyAlgorithm alg = algorithmOf(key);
    try {
      Signature verifier = Signature.getInstance(alg.signatureName(), BC);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (SignatureException | RuntimeException malformedSignature) {
      // BC throws for undecodable ECDSA DER or a wrong-length RSA block: that is "not valid"
      return false;
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("cannot verify with this " + alg + " public key", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(alg.signatureName() + " missing from BouncyCastle", e);
    }
  }

  /** Lowercase hex SHA-256 of the key's DER (SubjectPublicKeyInfo) encoding. */
  public static String fingerprint(PublicKey key) {
    Objects.requireNonNull(key, "key");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
