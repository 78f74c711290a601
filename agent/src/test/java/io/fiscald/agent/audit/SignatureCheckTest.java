package io.fiscald.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.hal.sign.PublicKeys;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table-driven P-256 check answers exactly as {@link PublicKeys#verify}: on good signatures, on
 * every kind of bad one, and on DER encodings that are not canonical.
 */
class SignatureCheckTest {
  private static final BigInteger N =
      new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
  private final Random random = new Random(8);

  @Test
  void answersAsTheGeneralVerifierOnGoodAndBadSignatures() throws Exception {
    KeyPair pair = p256();
    PublicKey key = PublicKeys.fromDer(pair.getPublic().getEncoded());
    SignatureCheck fast = new SignatureCheck(key, P256Tables.of((ECPublicKey) key));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    PublicKey otherKey = PublicKeys.fromDer(p256().getPublic().getEncoded());
    SignatureCheck otherCheck = new SignatureCheck(otherKey, P256Tables.of((ECPublicKey) otherKey));
    int accepted = 0;
    for (int i = 0; i < 300; i++) {
      byte[] hash = bytes(32);
      signer.update(hash);
      byte[] sig = signer.sign();
      List<byte[][]> cases = new ArrayList<>();
      cases.add(new byte[][] {hash, sig});
      cases.add(new byte[][] {flip(hash, random.nextInt(hash.length * 8)), sig});
      cases.add(new byte[][] {hash, flip(sig, 8 * (4 + random.nextInt(sig.length - 4)))});
      BigInteger[] rs = SignatureCheck.canonicalDer(sig);
      cases.add(new byte[][] {hash, der(rs[0], N.subtract(rs[1]))}); // the other valid s: accepted by both
      cases.add(new byte[][] {hash, der(rs[0], rs[1].add(N))});
      cases.add(new byte[][] {hash, der(rs[0].add(N), rs[1])});
      cases.add(new byte[][] {hash, der(BigInteger.ZERO, rs[1])});
      cases.add(new byte[][] {hash, der(rs[0], N)});
      cases.add(new byte[][] {hash, nonMinimal(rs[0], rs[1])});
      cases.add(new byte[][] {hash, bytes(sig.length)});
      for (byte[][] c : cases) {
        boolean expected = PublicKeys.verify(key, c[0], c[1]);
        assertThat(fast.valid(c[0], c[1])).as("case %s of round %s", cases.indexOf(c), i).isEqualTo(expected);
        accepted += expected ? 1 : 0;
      }
      assertThat(otherCheck.valid(hash, sig)).isFalse();
    }
    assertThat(accepted).as("good signatures and their high-s twins").isEqualTo(600);
  }

  @Test
  void canonicalDerOnlyForTheExactEncoding() {
    BigInteger r = new BigInteger(1, bytes(32));
    BigInteger s = new BigInteger(1, bytes(32));
    assertThat(SignatureCheck.canonicalDer(der(r, s))).containsExactly(r, s);
    assertThat(SignatureCheck.canonicalDer(nonMinimal(r, s))).isNull();
    assertThat(SignatureCheck.canonicalDer(der(r.negate(), s))).isNull();
    byte[] trailing = java.util.Arrays.copyOf(der(r, s), der(r, s).length + 1);
    assertThat(SignatureCheck.canonicalDer(trailing)).isNull();
    assertThat(SignatureCheck.canonicalDer(new byte[0])).isNull();
  }

  private static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] flip(byte[] b, int bit) {
    byte[] c = b.clone();
    c[bit / 8] ^= (byte) (1 << (bit % 8));
    return c;
  }

  private static byte[] der(BigInteger r, BigInteger s) {
    return SignatureCheck.sequence(r.toByteArray(), s.toByteArray());
  }

  /** r with a superfluous leading zero byte: BER, not DER. */
  private static byte[] nonMinimal(BigInteger r, BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] padded = new byte[rb.length + 1];
    System.arraycopy(rb, 0, padded, 1, rb.length);
    return SignatureCheck.sequence(padded, s.toByteArray());
  }
}
