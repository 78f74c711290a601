package io.fiscald.bench.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fiscalctl serve} in a child JVM, as a till runs it, so a harness can SIGKILL it. The launcher is
 * the command that runs fiscalctl (java, flags, class path, main class): the bench never imports the cli.
 */
public final class DaemonProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile(" on (http://\\S+) \\(pid");

  private final Process process;
  private final URI baseUri;

  private DaemonProcess(Process process, URI baseUri) {
    this.process = process;
    this.baseUri = baseUri;
  }

  /** The JVM flags of a lean, fast-starting daemon (what packaging uses on a till). */
  public static List<String> leanJvmFlags() {
    return List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xshare:auto");
  }

  /** A launcher running {@code mainClass} on this JVM's own class path with the lean flags. */
  public static List<String> sameClassPath(String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(leanJvmFlags());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    return command;
  }

  /** Starts {@code serve} on a free loopback port and waits until it answers; stderr goes to {@code log}. */
  public static DaemonProcess start(List<String> launcher, Path dataDir, Path log, String... extraServeArgs)
      throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of("--data-dir", dataDir.toString(), "serve", "--listen", "127.0.0.1:0"));
    command.addAll(List.of(extraServeArgs));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("FISCALD_MASTER_KEY");
    pb.environment().remove("FISCALD_MASTER_KEY_FILE");
    pb.environment().remove("FISCALD_DATA_DIR");
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = r.readLine()) != null; ) {
      Matcher m = SERVING.matcher(line);
      if (m.find()) {
        URI uri = URI.create(m.group(1));
        Thread drain = new Thread(() -> drain(r), "daemon-stdout");
        drain.setDaemon(true);
        drain.start();
        return new DaemonProcess(p, uri.getPath().endsWith("/") ? uri : URI.create(uri + "/"));
      }
    }
    p.destroyForcibly();
    throw new IOException("the daemon exited before it served (exit " + waitQuietly(p) + "; see " + log + ")");
  }

  public URI baseUri() {
    return baseUri;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no flush. Returns the exit status (137 when the signal did it). */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL for 60 s");
    }
    return process.exitValue();
  }

  /** SIGTERM: the graceful stop. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      return kill();
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void drain(BufferedReader r) {
    try {
      while (r.readLine() != null) {
        // discard: the daemon writes little, but a full pipe would block it
      }
    } catch (IOException ignored) {
      // the daemon died
    }
  }

  private static int waitQuietly(Process p) {
    try {
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
