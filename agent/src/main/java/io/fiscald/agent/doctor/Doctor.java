package io.fiscald.agent.doctor;

import io.fiscald.agent.device.DataDirectory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code fiscalctl doctor}: runs every check against a data directory, each with its own timeout, and
 * collects one finding per check. Reads only; safe beside a running daemon. A check that cannot get
 * past a missing database is not run.
 */
public final class Doctor {
  private final List<Check> checks;

  private Doctor(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /**
   * Every check, in the order a technician reads them.
   *
   * @param printerPort the printer's device path to check, or null to check every port found
   */
  public static Doctor standard(String printerPort) {
    return new Doctor(List.of(new DataDirectoryCheck(), new DiskSpaceCheck(), new MasterKeyCheck(),
        new DatabaseCheck(), new ChainTailCheck(), new SignerCheck(), new CredentialsCheck(), new AuthorityCheck(),
        new ClockCheck(), new FiscalDayCheck(), new OutboxCheck(), new PrintQueueCheck(),
        new PrinterPortCheck(printerPort), new DaemonCheck()));
  }

  /** What the doctor found: one finding per check. */
  public record Report(List<Finding> findings) {
    public Report {
      findings = List.copyOf(findings);
    }

    /** True when no finding failed (warnings allowed): exit 0. */
    public boolean ok() {
      return findings.stream().noneMatch(f -> f.status() == Finding.Status.FAIL);
    }

    public long count(Finding.Status status) {
      return findings.stream().filter(f -> f.status() == status).count();
    }

    public Finding finding(String check) {
      return findings.stream().filter(f -> f.check().equals(check)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no finding of " + check));
    }

    public Map<String, Object> view() {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("ok", ok());
      v.put("fail", count(Finding.Status.FAIL));
      v.put("warn", count(Finding.Status.WARN));
      v.put("findings", findings.stream().map(Finding::view).toList());
      return v;
    }
  }

  public Report run(DataDirectory dir, Map<String, String> env, Clock clock, DoctorLimits limits) {
    DoctorContext ctx = new DoctorContext(dir, env, clock, limits);
    List<Finding> out = new ArrayList<>();
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fiscald-doctor");
      t.setDaemon(true); // a check stuck in a driver must not keep the JVM alive
      return t;
    });
    try {
      for (Check check : checks) {
        if (!ctx.hasDatabase() && needsDatabase(check)) {
          continue; // data-dir already says the database is missing; nothing else to learn from it
        }
        out.add(runOne(pool, check, ctx));
      }
    } finally {
      pool.shutdownNow();
    }
    return new Report(out);
  }

  private static boolean needsDatabase(Check check) {
    // without a database the master key seals nothing yet: a missing key file is not a finding then
    return !(check instanceof DataDirectoryCheck || check instanceof DiskSpaceCheck
        || check instanceof PrinterPortCheck || check instanceof DaemonCheck);
  }

  private static Finding runOne(ExecutorService pool, Check check, DoctorContext ctx) {
    Future<Finding> f = pool.submit(() -> check.run(ctx));
    long timeout = ctx.limits().checkTimeout().toMillis();
    try {
      return f.get(timeout, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return Finding.warn(check.name(), "the check did not finish within " + timeout / 1000 + " s",
          Finding.facts("timeoutMillis", timeout), "Something it reads is hanging (a disk, a device, the network); "
              + "run fiscalctl doctor again, and look at the other findings for the cause");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return Finding.fail(check.name(), "the check failed: " + (cause.getMessage() == null ? cause.toString()
          : cause.getMessage()), Finding.facts("error", cause.getClass().getSimpleName()), "Read the message; "
              + "a storage error usually means a damaged database (see the database finding)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Finding.warn(check.name(), "interrupted", Finding.facts(), "Run fiscalctl doctor again");
    }
  }
}
