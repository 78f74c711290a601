package io.fiscald.hal.sign;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * A {@link Signer} whose private key is held in process memory, for devices without a token or
 * control unit; at rest the key lives only encrypted in the secret store.
 */
public final class SoftwareSigner implements Signer {

  private static final Provider BC = PublicKeys.BC;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String P256 = "secp256r1";

  private final KeyAlgorithm algorithm;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  // Signature objects are not thread-safe and costly to set up; one initialised instance per thread
  // keeps sign() free of locks and look-ups on the receipt path.
  private final ThreadLocal<Signature> signatures;

  private SoftwareSigner(KeyAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
    this.algorithm = algorithm;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.signatures = ThreadLocal.withInitial(this::newSignature);
    // Fail at load time, not on the first receipt, if the provider cannot use this key.
    signatures.get();
  }

  /** Generates a fresh key: EC on secp256r1 or RSA 2048 (public exponent 65537). */
  public static SoftwareSigner generate(KeyAlgorithm algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyFactoryName(), BC);
      switch (algorithm) {
        case EC_P256:
          generator.initialize(new ECGenParameterSpec(P256), RANDOM);
          break;
        case RSA_2048:
          generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), RANDOM);
          break;
        default:
          throw new AssertionError(algorithm);
      }
      KeyPair pair = generator.generateKeyPair();
      return new SoftwareSigner(algorithm, pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new SigningException("cannot generate a " + algorithm + " key", e);
    }
  }

  /**
   * Loads a PKCS#8 (DER) private key, detecting EC P-256 or RSA 2048 from its algorithm identifier
   * and deriving the public key from the private key.
   */
  public static SoftwareSigner fromPkcs8(byte[] pkcs8Der) {
    Objects.requireNonNull(pkcs8Der, "pkcs8Der");
    // Parser exceptions are deliberately not kept as causes: their messages may quote the bytes
    // they choked on, and these bytes are a private key.
    ASN1ObjectIdentifier oid;
    try {
      oid = PrivateKeyInfo.getInstance(pkcs8Der).getPrivateKeyAlgorithm().getAlgorithm();
    } catch (RuntimeException e) {
      throw new SigningException(
          "not a PKCS#8 private key (" + pkcs8Der.length + " bytes could not be parsed as DER"
              + " PrivateKeyInfo: " + e.getClass().getSimpleName() + ")");
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      return fromEcPkcs8(pkcs8Der);
    }
    if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      return fromRsaPkcs8(pkcs8Der);
    }
    throw new SigningException(
        "unsupported private key algorithm " + oid.getId() + ": expected EC P-256 or RSA 2048");
  }

  private static SoftwareSigner fromEcPkcs8(byte[] der) {
    ECPrivateKey key = (ECPrivateKey) decodePrivate(KeyAlgorithm.EC_P256, der);
    ECParameterSpec params = key.getParameters();
    ECParameterSpec p256 = ECNamedCurveTable.getParameterSpec(P256);
    if (params == null
        || !params.getCurve().equals(p256.getCurve())
        || !params.getG().equals(p256.getG())) {
      throw new SigningException("unsupported EC private key: the curve is not P-256 (secp256r1)");
    }
    BigInteger d = key.getD();
    if (d.signum() <= 0 || d.compareTo(params.getN()) >= 0) {
      throw new SigningException("invalid EC P-256 private key: scalar out of range");
    }
    // Q = d·G; PKCS#8 may omit the public key, so it is always derived rather than trusted.
    ECPublicKeySpec publicSpec = new ECPublicKeySpec(params.getG().multiply(d).normalize(), params);
    try {
      PublicKey pub = KeyFactory.getInstance("EC", BC).generatePublic(publicSpec);
      return new SoftwareSigner(KeyAlgorithm.EC_P256, key, pub);
    } catch (GeneralSecurityException e) {
      throw new SigningException("cannot derive the public key of an EC P-256 private key", e);
    }
  }

  private static SoftwareSigner fromRsaPkcs8(byte[] der) {
    PrivateKey key = decodePrivate(KeyAlgorithm.RSA_2048, der);
    if (!(key instanceof RSAPrivateCrtKey)) {
      throw new SigningException(
          "unsupported RSA private key: CRT parameters (public exponent) missing");
    }
    RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
    int bits = crt.getModulus().bitLength();
    if (bits != 2048) {
      throw new SigningException(
          "unsupported RSA private key: " + bits + "-bit modulus, expected 2048 bits");
    }
    try {
      PublicKey pub =
          KeyFactory.getInstance("RSA", BC)
              .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
      return new SoftwareSigner(KeyAlgorithm.RSA_2048, key, pub);
    } catch (GeneralSecurityException e) {
      throw new SigningException("cannot derive the public key of an RSA private key", e);
    }
  }

  private static PrivateKey decodePrivate(KeyAlgorithm algorithm, byte[] der) {
    try {
      return KeyFactory.getInstance(algorithm.keyFactoryName(), BC)
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      // no cause: see fromPkcs8
      throw new SigningException(
          "malformed " + algorithm.keyFactoryName() + " PKCS#8 private key ("
              + e.getClass().getSimpleName() + ")");
    }
  }

  private Signature newSignature() {
    try {
      Signature signature = Signature.getInstance(algorithm.signatureName(), BC);
      signature.initSign(privateKey, RANDOM);
      return signature;
    } catch (GeneralSecurityException e) {
      throw new SigningException("cannot initialise " + algorithm.signatureName(), e);
    }
  }

  @Override
  public byte[] sign(byte[] data) {
    Objects.requireNonNull(data, "data");
    Signature signature = signatures.get();
    try {
      signature.update(data);
      return signature.sign(); // sign() also resets the object for this thread's next call
    } catch (GeneralSecurityException | RuntimeException e) {
      // the object's state is unknown after a failure; start the next call from a fresh one
      signatures.remove();
      throw new SigningException(algorithm.signatureName() + " signing failed", e);
    }
  }

  @Override
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  /**
   * Returns the private key as PKCS#8 DER; exists only so that the key can be encrypted into the
   * secret store, and must not be written, logged or sent anywhere else.
   */
  public byte[] exportPkcs8ForSealing() {
    return privateKey.getEncoded();
  }

  @Override
  public String toString() {
    return "SoftwareSigner[" + algorithm + ", [REDACTED]]";
  }
}
