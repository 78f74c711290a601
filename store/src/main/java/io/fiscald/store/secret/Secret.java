package io.fiscald.store.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Immutable secret bytes (a private key, an API token, a password) that can be read only through
 * the deliberately named {@link #revealBytes()} / {@link #revealUtf8()} and never appear in logs.
 */
public final class Secret {

  private final byte[] bytes;

  private Secret(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A secret holding a copy of {@code bytes}; later changes to the array do not affect it. */
  public static Secret copyOf(byte[] bytes) {
    return new Secret(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** A secret holding the UTF-8 encoding of {@code value}. */
  public static Secret ofUtf8(String value) {
    return new Secret(Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns a copy of the secret bytes; the one escape hatch, named so every use can be found with
   * grep. Callers should overwrite the copy once done with it.
   */
  public byte[] revealBytes() {
    return bytes.clone();
  }

  /**
   * Returns the secret decoded as UTF-8; prefer {@link #revealBytes()} where possible, since a
   * String cannot be wiped and lingers on the heap until collected.
   */
  public String revealUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Number of secret bytes; not itself secret (it is visible in the sealed length anyway). */
  public int length() {
    return bytes.length;
  }

  /** Compares contents in time that does not depend on where the first difference is. */
  public boolean equalsConstantTime(Secret other) {
    Objects.requireNonNull(other, "other");
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /**
   * Identity only: a content-based {@code equals} would compare secrets with an early-exit loop
   * (a timing leak) and would let a secret quietly serve as a map or set key; compare contents
   * explicitly with {@link #equalsConstantTime(Secret)}.
   */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  /** Identity hash, consistent with {@link #equals}; a content hash would leak a digest of it. */
  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "[REDACTED]";
  }
}
