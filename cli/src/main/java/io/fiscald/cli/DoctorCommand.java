package io.fiscald.cli;

import io.fiscald.agent.doctor.Doctor;
import io.fiscald.agent.doctor.DoctorLimits;
import io.fiscald.agent.doctor.Finding;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl doctor}: one screen diagnosing the till, each finding with its fix. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Diagnose this till in one screen: data directory and disk space, database integrity, the newest",
        "journal entries, keys and certificate, the tax authority (reachability, latency, clock drift), the fiscal",
        "day, the outbox, the print queue, printer ports and whether fiscald runs. Each finding is ok, warn or fail",
        "with what was seen and what to do. Read-only; safe while fiscald runs. Exit 0 when nothing fails, 1 when",
        "something does. Every finding and its fix: docs/OPERATIONS.md.", "", "Examples:", "  fiscalctl doctor",
        "  fiscalctl doctor --printer-port /dev/ttyUSB0 --json"})
final class DoctorCommand extends BaseCommand {
  @Option(names = "--printer-port", paramLabel = "PATH",
      description = "The printer's device file to check (default: every serial port and USB printer found).")
  String printerPort;

  @Option(names = "--min-free-mb", paramLabel = "MB", description = "Warn below this much free disk (default 500).")
  Long minFreeMb;

  @Option(names = "--fail-free-mb", paramLabel = "MB", description = "Fail below this much free disk (default 50).")
  Long failFreeMb;

  @Override
  int run() {
    DoctorLimits limits = DoctorLimits.defaults();
    if (minFreeMb != null || failFreeMb != null) {
      long warn = minFreeMb != null ? minFreeMb * 1024 * 1024 : limits.freeDiskWarnBytes();
      long fail = failFreeMb != null ? failFreeMb * 1024 * 1024 : limits.freeDiskFailBytes();
      if (warn < 0 || fail < 0) {
        throw new io.fiscald.agent.core.FiscalException(io.fiscald.agent.core.ErrorCode.INVALID_ARGUMENT,
            "--min-free-mb and --fail-free-mb must be 0 or more");
      }
      limits = limits.withFreeDisk(warn, fail);
    }
    Doctor.Report report = Doctor.standard(printerPort).run(dataDirectory(), env(), Clock.systemUTC(), limits);
    StringBuilder text = new StringBuilder();
    for (Finding f : report.findings()) {
      text.append(String.format("%-4s  %-13s %s%n", f.status().wireName().toUpperCase(java.util.Locale.ROOT),
          f.check(), f.summary()));
      if (f.fix() != null) {
        text.append(String.format("      %-13s fix: %s%n", "", f.fix()));
      }
    }
    text.append(String.format("%n%d fail, %d warn, %d ok%n", report.count(Finding.Status.FAIL),
        report.count(Finding.Status.WARN), report.count(Finding.Status.OK)));
    result(report.view(), text.toString());
    return report.ok() ? 0 : 1;
  }
}
