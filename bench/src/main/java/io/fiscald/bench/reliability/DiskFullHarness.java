package io.fiscald.bench.reliability;

import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.agent.api.Role;
import io.fiscald.agent.device.DataDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Fills the disk under a running daemon while it issues receipts. Where the machine allows it (root), the
 * data directory is on a small tmpfs and a ballast file eats the free space; otherwise (CI) the daemon runs
 * under a file-size limit (RLIMIT_FSIZE via prlimit), an injected write error. Either way: new receipts are
 * refused with a clear storage code, nothing acknowledged is lost, and issuing resumes — without a
 * restart — once space returns (ballast deleted, limit lifted).
 */
public final class DiskFullHarness {
  /** Method: "auto" (tmpfs when it can be mounted), "tmpfs" or "rlimit"; size of the tmpfs in MiB. */
  public record Settings(String method, int sizeMiB, List<String> launcher, Path work) {}

  private static final int REFUSALS_WHILE_FULL = 50;
  private static final int RECEIPTS_AFTER = 20;
  private static final long LEFT_FREE = 1024 * 1024;

  private DiskFullHarness() {}

  public static Report run(Settings s, PrintStream progress) throws Exception {
    Report report = new Report("disk-full");
    Path disk = s.work().resolve("disk");
    Files.createDirectories(disk);
    boolean tmpfs = !"rlimit".equals(s.method()) && mountTmpfs(disk, s.sizeMiB());
    if ("tmpfs".equals(s.method()) && !tmpfs) {
      report.violation("a tmpfs could not be mounted (needs root); use --method rlimit");
      return report;
    }
    report.put("method", tmpfs ? "tmpfs of " + s.sizeMiB() + " MiB (real ENOSPC)"
        : "RLIMIT_FSIZE via prlimit (injected write error: EFBIG)");
    report.put("receiptsAcknowledged", 0).put("refusedWhileFull", 0).put("refusalsByCode", Map.of())
        .put("unclearRefusals", 0).put("acknowledgedWhileFull", 0).put("daemonDied", 0)
        .put("resumedWithoutRestart", false).put("receiptsAfterSpaceReturned", 0);
    try {
      runOn(s, tmpfs, disk, report, progress);
    } finally {
      if (tmpfs) {
        exec("umount", disk.toString());
      }
    }
    return report;
  }

