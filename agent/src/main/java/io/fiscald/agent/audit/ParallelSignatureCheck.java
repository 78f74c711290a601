package io.fiscald.agent.audit;

import io.fiscald.hal.sign.PublicKeys;
import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Verifies journal signatures on a pool (one thread per core) while the caller follows the chain in
 * order. Signatures go in chunks, a bounded number in flight, so a million-entry audit holds a few
 * thousand hashes in memory at a time. It only says whether every signature given so far verified;
 * which entry failed, and what else is wrong around it, the exact sequential audit says (it is run
 * again when this reports a failure, which on a sound journal never happens).
 */
final class ParallelSignatureCheck implements AutoCloseable {
  private static final int CHUNK = 256;

  private final ExecutorService pool;
  private final int maxInFlight;
  private final ThreadLocal<PublicKeys.Verifier> verifiers;
  private final Deque<Future<Boolean>> inFlight = new ArrayDeque<>();
  private byte[][] hashes = new byte[CHUNK][];
  private byte[][] signatures = new byte[CHUNK][];
  private int buffered;
  private boolean failed;

  ParallelSignatureCheck(PublicKey key, int threads) {
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "audit-verifier");
      t.setDaemon(true);
      return t;
    });
    this.maxInFlight = threads * 4;
    this.verifiers = ThreadLocal.withInitial(() -> PublicKeys.verifier(key));
  }

  /** Queues one signature over {@code hash}; false once any signature queued so far is known to fail. */
  boolean add(byte[] hash, byte[] signature) {
    hashes[buffered] = hash;
    signatures[buffered] = signature;
    if (++buffered == CHUNK) {
      flush();
    }
    return !failed;
  }

  /** Waits for every queued signature; true when all verified. */
  boolean allValid() {
    flush();
    while (!inFlight.isEmpty()) {
      collect(inFlight.removeFirst());
    }
    return !failed;
  }

  private void flush() {
    if (buffered == 0) {
      return;
    }
    byte[][] h = Arrays.copyOf(hashes, buffered);
    byte[][] s = Arrays.copyOf(signatures, buffered);
    buffered = 0;
    inFlight.addLast(pool.submit(() -> verifyAll(h, s)));
    while (inFlight.size() > maxInFlight || (!inFlight.isEmpty() && inFlight.peekFirst().isDone())) {
      collect(inFlight.removeFirst());
    }
  }

  private Boolean verifyAll(byte[][] h, byte[][] s) {
    PublicKeys.Verifier verifier = verifiers.get();
    for (int i = 0; i < h.length; i++) {
      if (!verifier.verify(h[i], s[i])) {
        return false;
      }
    }
    return true;
  }

  private void collect(Future<Boolean> chunk) {
    try {
      if (!chunk.get()) {
        failed = true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying signatures", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("signature verification failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
