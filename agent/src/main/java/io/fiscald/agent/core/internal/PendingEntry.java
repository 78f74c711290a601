package io.fiscald.agent.core.internal;

import io.fiscald.hal.sign.Signer;
import io.fiscald.store.JournalEntry;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A journal entry whose place in the chain is fixed (seq, prev_hash, hash computed by the writer)
 * while its signature is still being made, possibly on another thread. The writer inserts it, and
 * completes the commands that made it, only once {@link #entry()} has the signature: before COMMIT.
 */
final class PendingEntry {
  private final long seq;
  private final String kind;
  private final String createdAt;
  private final String payload;
  private final byte[] prevHash;
  private final byte[] hash;
  private final FutureTask<byte[]> signature;
  private JournalEntry entry;

  PendingEntry(long seq, String kind, String createdAt, String payload, byte[] prevHash, byte[] hash,
      Signer signer) {
    this.seq = seq;
    this.kind = kind;
    this.createdAt = createdAt;
    this.payload = payload;
    this.prevHash = prevHash;
    this.hash = hash;
    this.signature = new FutureTask<>(() -> signer.sign(hash));
  }

  long seq() {
    return seq;
  }

  /** The chain hash (not a copy: the writer's own, never handed out). */
  byte[] hash() {
    return hash;
  }

  /** The signing work, for a pool thread to run; running it twice is harmless (a FutureTask runs once). */
  Runnable signing() {
    return signature;
  }

  /** Gives up on the signature of an entry rolled back with its command. */
  void cancel() {
    signature.cancel(false);
  }

  /**
   * The signed entry. If no pool thread has started the signature yet, the caller makes it itself
   * rather than wait idle; a signing failure is rethrown as it was thrown (e.g. SIGNER_UNAVAILABLE).
   */
  JournalEntry entry() {
    if (entry == null) {
      signature.run();
      try {
        entry = new JournalEntry(seq, kind, createdAt, payload, prevHash, hash, signature.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a journal signature", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("journal signature failed: " + cause, cause);
      }
    }
    return entry;
  }
}
