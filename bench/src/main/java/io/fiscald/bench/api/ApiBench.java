package io.fiscald.bench.api;

import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.bench.harness.ChildDaemon;
import io.fiscald.bench.harness.JvmFlags;
import io.fiscald.bench.harness.Machine;
import io.fiscald.bench.harness.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fiscalctl bench api}: a fresh device served by a child daemon JVM with the packaged flags, loaded
 * first closed-loop by {@code clients} keep-alive clients (throughput), then open-loop at a fixed rate
 * (latency without coordinated omission), with the daemon's resident memory before and under load.
 */
public final class ApiBench {
  private ApiBench() {}

  /**
   * @param rate receipts per second of the open-loop phase; 0 skips it
   * @param apiThreads the daemon's API thread pool (fiscald.conf api.threads); 0 keeps the default
   * @param workDir where the device lives (e.g. on a slow disk); null for a temporary directory, removed after
   */
  public record Options(int clients, Duration duration, double rate, Duration warmup, int apiThreads,
      List<String> jvmFlags, Map<String, String> daemonEnv, Path workDir) {
    public static Options defaults() {
      return new Options(32, Duration.ofSeconds(10), 200, Duration.ofSeconds(3), 0, JvmFlags.packaged(), Map.of(),
          null);
    }

    public Options with(int clients, Duration duration, double rate, Duration warmup) {
      return new Options(clients, duration, rate, warmup, apiThreads, jvmFlags, daemonEnv, workDir);
    }

    public Options onDisk(Path dir, Map<String, String> env) {
      return new Options(clients, duration, rate, warmup, apiThreads, jvmFlags, env, dir);
    }
  }

  public static Map<String, Object> run(Options o) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("jvmFlags", String.join(" ", o.jvmFlags()));
    Path root = o.workDir() != null ? o.workDir() : TempDirs.create("fiscald-bench-api-");
    try {
      Path data = root.resolve("data");
      Files.createDirectories(data);
      BenchDevice device = BenchDevice.create(data, o.apiThreads());
      try (ChildDaemon daemon = ChildDaemon.start(data, o.jvmFlags(), o.daemonEnv());
          ReceiptPoster poster = new ReceiptPoster(daemon.url(), device.token(), o.clients())) {
        Duration ready = daemon.awaitReady(Duration.ofSeconds(120));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pid", daemon.pid());
        d.put("readyMs", ready.toMillis());
        d.put("rssIdleMiB", mib(daemon.rssKib()));
        report.put("daemon", d);
        if (!o.warmup().isZero()) {
          ApiLoad.closedLoop(poster, o.clients(), o.warmup());
        }
        long daemonCpu = daemon.cpuMillis();
        long clientCpu = ownCpuMillis();
        LoadResult throughput = ApiLoad.closedLoop(poster, o.clients(), o.duration());
        report.put("throughput", withCpu(throughput, daemon.cpuMillis() - daemonCpu, ownCpuMillis() - clientCpu));
        if (o.rate() > 0) {
          daemonCpu = daemon.cpuMillis();
          clientCpu = ownCpuMillis();
          LoadResult latency = ApiLoad.openLoop(poster, o.clients(), o.rate(), o.duration());
          report.put("latency", withCpu(latency, daemon.cpuMillis() - daemonCpu, ownCpuMillis() - clientCpu));
        }
        long commits = daemon.metric("fiscald_journal_commits_total");
        long events = daemon.metric("fiscald_journal_committed_events_total");
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("commits", commits);
        g.put("events", events);
        g.put("eventsPerCommit", commits > 0 ? LoadResult.round((double) events / commits) : 0);
        report.put("groupCommit", g);
        d.put("rssAfterLoadMiB", mib(daemon.rssKib()));
        d.put("rssPeakMiB", mib(daemon.peakRssKib()));
        report.put("loadAverageAfter", Machine.loadAverage());
        int exit = daemon.stop();
        d.put("exitCode", exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (o.workDir() == null) {
        TempDirs.delete(root);
      }
    }
    return report;
  }

  /**
   * The phase's figures plus the CPU each receipt cost the daemon and the load generator: unlike rates and
   * latencies these hardly change with what else runs on the machine, so they project what idle cores give.
   */
  private static Map<String, Object> withCpu(LoadResult r, long daemonCpuMs, long clientCpuMs) {
    Map<String, Object> m = r.toMap();
    if (r.ok() > 0) {
      double daemonPer = (double) daemonCpuMs / r.ok();
      double clientPer = (double) clientCpuMs / r.ok();
      m.put("daemonCpuMsPerReceipt", Math.round(daemonPer * 1000) / 1000.0);
      m.put("generatorCpuMsPerReceipt", Math.round(clientPer * 1000) / 1000.0);
      int cores = Runtime.getRuntime().availableProcessors();
      m.put("cpuBoundReceiptsPerSecondOnIdleCores", Math.round(cores * 1000 / (daemonPer + clientPer)));
    }
    return m;
  }

  private static long ownCpuMillis() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1_000_000 : 0;
  }

  static double mib(long kib) {
    return LoadResult.round(kib / 1024.0);
  }
}
