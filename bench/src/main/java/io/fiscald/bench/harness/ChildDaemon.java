package io.fiscald.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code fiscalctl serve} in a child JVM started with given flags, as a till runs it: how long it takes to
 * answer {@code /readyz} 200, and its resident memory from /proc. Closing it sends SIGTERM (a graceful
 * stop), then SIGKILL if it does not stop in time.
 */
public final class ChildDaemon implements AutoCloseable {
  /** fiscalctl's main class, started by name: bench never imports cli, whose jar (fiscald.jar) holds it. */
  public static final String MAIN = "io.fiscald.cli.Main";

  /** USER_HZ of /proc/PID/stat: 100 on every Linux this runs on. */
  private static final long CLOCK_TICKS = 100;

  private final Process process;
  private final URI url;
  private final long startedNanos;
  private final Path log;
  private long readyNanos = -1;

  private ChildDaemon(Process process, URI url, long startedNanos, Path log) {
    this.process = process;
    this.url = url;
    this.startedNanos = startedNanos;
    this.log = log;
  }

  /**
   * Starts {@code fiscalctl --data-dir DIR serve} on a free loopback port with {@code jvmFlags}, from this
   * JVM's class path, in the packaged environment ({@link JvmFlags#packagedEnv}, unless this process sets
   * those variables itself, as the launchers do); {@code env} is added on top (e.g. LD_PRELOAD). Output goes
   * to {@code DIR/../<dir name>-daemon.log}.
   */
  public static ChildDaemon start(Path dataDir, List<String> jvmFlags, Map<String, String> env) {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN);
    command.addAll(List.of("--data-dir", dataDir.toString(), "serve", "--listen", "127.0.0.1:" + port));
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-daemon.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("FISCALD_MASTER_KEY");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    JvmFlags.packagedEnv().forEach(pb.environment()::putIfAbsent);
    pb.environment().putAll(env);
    long started = System.nanoTime();
    try {
      return new ChildDaemon(pb.start(), URI.create("http://127.0.0.1:" + port), started, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the daemon JVM: " + e.getMessage(), e);
    }
  }

  /**
   * Polls {@code /readyz} every 2 ms until it answers 200; returns the time from process start to that
   * answer. Fails with the daemon's log when it exits or does not get ready within {@code timeout}.
   */
  public Duration awaitReady(Duration timeout) {
    long deadline = startedNanos + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the daemon exited with " + process.exitValue() + " before it was ready:\n"
            + tail());
      }
      if (readyz() == 200) {
        readyNanos = System.nanoTime();
        return Duration.ofNanos(readyNanos - startedNanos);
      }
      sleep(2);
    }
    throw new IllegalStateException("the daemon was not ready within " + timeout.toMillis() + " ms:\n" + tail());
  }

  private int readyz() {
    try {
      HttpURLConnection c = (HttpURLConnection) url.resolve("/readyz").toURL().openConnection();
      c.setConnectTimeout(200);
      c.setReadTimeout(2000);
      int status = c.getResponseCode();
      (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
      c.disconnect();
      return status;
    } catch (IOException e) {
      return -1; // not listening yet
    }
  }

  /** GET {@code path} (a public endpoint such as /metrics); the body as text. */
  public String get(String path) {
    try {
      HttpURLConnection c = (HttpURLConnection) url.resolve(path).toURL().openConnection();
      c.setConnectTimeout(5000);
      c.setReadTimeout(30000);
      try (var in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " failed: " + e.getMessage(), e);
    }
  }

  /** A counter or gauge without labels from {@code /metrics}, or -1 when it is not there. */
  public long metric(String name) {
    return get("/metrics").lines().filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(name.length() + 1).strip())).findFirst().orElse(-1);
  }

  public URI url() {
    return url;
  }

  public long pid() {
    return process.pid();
  }

  /** CPU time the daemon has used (user + system, from /proc/PID/stat), in milliseconds. */
  public long cpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLOCK_TICKS;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + process.pid() + "/stat (Linux only)", e);
    }
  }

  /** Resident memory now (VmRSS), in KiB. */
  public long rssKib() {
    return procStatus("VmRSS:");
  }

  /** Peak resident memory since start (VmHWM), in KiB. */
  public long peakRssKib() {
    return procStatus("VmHWM:");
  }

  private long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
        }
      }
      throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + process.pid() + "/status (Linux only): "
          + e.getMessage(), e);
    }
  }

  /** The last lines of the daemon's output, for error messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /** SIGTERM, then SIGKILL after 30 s; returns the exit code. */
  public int stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return -1;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
