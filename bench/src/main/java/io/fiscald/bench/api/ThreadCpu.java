package io.fiscald.bench.api;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of a process's threads from /proc (Linux), grouped by thread name with its trailing number
 * dropped ({@code api-7} counts as {@code api-N}): which of the daemon's threads a receipt costs, without a
 * profiler and whatever else runs on the machine.
 */
final class ThreadCpu {
  /** USER_HZ of /proc/PID/task/TID/stat: 100 on every Linux this runs on. */
  private static final long CLOCK_TICKS = 100;

  private final Map<String, long[]> byTid;

  private ThreadCpu(Map<String, long[]> byTid) {
    this.byTid = byTid;
  }

  /** The CPU each thread of {@code pid} has used so far; empty when /proc cannot be read. */
  static ThreadCpu of(long pid) {
    Map<String, long[]> threads = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long millis = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLOCK_TICKS;
          threads.put(task.getFileName() + " " + name.replaceAll("\\d+$", "N"), new long[] {millis});
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      return new ThreadCpu(Map.of());
    }
    return new ThreadCpu(threads);
  }

  /**
   * CPU milliseconds per unit (receipt) by thread group between {@code before} and this snapshot, largest
   * first; groups under 0.005 ms per unit are left out.
   */
  Map<String, Double> perUnitSince(ThreadCpu before, long units) {
    Map<String, Long> groups = new HashMap<>();
    byTid.forEach((key, now) -> {
      long[] then = before.byTid.get(key);
      long used = now[0] - (then == null ? 0 : then[0]);
      groups.merge(key.substring(key.indexOf(' ') + 1), used, Long::sum);
    });
    Map<String, Double> out = new LinkedHashMap<>();
    groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .filter(e -> units > 0 && (double) e.getValue() / units >= 0.005)
        .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() * 1000.0 / units) / 1000.0));
    return out;
  }
}
