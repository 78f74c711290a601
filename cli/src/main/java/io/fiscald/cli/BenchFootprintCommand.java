package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.bench.footprint.FootprintBench;
import io.fiscald.bench.harness.ReportTable;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench footprint}: the daemon's start-up time and resident memory with the packaged flags. */
@Command(name = "footprint", mixinStandardHelpOptions = true,
    description = {"Start fiscald (a child JVM with the packaged flags, packaging/jvm.flags) several times on a fresh",
        "device: time from process start to /readyz 200, resident memory (VmRSS) idle, and peak resident memory",
        "(VmHWM) under the load of 'bench api'; then the same with an AppCDS archive trained on one run.",
        "Prints the figures of docs/PERFORMANCE.md \"Footprint\".",
        "", "Examples:", "  fiscalctl bench footprint", "  fiscalctl bench footprint --starts 3 --load 5s --json"})
final class BenchFootprintCommand extends BaseCommand {
  @Option(names = "--starts", defaultValue = "5", description = "Starts per variant (the median counts); default 5.")
  int starts;

  @Option(names = "--load", defaultValue = "10s", converter = BenchDuration.class,
      description = "Length of each load phase for the memory under load (0s skips it); default 10s.")
  Duration load;

  @Option(names = "--clients", defaultValue = "32", description = "Clients of the load; default 32.")
  int clients;

  @Option(names = "--rate", defaultValue = "200", description = "Receipts/s of the open-loop load phase; default 200.")
  double rate;

  @Option(names = "--idle", defaultValue = "3s", converter = BenchDuration.class,
      description = "Idle time after ready before the idle memory is read; default 3s.")
  Duration idle;

  @Option(names = "--no-appcds", description = "Skip the AppCDS variant.")
  boolean noAppCds;

  @Option(names = "--jvm-flags", paramLabel = "FLAGS", description = "JVM flags of the daemon instead of the "
      + "packaged ones, separated by spaces (e.g. to compare tiered C2: \"-XX:+UseSerialGC -Xmx96m\").")
  String jvmFlags;

  @Override
  int run() {
    if (starts < 1 || clients < 1 || rate < 0) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--starts and --clients must be at least 1, --rate >= 0",
          Map.of());
    }
    FootprintBench.Options d = FootprintBench.Options.defaults();
    Map<String, Object> report = FootprintBench.run(new FootprintBench.Options(starts, idle, clients, rate, load,
        !noAppCds, jvmFlags == null ? d.jvmFlags() : java.util.List.of(jvmFlags.strip().split("\\s+"))));
    result(report, ReportTable.render("fiscalctl bench footprint", report));
    return 0;
  }
}
