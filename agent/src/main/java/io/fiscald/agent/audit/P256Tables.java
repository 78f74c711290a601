package io.fiscald.agent.audit;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Field;
import org.bouncycastle.math.raw.Nat256;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA P-256 verification for one fixed public key, several times faster than BouncyCastle's
 * general {@code ECDSASigner}: both points of {@code u1·G + u2·Q} are fixed for the whole audit, so
 * each gets a table of its multiples {@code d·2^(w·i)·P} (signed digits of w bits) and a
 * multiplication is ~256/w mixed additions and no doublings, done in place on BouncyCastle's P-256
 * field arithmetic. The check is X9.62's (the point's x, mod n, equals r), so it accepts exactly the
 * (r, s) pairs {@code ECDSASigner.verifySignature} accepts; the rare sums the in-place addition does
 * not handle (a point added to itself or its negation) are redone with BouncyCastle's own points.
 * Immutable, shared by the verifier threads.
 */
final class P256Tables {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECCurve CURVE = P256.getCurve();
  private static final BigInteger N = P256.getN();
  private static final int W = 10;
  private static final int HALF = 1 << (W - 1);
  private static final int WINDOWS = (256 + 1 + W - 1) / W; // the last signed digit's carry needs a window
  private static volatile int[] generatorTable;

  private final ECPoint q;
  private final int[] g; // per window i and digit d = 1..HALF: x then y of d·2^(W·i)·G, affine, 16 ints
  private final int[] qt;

  private P256Tables(ECPoint q, int[] g, int[] qt) {
    this.q = q;
    this.g = g;
    this.qt = qt;
  }

  /** The tables for {@code key}, a P-256 key (checked by the caller); the generator's are built once per JVM. */
  static P256Tables of(ECPublicKey key) {
    ECPoint point = CURVE.validatePoint(key.getW().getAffineX(), key.getW().getAffineY());
    return new P256Tables(point, generator(), table(point));
  }

  private static int[] generator() {
    int[] t = generatorTable;
    if (t == null) {
      t = table(P256.getG());
      generatorTable = t;
    }
    return t;
  }

