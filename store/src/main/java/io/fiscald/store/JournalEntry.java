package io.fiscald.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One link of the append-only journal: a fiscal event (its {@code kind} and canonical JSON
 * {@code payload}) chained to the previous link by {@code hash} and signed by the device key.
 */
public final class JournalEntry {
  private final long seq;
  private final String kind;
  private final String createdAt;
  private final String payload;
  private final byte[] prevHash;
  private final byte[] hash;
  private final byte[] signature;

  public JournalEntry(long seq, String kind, String createdAt, String payload, byte[] prevHash,
      byte[] hash, byte[] signature) {
    if (seq < 1) {
      throw new IllegalArgumentException("journal seq starts at 1, got " + seq);
    }
    this.seq = seq;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.payload = Objects.requireNonNull(payload, "payload");
    this.prevHash = prevHash.clone();
    this.hash = hash.clone();
    this.signature = signature.clone();
  }

  public long seq() {
    return seq;
  }

  public String kind() {
    return kind;
  }

  public String createdAt() {
    return createdAt;
  }

  public String payload() {
    return payload;
  }

  public byte[] prevHash() {
    return prevHash.clone();
  }

  public byte[] hash() {
    return hash.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** Whether {@link #hash()} is what {@link ChainHash} derives from the other fields. */
  public boolean hashMatches() {
    return Arrays.equals(hash, ChainHash.compute(prevHash, seq, kind, createdAt, payload));
  }

  @Override
  public String toString() {
    return "JournalEntry[seq=" + seq + ", kind=" + kind + ", createdAt=" + createdAt + "]";
  }
}
