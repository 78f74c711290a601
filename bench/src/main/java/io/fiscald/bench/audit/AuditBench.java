package io.fiscald.bench.audit;

import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.bench.core.Figures;
import io.fiscald.bench.core.Machine;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The audit's speed: a journal of {@code entries} entries (built once by the fiscal core itself and
 * kept per size under the cache directory, so repeated runs time only the audit), then
 * {@link JournalAuditor#audit} over it, entries per second.
 */
public final class AuditBench {
  private AuditBench() {}

  /**
   * @param cpuSeconds CPU time of the whole process during the audit: unlike the wall time, hardly moved by
   *     other work on the machine, so {@code entries / cpuSeconds} is what each fully available core audits
   */
  public record Result(long entries, int threads, double seconds, double entriesPerSecond, boolean auditPassed,
      double buildSeconds, String journal, Machine machine, double cpuSeconds) {
    public Figures figures() {
      return new Figures("Audit: " + entries + " journal entries, " + threads + " thread(s)")
          .row("audit time", seconds, "s")
          .row("audit speed", entriesPerSecond, "entries/s")
          .row("audit CPU", cpuSeconds, "s")
          .row("CPU per entry", cpuSeconds * 1e6 / Math.max(1, entries), "µs")
          .row("audit result", auditPassed ? "passed" : "FAILED")
          .row("journal", journal + (buildSeconds > 0 ? " (built in " + Figures.format(buildSeconds) + " s)"
              : " (cached)"))
          .row("machine", machine.cores() + " cores, load " + machine.loadAverage() + ", JIT " + machine.jit()
              + ", Java " + machine.javaVersion());
    }
  }

  /** Times the audit of a journal of {@code entries} entries kept under {@code cache}; {@code threads} 0: one per core. */
  public static Result run(Path cache, long entries, int threads) throws Exception {
    if (entries < 3) {
      throw new IllegalArgumentException("a journal to audit needs at least 3 entries (device, day, a receipt)");
    }
    Path dir = cache.resolve("journal-" + entries);
    double built = ensureJournal(dir, entries);
    int used = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    try (Connection c = Database.openReadOnly(dir.resolve("data").resolve(Database.FILE_NAME))) {
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      AuditReport report = JournalAuditor.audit(c, used);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = (processCpuNanos() - cpuStart) / 1e9;
      return new Result(report.entriesChecked(), used, seconds, report.entriesChecked() / seconds, report.ok(),
          built, dir.toString(), Machine.now(), cpu);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The database file of a journal of {@code entries} entries under {@code cache}, built if missing. */
  public static Path journal(Path cache, long entries) throws Exception {
    Path dir = cache.resolve("journal-" + entries);
    ensureJournal(dir, entries);
    return dir.resolve("data").resolve(Database.FILE_NAME);
  }

  /** Builds the journal unless a complete one is there; returns the seconds spent building (0: cached). */
  static double ensureJournal(Path dir, long entries) throws Exception {
    Path done = dir.resolve("complete");
    if (Files.exists(done)) {
      return 0;
    }
    deleteTree(dir);
    long start = System.nanoTime();
    BenchDevice device = BenchDevice.create(dir.resolve("data"));
    try (Agent agent = device.open()) {
      FiscalCore core = agent.core();
      core.openDay(); // entries 1 (device initialised) and 2 (day opened)
      long receipts = entries - 2;
      var request = BenchDevice.exampleRequest();
      Semaphore inFlight = new Semaphore(256);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      for (long i = 0; i < receipts && failure.get() == null; i++) {
        inFlight.acquire();
        core.submit(request).whenComplete((r, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
          inFlight.release();
        });
      }
      inFlight.acquire(256);
      if (failure.get() != null) {
        throw new IllegalStateException("building the journal failed: " + failure.get(), failure.get());
      }
    }
    try (Connection c = Database.openReadOnly(dir.resolve("data").resolve(Database.FILE_NAME))) {
      if (Journal.count(c) != entries) {
        throw new IllegalStateException("built " + Journal.count(c) + " journal entries, wanted " + entries);
      }
    }
    Files.writeString(done, "ok\n");
    return (System.nanoTime() - start) / 1e9;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
