package io.fiscald.sim.controlunit;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pair of connected pseudo-terminals made by {@code socat}, reachable through two symbolic links:
 * the host side (what the driver opens) and the unit side (what the emulator opens). The pair holds
 * the host side open itself, so a driver that opens and closes it per command does not hang up the
 * line and end socat.
 */
public final class SocatPtyPair implements AutoCloseable {
  private final Process socat;
  private final Path hostLink;
  private final Path unitLink;
  private final FileOutputStream keepHostOpen;
  private final StringBuffer log = new StringBuffer();

  private SocatPtyPair(Process socat, Path hostLink, Path unitLink, FileOutputStream keepHostOpen) {
    this.socat = socat;
    this.hostLink = hostLink;
    this.unitLink = unitLink;
    this.keepHostOpen = keepHostOpen;
  }

  /** True if {@code socat} is on the PATH. */
  public static boolean available() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "socat"))) {
        return true;
      }
    }
    return false;
  }

  /** Starts socat and returns once both links exist and socat is relaying. */
  public static SocatPtyPair create(Path hostLink, Path unitLink) throws IOException {
    if (!available()) {
      throw new IOException("socat is not installed (apt-get install socat)");
    }
    Process p = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + hostLink,
        "pty,raw,echo=0,link=" + unitLink).redirectErrorStream(true).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder early = new StringBuilder();
    // socat logs "starting data transfer loop" once both ptys and links exist
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = lines.readLine()) != null) {
          early.append(line).append('\n');
          if (line.contains("starting data transfer loop")) {
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        return false;
      }
    });
    try {
      if (!ready.get(10, TimeUnit.SECONDS)) {
        p.destroy();
        throw new IOException("socat did not start a pty pair at " + hostLink + ": " + early);
      }
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting socat", e);
    } catch (ExecutionException | TimeoutException e) {
      p.destroy();
      throw new IOException("socat did not start a pty pair at " + hostLink + " within 10 s: " + early, e);
    }
    SocatPtyPair pair = new SocatPtyPair(p, hostLink, unitLink, new FileOutputStream(hostLink.toFile()));
    pair.log.append(early);
    Thread drain = new Thread(() -> {
      try {
        String line;
        while ((line = lines.readLine()) != null) {
          pair.log.append(line).append('\n');
        }
      } catch (IOException ignored) {
        // socat ended
      }
    }, "socat-log " + hostLink.getFileName());
    drain.setDaemon(true);
    drain.start();
    return pair;
  }

  public Path hostLink() {
    return hostLink;
  }

  public Path unitLink() {
    return unitLink;
  }

  public boolean isAlive() {
    return socat.isAlive();
  }

  /** What socat logged, for diagnosing a failed test. */
  public String log() {
    return log.toString();
  }

  @Override
  public void close() {
    try {
      keepHostOpen.close();
    } catch (IOException ignored) {
      // socat is stopped next anyway
    }
    socat.destroy();
    try {
      if (!socat.waitFor(5, TimeUnit.SECONDS)) {
        socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      socat.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    // socat may leave its links behind when stopped; a dangling link would block the next pair
    for (Path link : new Path[] {hostLink, unitLink}) {
      try {
        if (Files.isSymbolicLink(link)) {
          Files.delete(link);
        }
      } catch (IOException ignored) {
        // best effort: the next create reports a link it cannot make
      }
    }
  }
}