  private static int[] table(ECPoint base) {
    ECPoint[] points = new ECPoint[WINDOWS * HALF];
    ECPoint p = base.normalize();
    for (int i = 0; i < WINDOWS; i++) {
      int row = i * HALF;
      points[row] = p;
      for (int d = 1; d < HALF; d++) {
        points[row + d] = points[row + d - 1].add(p);
      }
      p = points[row + HALF - 1].twice().normalize(); // 2^W · (2^(W·i)·base)
    }
    CURVE.normalizeAll(points);
    int[] t = new int[points.length * 16];
    for (int k = 0; k < points.length; k++) {
      System.arraycopy(SecP256R1Field.fromBigInteger(points[k].getAffineXCoord().toBigInteger()), 0, t, k * 16, 8);
      System.arraycopy(SecP256R1Field.fromBigInteger(points[k].getAffineYCoord().toBigInteger()), 0, t, k * 16 + 8, 8);
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
    Jacobian sum = new Jacobian();
    if (!sum.addMultiple(g, Nat256.fromBigInteger(u1)) || !sum.addMultiple(qt, Nat256.fromBigInteger(u2))) {
      return matches(ECAlgorithms.sumOfTwoMultiplies(P256.getG(), u1, q, u2), r); // an exceptional addition
    }
    if (sum.infinity) {
      return false;
    }
    // x/Z² mod p, taken mod n, equals r: compare r·Z² (and (r+n)·Z² while below p) with X, as BouncyCastle
    // does, instead of paying a field inversion to normalise the point
    int[] zz = new int[8];
    int[] rz = new int[8];
    SecP256R1Field.square(sum.z, zz);
    for (BigInteger candidate = r; CURVE.isValidFieldElement(candidate); candidate = candidate.add(N)) {
      SecP256R1Field.multiply(SecP256R1Field.fromBigInteger(candidate), zz, rz);
      if (Nat256.eq(rz, sum.x)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(ECPoint point, BigInteger r) {
    if (point.isInfinity()) {
      return false;
    }
    ECFieldElement x = point.normalize().getAffineXCoord();
    return x.toBigInteger().mod(N).equals(r);
  }

  /** A point in Jacobian coordinates (x/z², y/z³), added to in place. */
  private static final class Jacobian {
    final int[] x = new int[8];
    final int[] y = new int[8];
    final int[] z = new int[8];
    boolean infinity = true;
    // scratch
    private final int[] x2 = new int[8];
    private final int[] y2 = new int[8];
    private final int[] zz = new int[8];
    private final int[] u2 = new int[8];
    private final int[] s2 = new int[8];
    private final int[] h = new int[8];
    private final int[] r = new int[8];
    private final int[] hh = new int[8];
    private final int[] gg = new int[8];
    private final int[] v = new int[8];
    private final int[] ext1 = new int[16];
    private final int[] ext2 = new int[16];

    /** this += k·P with P's table, k < 2^256; false: an exceptional addition met, the sum is unusable. */
    boolean addMultiple(int[] table, int[] k) {
      int carry = 0;
      for (int i = 0; i < WINDOWS; i++) {
        int digit = bits(k, i * W) + carry;
        carry = 0;
        if (digit > HALF) {
          digit -= 1 << W;
          carry = 1;
        }
        if (digit != 0 && !addAffine(table, (i * HALF + Math.abs(digit) - 1) * 16, digit < 0)) {
          return false;
        }
      }
      return true;
    }

    private static int bits(int[] k, int at) {
      if (at >= 256) {
        return 0;
      }
      int word = at >>> 5;
      int shift = at & 31;
      long both = (k[word] & 0xFFFFFFFFL) | (word + 1 < 8 ? (long) k[word + 1] << 32 : 0);
      return (int) (both >>> shift) & ((1 << W) - 1);
    }

    /** this += (x, ±y) from the table at {@code at}: BouncyCastle's SecP256R1Point.add with Z2 = 1. */
    private boolean addAffine(int[] t, int at, boolean negate) {
      System.arraycopy(t, at + 8, y2, 0, 8);
      if (negate) {
        SecP256R1Field.negate(y2, y2);
      }
      if (infinity) {
        System.arraycopy(t, at, x, 0, 8);
        System.arraycopy(y2, 0, y, 0, 8);
        Nat256.zero(z);
        z[0] = 1;
        infinity = false;
        return true;
      }
      System.arraycopy(t, at, x2, 0, 8);
      // U1 = X1, S1 = Y1 (Z2 = 1); U2 = X2·Z1², S2 = Y2·Z1³
      SecP256R1Field.square(z, zz, ext1);
      SecP256R1Field.multiply(zz, x2, u2, ext1);
      SecP256R1Field.multiply(zz, z, s2, ext1);
      SecP256R1Field.multiply(s2, y2, s2, ext1);
      SecP256R1Field.subtract(x, u2, h);
      SecP256R1Field.subtract(y, s2, r);
      if (Nat256.isZero(h)) {
        return false; // this = ±P: a doubling or infinity, left to BouncyCastle's points
      }
      SecP256R1Field.square(h, hh, ext1);
      SecP256R1Field.multiply(hh, h, gg, ext1);
      SecP256R1Field.multiply(hh, x, v, ext1);
      Nat256.mul(y, gg, ext1); // S1·G, reduced below with the other product
      // X3 = R² + G − 2V
      SecP256R1Field.square(r, x, ext2);
      SecP256R1Field.add(x, gg, x);
      SecP256R1Field.subtract(x, v, x);
      SecP256R1Field.subtract(x, v, x);
      // Y3 = (V − X3)·R − S1·G
      SecP256R1Field.subtract(v, x, y);
      Nat256.mul(y, r, ext2);
      SecP256R1Field.subtractExt(ext2, ext1, ext2);
      SecP256R1Field.reduce(ext2, y);
      // Z3 = H·Z1
      SecP256R1Field.multiply(h, z, z, ext1);
      return true;
    }
  }
}