  private static void runOn(Settings s, boolean tmpfs, Path disk, Report report, PrintStream progress)
      throws Exception {
    BenchDevice device = BenchDevice.create((tmpfs ? disk : s.work()).resolve("data"));
    DataDirectory dir = device.dir();
    String cashier = device.token("pos", Role.CASHIER);
    String technician = device.token("tech", Role.TECHNICIAN);
    device.unthrottle(0);
    Path ballast = disk.resolve("ballast");
    List<String> launcher = new ArrayList<>();
    if (!tmpfs) {
      // above the SQLite native library the JDBC driver extracts at start (about 1 MiB) and the database
      long limit = Math.max(Files.size(dir.database()) + 512 * 1024, 2 * 1024 * 1024);
      launcher.addAll(List.of("prlimit", "--fsize=" + limit + ":", "--")); // soft limit only: no root needed
    }
    launcher.addAll(s.launcher());
    Map<String, String> acknowledged = new LinkedHashMap<>();
    Map<String, Long> refusals = new TreeMap<>();
    Path log = s.work().resolve("daemon-stderr.log");
    try (DaemonProcess daemon = DaemonProcess.start(launcher, dir.root(), log)) {
      ApiCaller api = new ApiCaller(daemon.baseUri());
      ApiCaller.Answer open = api.post("v1/day/open", technician, "day-open", "");
      if (!open.success()) {
        report.violation("cannot open the day: " + open.status() + " " + open.body());
        return;
      }
      if (tmpfs) {
        fillLeaving(ballast, LEFT_FREE);
      }
      // issue until the disk refuses
      int n = 0;
      String refusedKey = null;
      for (; n < 200_000 && refusedKey == null; n++) {
        ApiCaller.Answer a = api.post("v1/receipts", cashier, "sale-" + n, BenchDevice.SALE);
        if (a.success()) {
          acknowledged.put(a.json().path("receiptNumber").asText(), a.json().path("hash").asText());
        } else {
          refusedKey = "sale-" + n;
          countRefusal(a, tmpfs, refusals, report);
        }
      }
      if (refusedKey == null) {
        report.violation("the disk never filled after " + n + " receipts");
        return;
      }
      if (progress != null) {
        progress.printf("disk-full: full after %d receipts%n", acknowledged.size());
      }
      // while full: every attempt refused with the storage code, the daemon alive and still reading
      for (int i = 0; i < REFUSALS_WHILE_FULL; i++) {
        ApiCaller.Answer a = api.post("v1/receipts", cashier, "full-" + i, BenchDevice.SALE);
        if (a.success()) {
          acknowledged.put(a.json().path("receiptNumber").asText(), a.json().path("hash").asText());
          report.add("acknowledgedWhileFull", 1);
        } else {
          countRefusal(a, tmpfs, refusals, report);
        }
      }
      ApiCaller.Answer status = api.get("v1/status", cashier);
      if (status.status() != 200) {
        report.violation("GET /v1/status while full answered " + status.status() + " " + status.body());
      }
      if (!daemon.alive()) {
        report.add("daemonDied", 1);
        report.violation("the daemon died when the disk filled (see " + log + ")");
        return;
      }
      // space returns: the refused key and new ones go through, same daemon
      if (tmpfs) {
        Files.delete(ballast);
      } else {
        exec("prlimit", "--pid", Long.toString(daemon.pid()), "--fsize=unlimited:");
      }
      int after = 0;
      for (int i = 0; i < RECEIPTS_AFTER; i++) {
        ApiCaller.Answer a = api.post("v1/receipts", cashier, i == 0 ? refusedKey : "after-" + i, BenchDevice.SALE);
        if (a.success()) {
          acknowledged.put(a.json().path("receiptNumber").asText(), a.json().path("hash").asText());
          after++;
        } else if (after > 0) {
          report.violation("after space returned a receipt was refused: " + a.status() + " " + a.body());
        }
      }
      report.put("receiptsAfterSpaceReturned", after).put("resumedWithoutRestart", after > 0);
      daemon.stop();
      if (after == 0 && tmpfs) {
        report.violation("issuing did not resume once space returned");
      }
      if (after == 0 && !tmpfs) {
        // SQLite treats a failed write other than ENOSPC as an I/O error that poisons the connection:
        // the injected error needs a restart, which must then work
        resumeAfterRestart(s, dir, cashier, log, acknowledged, report);
      }
    }
    report.put("receiptsAcknowledged", acknowledged.size()).put("refusalsByCode", refusals);
    JournalCheck.verify(dir.database(), acknowledged, report, "after the run");
  }

  private static void resumeAfterRestart(Settings s, DataDirectory dir, String cashier, Path log,
      Map<String, String> acknowledged, Report report) throws Exception {
    int after = 0;
    try (DaemonProcess daemon = DaemonProcess.start(s.launcher(), dir.root(), log)) {
      ApiCaller api = new ApiCaller(daemon.baseUri());
      for (int i = 0; i < RECEIPTS_AFTER; i++) {
        ApiCaller.Answer a = api.post("v1/receipts", cashier, "restarted-" + i, BenchDevice.SALE);
        if (a.success()) {
          acknowledged.put(a.json().path("receiptNumber").asText(), a.json().path("hash").asText());
          after++;
        }
      }
      daemon.stop();
    }
    report.put("resumedAfterRestart", after == RECEIPTS_AFTER).put("receiptsAfterRestart", after);
    if (after != RECEIPTS_AFTER) {
      report.violation("issuing did not resume even after a restart (" + after + "/" + RECEIPTS_AFTER + ")");
    }
  }

  private static void countRefusal(ApiCaller.Answer a, boolean tmpfs, Map<String, Long> refusals, Report report) {
    String code = a.code();
    refusals.merge(a.status() + " " + code, 1L, Long::sum);
    report.add("refusedWhileFull", 1);
    // a real full disk must say so; an injected write error (EFBIG) is a storage error, not "full"
    boolean clear = "STORAGE_FULL".equals(code) || (!tmpfs && "STORAGE_ERROR".equals(code));
    if (!clear) {
      report.add("unclearRefusals", 1);
      report.violation("a receipt on a full disk was refused with " + a.status() + " " + a.body());
    }
  }

  /** Writes a ballast file until only {@code leave} bytes are free on its filesystem. */
  private static void fillLeaving(Path ballast, long leave) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(ballast)) {
      while (Files.getFileStore(ballast.getParent()).getUsableSpace() > leave + chunk.length) {
        out.write(chunk);
        out.flush();
      }
    }
  }

  private static boolean mountTmpfs(Path at, int sizeMiB) {
    return exec("mount", "-t", "tmpfs", "-o", "size=" + sizeMiB + "m", "tmpfs", at.toString()) == 0;
  }

  private static int exec(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
