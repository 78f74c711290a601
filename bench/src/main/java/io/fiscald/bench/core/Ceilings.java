package io.fiscald.bench.core;

import io.fiscald.hal.sign.Signer;
import io.fiscald.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The two raw rates a receipt cannot beat, measured on this machine in this JVM: signing with the
 * device key (one thread, and one thread per core), and durable SQLite commits of a small row (WAL,
 * {@code synchronous=FULL}, one fsync each, opened exactly as the journal is).
 */
public final class Ceilings {
  private Ceilings() {}

  /** @param signsPerSecond one thread; {@code signsPerSecondAllCores} one thread per core */
  public record Result(double signsPerSecond, double signsPerSecondAllCores, int cores, double durableCommitsPerSecond,
      String signer, double secondsEach) {
    public Figures figures() {
      return new Figures("Ceilings (raw rates, same JVM)")
          .row("signing, 1 thread", signsPerSecond, "signatures/s (" + signer + ")")
          .row("signing, " + cores + " threads", signsPerSecondAllCores, "signatures/s")
          .row("durable commits", durableCommitsPerSecond, "commits/s (WAL, synchronous=FULL, 1 row each)");
    }
  }

  /** Measures both ceilings for {@code each} (after a short warm-up), in {@code scratch}. */
  public static Result measure(Signer signer, Path scratch, Duration each) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    signingRate(signer, 1, Duration.ofMillis(Math.min(2_000, each.toMillis() / 2 + 1))); // warm-up (JIT)
    double one = signingRate(signer, 1, each);
    double all = signingRate(signer, cores, each);
    double commits = durableCommitRate(scratch, each);
    return new Result(one, all, cores, commits, signer.algorithm().name(), each.toMillis() / 1000.0);
  }

  /** Signatures per second over 32-byte inputs (what the journal signs: a SHA-256 chain hash). */
  public static double signingRate(Signer signer, int threads, Duration duration) throws InterruptedException {
    LongAdder count = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      byte[] data = new byte[32];
      data[0] = (byte) t;
      Thread w = new Thread(() -> {
        while (!stop.get()) {
          data[1]++;
          signer.sign(data);
          count.increment();
        }
      }, "bench-signer-" + t);
      w.setDaemon(true);
      workers.add(w);
    }
    long start = System.nanoTime();
    workers.forEach(Thread::start);
    Thread.sleep(duration.toMillis());
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    return count.sum() / ((System.nanoTime() - start) / 1e9);
  }

  /** Commits per second of one small row each, in a fresh database file under {@code scratch}. */
  public static double durableCommitRate(Path scratch, Duration duration) throws SQLException, java.io.IOException {
    Files.createDirectories(scratch);
    Path file = Files.createTempFile(scratch, "commits-", ".db");
    Files.delete(file);
    try (Connection c = Database.openUnmigrated(file)) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
      }
      try (PreparedStatement begin = c.prepareStatement("BEGIN IMMEDIATE");
          PreparedStatement insert = c.prepareStatement("INSERT INTO t (v) VALUES (?)");
          PreparedStatement commit = c.prepareStatement("COMMIT")) {
        byte[] row = new byte[100];
        long n = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long now;
        do {
          begin.execute();
          insert.setBytes(1, row);
          insert.executeUpdate();
          commit.execute();
          n++;
          now = System.nanoTime();
        } while (now < end);
        return n / ((now - start) / 1e9);
      }
    } finally {
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(Path.of(file + suffix));
      }
    }
  }
}
