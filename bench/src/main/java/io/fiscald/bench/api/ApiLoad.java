package io.fiscald.bench.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The two ways the API is loaded: closed loop (N clients, each sends its next sale as soon as the last is
 * answered: the most the agent can take) and open loop (sales started on a fixed-rate schedule whatever the
 * agent does, latency counted from each one's intended start: what a POS sees at that rate).
 */
public final class ApiLoad {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);

  private ApiLoad() {}

  /** {@code clients} threads, each posting back to back for {@code duration}. */
  public static LoadResult closedLoop(ReceiptPoster poster, int clients, Duration duration) {
    Histogram latency = new ConcurrentHistogram(MAX_MICROS, 3);
    AtomicLong ok = new AtomicLong();
    Map<Integer, Long> failures = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          int status = poster.post();
          latency.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - t0) / 1000));
          count(status, ok, failures);
        }
      }, "bench-client-" + i);
      t.start();
      threads.add(t);
    }
    joinAll(threads);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new LoadResult("closed-loop", clients, 0, seconds, ok.get(), Map.copyOf(failures), latency);
  }

  /**
   * Starts a sale every {@code 1/rate} seconds for {@code duration} on up to {@code clients} connections; a
   * sale whose slot comes while all are busy waits in line, and that wait is part of its latency.
   */
  public static LoadResult openLoop(ReceiptPoster poster, int clients, double rate, Duration duration) {
    Histogram latency = new ConcurrentHistogram(MAX_MICROS, 3);
    AtomicLong ok = new AtomicLong();
    Map<Integer, Long> failures = new ConcurrentHashMap<>();
    ExecutorService senders = Executors.newFixedThreadPool(clients, r -> {
      Thread t = new Thread(r, "bench-sender");
      t.setDaemon(true);
      return t;
    });
    long interval = (long) (1e9 / rate);
    long total = (long) (duration.toNanos() / (double) interval);
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long intended = start + i * interval;
      for (long wait; (wait = intended - System.nanoTime()) > 0; ) {
        LockSupport.parkNanos(wait);
      }
      senders.execute(() -> {
        int status = poster.post();
        latency.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - intended) / 1000));
        count(status, ok, failures);
      });
    }
    senders.shutdown();
    try {
      if (!senders.awaitTermination(5, TimeUnit.MINUTES)) {
        senders.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new LoadResult("open-loop", clients, rate, seconds, ok.get(), Map.copyOf(failures), latency);
  }

  private static void count(int status, AtomicLong ok, Map<Integer, Long> failures) {
    if (status == 201) {
      ok.incrementAndGet();
    } else {
      failures.merge(status, 1L, Long::sum);
    }
  }

  private static void joinAll(List<Thread> threads) {
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
