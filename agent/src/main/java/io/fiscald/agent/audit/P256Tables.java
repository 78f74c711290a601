package io.fiscald.agent.audit;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.raw.Nat256;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA P-256 verification for one fixed public key, about twice as fast as BouncyCastle's general
 * {@code ECDSASigner}: both points of {@code u1·G + u2·Q} are fixed for the whole audit, so each gets
 * a table of its byte-sized multiples ({@code d·2^(8i)·P}, d ≤ 128, signed digits) and a
 * multiplication is ~33 point additions and no doublings. The arithmetic is BouncyCastle's P-256
 * curve; the check is X9.62's (the point's x mod n equals r), so it accepts exactly the (r, s) pairs
 * {@code ECDSASigner.verifySignature} accepts. Immutable, shared by the verifier threads.
 */
final class P256Tables {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECCurve CURVE = P256.getCurve();
  private static final BigInteger N = P256.getN();
  private static final int WINDOW = 8;
  private static final int HALF = 1 << (WINDOW - 1);
  private static final int WINDOWS = 33; // 256 bits in bytes, plus the last signed digit's carry
  private static volatile ECPoint[][] generatorTable;

  private final ECPoint[][] g;
  private final ECPoint[][] q;

  private P256Tables(ECPoint[][] g, ECPoint[][] q) {
    this.g = g;
    this.q = q;
  }

  /** The tables for {@code key}, a P-256 key (checked by the caller); the generator's are built once per JVM. */
  static P256Tables of(ECPublicKey key) {
    ECPoint point = CURVE.validatePoint(key.getW().getAffineX(), key.getW().getAffineY());
    return new P256Tables(generator(), table(point));
  }

  private static ECPoint[][] generator() {
    ECPoint[][] t = generatorTable;
    if (t == null) {
      t = table(P256.getG());
      generatorTable = t;
    }
    return t;
  }

  /** Row i holds d·2^(8i)·base for d = 1..128, affine (so each addition is a cheaper mixed one). */
  private static ECPoint[][] table(ECPoint base) {
    ECPoint[] all = new ECPoint[WINDOWS * HALF];
    ECPoint p = base.normalize();
    for (int i = 0; i < WINDOWS; i++) {
      int row = i * HALF;
      all[row] = p;
      for (int d = 1; d < HALF; d++) {
        all[row + d] = all[row + d - 1].add(p);
      }
      p = all[row + HALF - 1].twice().normalize(); // 2^8 · (2^(8i)·base)
    }
    CURVE.normalizeAll(all);
    ECPoint[][] t = new ECPoint[WINDOWS][];
    for (int i = 0; i < WINDOWS; i++) {
      t[i] = Arrays.copyOfRange(all, i * HALF, (i + 1) * HALF);
    }
    return t;
  }

  /** X9.62 verification of (r, s) over {@code e}, the message digest as an integer (256 bits: no truncation). */
  boolean verify(BigInteger e, BigInteger r, BigInteger s) {
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    BigInteger c = BigIntegers.modOddInverseVar(N, s);
    BigInteger u1 = e.multiply(c).mod(N);
    BigInteger u2 = r.multiply(c).mod(N);
    ECPoint sum = multiply(q, u2, multiply(g, u1, CURVE.getInfinity()));
    if (sum.isInfinity()) {
      return false;
    }
    // x/Z² mod p, taken mod n, equals r: compare r·Z² (and (r+n)·Z² while below p) with X, as BouncyCastle
    // does, instead of paying a field inversion to normalise the point
    ECFieldElement zz = sum.getZCoord(0).square();
    ECFieldElement x = sum.getXCoord();
    for (BigInteger candidate = r; CURVE.isValidFieldElement(candidate); candidate = candidate.add(N)) {
      if (CURVE.fromBigInteger(candidate).multiply(zz).equals(x)) {
        return true;
      }
    }
    return false;
  }

  /** acc + k·P, k < n, with the table of P: one signed digit in [-127, 128] per byte of k. */
  private static ECPoint multiply(ECPoint[][] table, BigInteger k, ECPoint acc) {
    int[] words = Nat256.fromBigInteger(k);
    int carry = 0;
    for (int i = 0; i < WINDOWS; i++) {
      int digit = (i < 32 ? (words[i >>> 2] >>> ((i & 3) << 3)) & 0xFF : 0) + carry;
      carry = 0;
      if (digit > HALF) {
        digit -= 1 << WINDOW;
        carry = 1;
      }
      if (digit > 0) {
        acc = acc.add(table[i][digit - 1]);
      } else if (digit < 0) {
        acc = acc.add(table[i][-digit - 1].negate());
      }
    }
    return acc;
  }
}
