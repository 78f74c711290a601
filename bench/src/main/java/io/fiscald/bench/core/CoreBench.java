package io.fiscald.bench.core;

import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.agent.Agent;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.receipt.ReceiptRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The fiscal core's durable throughput and latency: a fresh device in a scratch directory, a day
 * open, then {@code receipts} copies of the example sale submitted with {@code concurrency} in
 * flight; each latency runs from submit to the answer (after COMMIT). The ceilings are measured in
 * the same JVM just before, so the ratios compare like with like. Concurrency 1 is "a single receipt
 * on an idle agent".
 */
public final class CoreBench {
  private CoreBench() {}

  public record Settings(int receipts, int concurrency, int warmup, Duration ceilingTime, boolean ceilings) {}

  public record Result(int receipts, int concurrency, double seconds, double receiptsPerSecond, double p50Millis,
      double p99Millis, double p999Millis, double maxMillis, long commits, double receiptsPerCommit,
      int signingThreads, double cpuMicrosPerReceipt, double writerCpuMicrosPerReceipt, Ceilings.Result ceilings, Double ratioToSigningCeiling,
      Double ratioToSigningCeilingAllCores, Double ratioToDurableCommitCeiling, Machine machine) {
    public Figures figures() {
      Figures f = new Figures("Fiscal core: " + receipts + " receipts, " + concurrency + " concurrent (durable)")
          .row("throughput", receiptsPerSecond, "receipts/s")
          .row("latency p50", p50Millis, "ms")
          .row("latency p99", p99Millis, "ms")
          .row("latency p99.9", p999Millis, "ms")
          .row("latency max", maxMillis, "ms")
          .row("commits", commits, "")
          .row("receipts per commit", receiptsPerCommit, "")
          .row("signing threads", signingThreads, "")
          .row("CPU per receipt (process)", cpuMicrosPerReceipt, "us")
          .row("CPU per receipt (fiscal-writer)", writerCpuMicrosPerReceipt, "us");
      if (ceilings != null) {
        f.row("signing ceiling (1 thread)", ceilings.signsPerSecond(), "signatures/s")
            .row("signing ceiling (" + ceilings.cores() + " threads)", ceilings.signsPerSecondAllCores(),
                "signatures/s")
            .row("durable commit ceiling", ceilings.durableCommitsPerSecond(), "commits/s")
            .row("ratio to signing (1 thread)", ratioToSigningCeiling, "x")
            .row("ratio to signing (all cores)", ratioToSigningCeilingAllCores, "x")
            .row("ratio to durable commits", ratioToDurableCommitCeiling, "x");
      }
      return f.row("machine", machine.cores() + " cores, load " + machine.loadAverage() + ", JIT "
          + machine.jit() + ", Java " + machine.javaVersion());
    }
  }

  public static Result run(Path scratch, Settings s) throws Exception {
    if (s.receipts() < 1 || s.concurrency() < 1 || s.warmup() < 0) {
      throw new IllegalArgumentException("receipts and concurrency must be at least 1, warm-up at least 0");
    }
    BenchDevice device = BenchDevice.create(scratch.resolve("data"));
    ReceiptRequest request = BenchDevice.exampleRequest();
    try (Agent agent = device.open()) {
      FiscalCore core = agent.core();
      core.openDay();
      Ceilings.Result ceilings = s.ceilings()
          ? Ceilings.measure(agent.signer(), scratch.resolve("ceilings"), s.ceilingTime()) : null;
      issue(core, request, s.warmup(), s.concurrency(), null);
      long commitsBefore = core.commits();
      Histogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
      CpuClock cpu = CpuClock.start();
      long start = System.nanoTime();
      issue(core, request, s.receipts(), s.concurrency(), latencies);
      double seconds = (System.nanoTime() - start) / 1e9;
      CpuClock.Used used = cpu.stop();
      long commits = core.commits() - commitsBefore;
      double rate = s.receipts() / seconds;
      return new Result(s.receipts(), s.concurrency(), seconds, rate, millis(latencies.getValueAtPercentile(50)),
          millis(latencies.getValueAtPercentile(99)), millis(latencies.getValueAtPercentile(99.9)),
          millis(latencies.getMaxValue()), commits, s.receipts() / (double) Math.max(1, commits),
          io.fiscald.agent.core.FiscalCore.signingThreads(), round(used.processNanos() / 1e3 / s.receipts()),
          round(used.writerNanos() / 1e3 / s.receipts()),
          ceilings, ceilings == null ? null : round(rate / ceilings.signsPerSecond()),
          ceilings == null ? null : round(rate / ceilings.signsPerSecondAllCores()),
          ceilings == null ? null : round(rate / ceilings.durableCommitsPerSecond()), Machine.now());
    }
  }

  /** Submits {@code n} receipts keeping {@code concurrency} in flight; fails on the first refusal. */
  static void issue(FiscalCore core, ReceiptRequest request, int n, int concurrency, Histogram latencies)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < n && failure.get() == null; i++) {
      inFlight.acquire();
      long submitted = System.nanoTime();
      core.submit(request).whenComplete((receipt, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        } else if (latencies != null) {
          latencies.recordValue(System.nanoTime() - submitted);
        }
        inFlight.release();
      });
    }
    inFlight.acquire(concurrency);
    if (failure.get() != null) {
      Throwable f = failure.get();
      throw f instanceof FiscalException fe ? fe : new IllegalStateException("a receipt failed: " + f, f);
    }
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }

  private static double round(double ratio) {
    return Math.round(ratio * 1000) / 1000.0;
  }
}
