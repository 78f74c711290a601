package io.fiscald.bench.slowdisk;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Storage whose fsync takes {@code delayMs} longer, made one of two ways: a device-mapper {@code delay}
 * target over a loop device with an ext4 file system (preferred: the kernel delays the flushes, whatever
 * the process does; needs root and device-mapper), or an LD_PRELOAD shim around fsync/fdatasync for the
 * daemon's process (needs gcc). {@link #method()} says which one is in use.
 */
public final class DelayedDisk implements AutoCloseable {
  /** How the delay was injected. */
  public enum Method { DM_DELAY, LD_PRELOAD }

  private final Method method;
  private final Path directory;
  private final Map<String, String> daemonEnv;
  private final String whyNotDm;
  private final List<List<String>> teardown;

  private DelayedDisk(Method method, Path directory, Map<String, String> daemonEnv, String whyNotDm,
      List<List<String>> teardown) {
    this.method = method;
    this.directory = directory;
    this.daemonEnv = daemonEnv;
    this.whyNotDm = whyNotDm;
    this.teardown = teardown;
  }

  /** Sets up the delay under {@code scratch}: device-mapper if it works here, else the shim. */
  public static DelayedDisk create(Path scratch, int delayMs, boolean allowDm) {
    String whyNot = allowDm ? null : "not tried (--method ld-preload)";
    if (allowDm) {
      try {
        return deviceMapper(scratch, delayMs);
      } catch (RuntimeException e) {
        whyNot = e.getMessage();
      }
    }
    return shim(scratch, delayMs, whyNot);
  }

  private static DelayedDisk deviceMapper(Path scratch, int delayMs) {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("device-mapper needs root");
    }
    if (!Files.exists(Path.of("/dev/mapper/control"))) {
      throw new IllegalStateException("no /dev/mapper/control (the kernel has no device-mapper here)");
    }
    String version = run("dmsetup", "version");
    if (!version.contains("Driver version")) {
      throw new IllegalStateException("device-mapper does not answer: " + version.strip());
    }
    List<List<String>> undo = new ArrayList<>();
    try {
      Path image = scratch.resolve("slowdisk.img");
      try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
        f.setLength(1L << 30); // sparse: only what the benchmark writes takes space
      }
      String loop = run("losetup", "-f", "--show", image.toString()).strip();
      undo.add(0, List.of("losetup", "-d", loop));
      String sectors = run("blockdev", "--getsz", loop).strip();
      String name = "fiscald-bench-delay-" + ProcessHandle.current().pid();
      // reads 0 ms, writes 0 ms, flushes delayMs (the three-group table, Linux 6.7+); else writes and flushes
      String table = "0 " + sectors + " delay " + loop + " 0 0 " + loop + " 0 0 " + loop + " 0 " + delayMs;
      if (exit("dmsetup", "create", name, "--table", table) != 0) {
        run("dmsetup", "create", name, "--table", "0 " + sectors + " delay " + loop + " 0 0 " + loop + " 0 " + delayMs);
      }
      undo.add(0, List.of("dmsetup", "remove", name));
      String device = "/dev/mapper/" + name;
      run("mkfs.ext4", "-q", device);
      Path mount = Files.createDirectories(scratch.resolve("mnt"));
      run("mount", device, mount.toString());
      undo.add(0, List.of("umount", mount.toString()));
      return new DelayedDisk(Method.DM_DELAY, mount, Map.of(), null, undo);
    } catch (IOException | RuntimeException e) {
      undo.forEach(DelayedDisk::exit);
      throw new IllegalStateException("device-mapper delay could not be set up: " + e.getMessage(), e);
    }
  }

  private static DelayedDisk shim(Path scratch, int delayMs, String whyNotDm) {
    if (exit("gcc", "--version") != 0) {
      throw new IllegalStateException("cannot inject an fsync delay here: device-mapper is unavailable (" + whyNotDm
          + ") and gcc, needed to build the LD_PRELOAD shim, is missing");
    }
    try {
      Path source = scratch.resolve("fsyncdelay.c");
      try (InputStream in = DelayedDisk.class.getResourceAsStream("fsyncdelay.c")) {
        Files.write(source, in.readAllBytes());
      }
      Path library = scratch.resolve("libfsyncdelay.so");
      run("gcc", "-shared", "-fPIC", "-O2", "-o", library.toString(), source.toString(), "-ldl");
      Path data = Files.createDirectories(scratch.resolve("shimmed"));
      return new DelayedDisk(Method.LD_PRELOAD, data, Map.of("LD_PRELOAD", library.toString(),
          "FISCALD_FSYNC_DELAY_MS", Integer.toString(delayMs)), whyNotDm, List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Method method() {
    return method;
  }

  /** Where the daemon's data directory goes. */
  public Path directory() {
    return directory;
  }

  /** What the daemon's environment needs (the shim), empty for device-mapper. */
  public Map<String, String> daemonEnv() {
    return daemonEnv;
  }

  /** Why device-mapper was not used, or null when it was. */
  public String whyNotDeviceMapper() {
    return whyNotDm;
  }

  @Override
  public void close() {
    teardown.forEach(DelayedDisk::exit);
  }

  private static String run(String... command) {
    Process p = startProcess(command);
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int exit(List<String> command) {
    return exit(command.toArray(String[]::new));
  }

  private static int exit(String... command) {
    try {
      Process p = startProcess(command);
      p.getInputStream().readAllBytes();
      return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException | IllegalStateException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static Process startProcess(String... command) {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(command[0] + " is not available: " + e.getMessage(), e);
    }
  }
}
