package io.fiscald.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The journal's link hash over a canonical byte encoding (docs/JOURNAL.md):
 *
 * <pre>
 * SHA-256( prev_hash (32 bytes)
 *        ‖ seq                 (8 bytes, big-endian)
 *        ‖ len(kind)       (4 bytes, big-endian) ‖ kind       (UTF-8)
 *        ‖ len(created_at) (4 bytes, big-endian) ‖ created_at (UTF-8)
 *        ‖ len(payload)    (4 bytes, big-endian) ‖ payload    (UTF-8) )
 * </pre>
 *
 * Length prefixes make the encoding unambiguous: no two different entries share an input.
 */
public final class ChainHash {
  public static final int LENGTH = 32;
  private static final byte[] GENESIS = new byte[LENGTH];
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ChainHash::newDigest);

  private ChainHash() {}

  /** The {@code prev_hash} of the first entry: 32 zero bytes. */
  public static byte[] genesis() {
    return GENESIS.clone();
  }

  public static byte[] compute(byte[] prevHash, long seq, String kind, String createdAt, String payload) {
    if (prevHash.length != LENGTH) {
      throw new IllegalArgumentException("prev_hash must be 32 bytes, got " + prevHash.length);
    }
    byte[] k = kind.getBytes(StandardCharsets.UTF_8);
    byte[] c = createdAt.getBytes(StandardCharsets.UTF_8);
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    ByteBuffer head = ByteBuffer.allocate(LENGTH + 8 + 4);
    head.put(prevHash).putLong(seq).putInt(k.length);
    MessageDigest digest = SHA256.get();
    digest.reset();
    digest.update(head.array());
    digest.update(k);
    digest.update(ByteBuffer.allocate(4).putInt(c.length).array());
    digest.update(c);
    digest.update(ByteBuffer.allocate(4).putInt(p.length).array());
    digest.update(p);
    return digest.digest();
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
