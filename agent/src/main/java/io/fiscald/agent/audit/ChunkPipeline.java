package io.fiscald.agent.audit;

import io.fiscald.store.Database;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Hands the audit its ranges' {@link ChunkScan} results in order: computed on demand on the caller's
 * thread ({@link #inline}), or ahead of it by verifier threads that each read with their own read-only
 * connection and take the next unscanned range ({@link #parallel}).
 */
abstract class ChunkPipeline implements AutoCloseable {
  /** The result of range {@code k}; ranges are taken in order 0, 1, 2, … */
  abstract ChunkScan.Result take(int k);

  /** No more results are wanted: the threads stop at their next check. */
  abstract void cancel();

  @Override
  public abstract void close();

  static ChunkPipeline inline(Connection c, int chunks, IntFunction<long[]> ranges, PublicKey key,
      P256Tables tables) {
    ChunkScan scan = new ChunkScan(key, new SignatureCheck(key, tables), () -> false);
    return new ChunkPipeline() {
      @Override
      ChunkScan.Result take(int k) {
        long[] range = ranges.apply(k);
        return scan.scan(c, range[0], range[1]);
      }

      @Override
      void cancel() {}

      @Override
      public void close() {}
    };
  }

  static ChunkPipeline parallel(Path db, int threads, int chunks, IntFunction<long[]> ranges, PublicKey key,
      P256Tables tables) {
    return new Parallel(db, threads, chunks, ranges, key, tables);
  }

  private static final class Parallel extends ChunkPipeline {
    private final List<CompletableFuture<ChunkScan.Result>> results = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean cancelled;

    Parallel(Path db, int count, int chunks, IntFunction<long[]> ranges, PublicKey key, P256Tables tables) {
      for (int k = 0; k < chunks; k++) {
        results.add(new CompletableFuture<>());
      }
      for (int i = 0; i < Math.min(count, chunks); i++) {
        Thread t = new Thread(() -> work(db, ranges, key, tables), "audit-verifier-" + (i + 1));
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    /** Takes ranges until none is left; every range taken is completed, so the caller never waits forever. */
    private void work(Path db, IntFunction<long[]> ranges, PublicKey key, P256Tables tables) {
      ChunkScan scan = new ChunkScan(key, new SignatureCheck(key, tables), () -> cancelled);
      Connection own = open(db);
      try {
        for (int k; (k = next.getAndIncrement()) < results.size(); ) {
          try {
            long[] range = ranges.apply(k);
            results.get(k).complete(cancelled || own == null ? ChunkScan.Result.unclean()
                : scan.scan(own, range[0], range[1]));
          } catch (Throwable t) {
            results.get(k).completeExceptionally(t);
          }
        }
      } finally {
        if (own != null) {
          try {
            own.close();
          } catch (SQLException ignored) {
            // a read-only connection: nothing to lose
          }
        }
      }
    }

    private static Connection open(Path db) {
      try {
        return Database.openReadOnly(db);
      } catch (RuntimeException e) {
        return null; // its ranges count as not passed: the sequential audit on the caller's connection decides
      }
    }

    @Override
    ChunkScan.Result take(int k) {
      try {
        return results.get(k).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while auditing the journal", e);
      } catch (ExecutionException e) {
        return ChunkScan.Result.unclean();
      }
    }

    @Override
    void cancel() {
      cancelled = true;
    }

    @Override
    public void close() {
      cancelled = true;
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
