package io.fiscald.bench.api;

import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.bench.harness.ChildDaemon;
import io.fiscald.bench.harness.JvmFlags;
import io.fiscald.bench.harness.Machine;
import io.fiscald.bench.harness.TempDirs;
import io.fiscald.agent.backup.BackupManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
  /** backup.interval of the bench device's fiscald.conf (the default, written out to say so). */
  static final String BACKUP_INTERVAL = "24h";

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
      BenchDevice device = BenchDevice.createForLoad(data, o.apiThreads());
      report.put("scheduledBackup", noBackupDuringTheLoad(device));
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
        ThreadCpu threads = ThreadCpu.of(daemon.pid());
        LoadResult throughput = ApiLoad.closedLoop(poster, o.clients(), o.duration());
        report.put("throughput", withCpu(throughput, daemon.cpuMillis() - daemonCpu, ownCpuMillis() - clientCpu,
            ThreadCpu.of(daemon.pid()).perUnitSince(threads, throughput.ok())));
        if (o.rate() > 0) {
          daemonCpu = daemon.cpuMillis();
          clientCpu = ownCpuMillis();
          threads = ThreadCpu.of(daemon.pid());
          LoadResult latency = ApiLoad.openLoop(poster, o.clients(), o.rate(), o.duration());
          report.put("latency", withCpu(latency, daemon.cpuMillis() - daemonCpu, ownCpuMillis() - clientCpu,
              ThreadCpu.of(daemon.pid()).perUnitSince(threads, latency.ok())));
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
  private static Map<String, Object> withCpu(LoadResult r, long daemonCpuMs, long clientCpuMs,
      Map<String, Double> daemonThreads) {
    Map<String, Object> m = r.toMap();
    if (r.ok() > 0) {
      double daemonPer = (double) daemonCpuMs / r.ok();
      double clientPer = (double) clientCpuMs / r.ok();
      m.put("daemonCpuMsPerReceipt", Math.round(daemonPer * 1000) / 1000.0);
      m.put("daemonCpuMsPerReceiptByThread", daemonThreads);
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

  /**
   * The daemon takes its first scheduled backup (integrity check and full audit: seconds of CPU) 10 s after
   * start when the device has none, i.e. in the middle of the load. A till that has run a day has a recent
   * one, and so does the bench device: one verified backup taken here, and backup.interval = 24h in
   * fiscald.conf, put the next one a day away. Returns what the report says about it.
   */
  static String noBackupDuringTheLoad(BenchDevice device) {
    Path dir = device.dir().backups();
    try {
      Files.writeString(device.dir().root().resolve(io.fiscald.agent.config.FiscaldConfig.FILE_NAME),
          "backup.interval = " + BACKUP_INTERVAL + "\nbackup.dir = " + dir + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BackupManager.create(device.dir(), dir, 0, Clock.systemUTC());
    return "one taken at set-up; the daemon's next in " + BACKUP_INTERVAL + ", after the phases";
  }

  static double mib(long kib) {
    return LoadResult.round(kib / 1024.0);
  }
}
