package io.fiscald.sim.printer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pair of connected pseudo-terminals made by {@code socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B}:
 * what one side writes to {@code A} the other reads from {@code B}, like a null-modem cable. Killing socat
 * is pulling the cable; {@link #restart()} plugs it back in under the same link names.
 */
public final class SocatPair implements AutoCloseable {
  private final Path a;
  private final Path b;
  private Process process;
  private final List<String> log = new ArrayList<>();

  private SocatPair(Path a, Path b) {
    this.a = a;
    this.b = b;
  }

  /** Whether {@code socat} is on the PATH. */
  public static boolean available() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "socat"))) {
        return true;
      }
    }
    return false;
  }

  /** Starts socat and returns once both links exist. */
  public static SocatPair start(Path a, Path b) {
    SocatPair pair = new SocatPair(a.toAbsolutePath(), b.toAbsolutePath());
    pair.launch();
    return pair;
  }

  /** The end the driver opens. */
  public Path a() {
    return a;
  }

  /** The end the emulator opens. */
  public Path b() {
    return b;
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  /** Pulls the cable: kills socat; both ends see the line hang up and the links disappear. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
    try {
      // socat removes its links on a clean exit; a forced one may leave them dangling
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
    } catch (IOException ignored) {
      // stale links are replaced by the next start
    }
  }

  /** Plugs the cable back in: a new socat under the same link names (new pty devices behind them). */
  public synchronized void restart() {
    stop();
    launch();
  }

  private synchronized void launch() {
    try {
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
      Process p = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      CompletableFuture<Boolean> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            synchronized (log) {
              log.add(line);
            }
            if (line.contains("starting data transfer loop")) {
              ready.complete(true);
            }
          }
        } catch (IOException ignored) {
          // socat went away; the process state says so
        }
        ready.complete(false);
      }, "socat-log " + a.getFileName());
      reader.setDaemon(true);
      reader.start();
      if (!ready.get(10, TimeUnit.SECONDS) || !Files.exists(a) || !Files.exists(b)) {
        p.destroyForcibly();
        throw new IllegalStateException("socat did not create " + a + " and " + b + ": " + log());
      }
      process = p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start socat (is it installed? apt-get install socat)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting socat", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("socat did not start within 10 s: " + log(), e);
    }
  }

  private String log() {
    synchronized (log) {
      return String.join(" | ", log);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
