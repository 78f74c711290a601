package io.fiscald.bench.slowdisk;

import io.fiscald.bench.api.ApiBench;
import io.fiscald.bench.harness.Machine;
import io.fiscald.bench.harness.TempDirs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code fiscalctl bench slow-disk}: the durable API path when every fsync costs {@code delayMs} more. The
 * daemon's data directory sits on {@link DelayedDisk}; the load of {@code fiscalctl bench api} runs with one
 * client (each receipt pays a whole fsync) and with many (group commit shares each fsync), and the
 * daemon's commit counters show how many receipts each fsync carried.
 */
public final class SlowDiskBench {
  private SlowDiskBench() {}

  /** @param allowDm try device-mapper first (false: go straight to the LD_PRELOAD shim) */
  public record Options(int delayMs, boolean allowDm, boolean baseline, ApiBench.Options api) {}

  public static Map<String, Object> run(Options o) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("fsyncDelayMs", o.delayMs());
    Path scratch = TempDirs.create("fiscald-bench-slowdisk-");
    try {
      if (o.baseline()) {
        report.put("withoutDelay", phases(o.api(), scratch.resolve("baseline"), Map.of()));
      }
      try (DelayedDisk disk = DelayedDisk.create(scratch, o.delayMs(), o.allowDm())) {
        report.put("method", disk.method() == DelayedDisk.Method.DM_DELAY
            ? "device-mapper delay target over a loop device (ext4)" : "LD_PRELOAD shim around fsync/fdatasync");
        if (disk.whyNotDeviceMapper() != null) {
          report.put("deviceMapperUnavailable", disk.whyNotDeviceMapper());
        }
        report.put("withDelay", phases(o.api(), disk.directory().resolve("run"), disk.daemonEnv()));
      }
      report.put("loadAverageAfter", Machine.loadAverage());
      return report;
    } finally {
      TempDirs.delete(scratch);
    }
  }

  /** One client closed loop (the fsync cost per receipt), then the configured clients and rate. */
  private static Map<String, Object> phases(ApiBench.Options api, Path dir, Map<String, String> env) {
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> single = ApiBench.run(api.with(1, api.duration().dividedBy(2), 0, api.warmup())
        .onDisk(dir.resolve("one-client"), env));
    out.put("oneClient", single.get("throughput"));
    Map<String, Object> many = ApiBench.run(api.onDisk(dir.resolve("many-clients"), env));
    out.put("manyClients", many.get("throughput"));
    if (many.containsKey("latency")) {
      out.put("fixedRate", many.get("latency"));
    }
    out.put("groupCommit", many.get("groupCommit"));
    out.put("daemon", many.get("daemon"));
    return out;
  }
}
