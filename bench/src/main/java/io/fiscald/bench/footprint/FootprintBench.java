package io.fiscald.bench.footprint;

import io.fiscald.bench.api.ApiLoad;
import io.fiscald.bench.api.ReceiptPoster;
import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.bench.harness.ChildDaemon;
import io.fiscald.bench.harness.JvmFlags;
import io.fiscald.bench.harness.Machine;
import io.fiscald.bench.harness.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fiscalctl bench footprint}: the daemon as a till runs it (child JVM, packaged flags): time from
 * process start to {@code /readyz} 200 over several starts, resident memory (VmRSS) idle, and peak
 * resident memory (VmHWM) under the API load of {@code fiscalctl bench api}. Then the same with an AppCDS
 * archive (JDK 17: trained once with -XX:ArchiveClassesAtExit, used with -XX:SharedArchiveFile), to show
 * what class-data sharing buys.
 *
 * @see io.fiscald.bench.api.ApiBench
 */
public final class FootprintBench {
  private FootprintBench() {}

  /**
   * @param starts how many times the daemon is started per variant (the median is the figure)
   * @param idleSettle how long the daemon idles after ready before its idle memory is read
   * @param load length of each load phase (closed loop with {@code clients}, then open loop at {@code rate})
   * @param appCds also measure with an AppCDS archive
   */
  public record Options(int starts, Duration idleSettle, int clients, double rate, Duration load, boolean appCds,
      List<String> jvmFlags) {
    public static Options defaults() {
      return new Options(5, Duration.ofSeconds(3), 32, 200, Duration.ofSeconds(10), true, JvmFlags.packaged());
    }
  }

  public static Map<String, Object> run(Options o) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("jvmFlags", String.join(" ", o.jvmFlags()));
    Map<String, String> env = new LinkedHashMap<>();
    JvmFlags.packagedEnv().forEach((k, v) -> env.put(k, System.getenv().getOrDefault(k, v)));
    report.put("daemonEnv", env); // what ChildDaemon gives the daemon: the packaged values unless set here
    Path root = TempDirs.create("fiscald-bench-footprint-");
    try {
      Path data = root.resolve("data");
      Files.createDirectories(data);
      BenchDevice device = BenchDevice.createForLoad(data, 0);
      // as the launchers start serve: SQLite's native library from their start-up cache, not extracted each time
      List<String> flags = new ArrayList<>(o.jvmFlags());
      flags.add("-Dfiscald.cacheDir=" + root.resolve("cache"));
      report.put("packagedFlags", variant(o, device, flags));
      if (o.appCds()) {
        Path archive = root.resolve("fiscald.jsa");
        String unavailable = train(device, flags, archive);
        if (unavailable != null) {
          report.put("packagedFlagsWithAppCds", Map.of("unavailable", unavailable));
        } else {
          List<String> withCds = new ArrayList<>(flags);
          withCds.add("-XX:SharedArchiveFile=" + archive);
          Map<String, Object> cds = variant(o, device, withCds);
          cds.put("archiveMiB", Math.round(archive.toFile().length() / 1048576.0 * 10) / 10.0);
          report.put("packagedFlagsWithAppCds", cds);
        }
      }
      report.put("loadAverageAfter", Machine.loadAverage());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      TempDirs.delete(root);
    }
    return report;
  }

  /** Starts {@code starts} times (ready time, idle memory), then once more under load (peak memory). */
  private static Map<String, Object> variant(Options o, BenchDevice device, List<String> flags) {
    List<Long> readyMs = new ArrayList<>();
    List<Double> idleMiB = new ArrayList<>();
    List<Long> startupCpuMs = new ArrayList<>();
    for (int i = 0; i < o.starts(); i++) {
      try (ChildDaemon daemon = ChildDaemon.start(device.dir().root(), flags, Map.of())) {
        readyMs.add(daemon.awaitReady(Duration.ofSeconds(120)).toMillis());
        startupCpuMs.add(daemon.cpuMillis()); // what start-up costs whatever else runs: ready time on idle cores
        sleep(o.idleSettle());
        idleMiB.add(mib(daemon.rssKib()));
      }
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("starts", o.starts());
    v.put("readyMsMedian", median(readyMs));
    v.put("readyMsMin", Collections.min(readyMs));
    v.put("readyMsMax", Collections.max(readyMs));
    v.put("startupCpuMsMedian", median(startupCpuMs));
    v.put("rssIdleMiBMedian", median(idleMiB));
    v.put("rssIdleMiBMax", Collections.max(idleMiB));
    if (!o.load().isZero()) {
      try (ChildDaemon daemon = ChildDaemon.start(device.dir().root(), flags, Map.of());
          ReceiptPoster poster = new ReceiptPoster(daemon.url(), device.token(), o.clients())) {
        daemon.awaitReady(Duration.ofSeconds(120));
        sleep(o.idleSettle());
        double idle = mib(daemon.rssKib());
        long ok = ApiLoad.closedLoop(poster, o.clients(), o.load()).ok();
        if (o.rate() > 0) {
          ok += ApiLoad.openLoop(poster, o.clients(), o.rate(), o.load()).ok();
        }
        v.put("underLoadReceipts", ok);
        v.put("rssIdleBeforeLoadMiB", idle);
        v.put("rssAfterLoadMiB", mib(daemon.rssKib()));
        v.put("rssPeakUnderLoadMiB", mib(daemon.peakRssKib()));
      }
    }
    return v;
  }

  /**
   * One training run: start, serve a few hundred receipts, stop gracefully; the JVM writes the archive at exit.
   * Returns why no archive was written (JDK 17 archives only classes from jars: run from fiscald.jar, not from
   * class directories as the tests do), or null.
   */
  private static String train(BenchDevice device, List<String> flags, Path archive) {
    List<String> training = new ArrayList<>(flags);
    training.add("-XX:ArchiveClassesAtExit=" + archive);
    try (ChildDaemon daemon = ChildDaemon.start(device.dir().root(), training, Map.of());
        ReceiptPoster poster = new ReceiptPoster(daemon.url(), device.token(), 4)) {
      daemon.awaitReady(Duration.ofSeconds(120));
      ApiLoad.closedLoop(poster, 4, Duration.ofSeconds(2));
      daemon.stop();
      if (!Files.isRegularFile(archive)) {
        String tail = daemon.tail();
        return "the training run wrote no AppCDS archive" + (tail.contains("non-empty directory")
            ? ": the class path holds directories (JDK 17 archives classes from jars only)" : ":\n" + tail);
      }
      return null;
    }
  }

  private static <T extends Comparable<T>> T median(List<T> values) {
    List<T> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static double mib(long kib) {
    return Math.round(kib / 1024.0 * 100) / 100.0;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
