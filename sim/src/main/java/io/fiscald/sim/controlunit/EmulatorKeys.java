package io.fiscald.sim.controlunit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Locale;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

/** Keys of the emulated control unit: generated, or kept in a PKCS#8 file so a restarted emulator is the same unit. */
public final class EmulatorKeys {
  private EmulatorKeys() {}

  /** A fresh key: {@code EC_P256} or {@code RSA_2048}. */
  public static KeyPair generate(String algorithm) {
    try {
      switch (algorithm.toUpperCase(Locale.ROOT)) {
        case "EC_P256": {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp256r1"));
          return g.generateKeyPair();
        }
        case "RSA_2048": {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(2048);
          return g.generateKeyPair();
        }
        default:
          throw new IllegalArgumentException("emulated control unit key must be EC_P256 or RSA_2048, got " + algorithm);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate " + algorithm + " key", e);
    }
  }

  /** The key in {@code file} (PKCS#8 DER), or a new one written there with mode 0600. */
  public static KeyPair loadOrCreate(Path file, String algorithm) throws IOException {
    if (Files.exists(file)) {
      return load(Files.readAllBytes(file));
    }
    KeyPair pair = generate(algorithm);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(file, pair.getPrivate().getEncoded());
    return pair;
  }

  private static KeyPair load(byte[] pkcs8) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
    try {
      PrivateKey priv = KeyFactory.getInstance("EC").generatePrivate(spec);
      ECNamedCurveParameterSpec p256 = ECNamedCurveTable.getParameterSpec("secp256r1");
      var q = p256.getG().multiply(((ECPrivateKey) priv).getS()).normalize();
      ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
      PublicKey pub = KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(point, ((ECPrivateKey) priv).getParams()));
      return new KeyPair(pub, priv);
    } catch (GeneralSecurityException | ClassCastException notEc) {
      try {
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(spec);
        PublicKey pub = KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
        return new KeyPair(pub, priv);
      } catch (GeneralSecurityException | ClassCastException e) {
        throw new IllegalArgumentException("not an EC P-256 or RSA PKCS#8 key file", e);
      }
    }
  }
}
