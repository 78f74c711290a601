package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.bench.api.ApiBench;
import io.fiscald.bench.harness.ReportTable;
import io.fiscald.bench.slowdisk.SlowDiskBench;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench slow-disk}: the durable API path with a delay injected into every fsync. */
@Command(name = "slow-disk", mixinStandardHelpOptions = true,
    description = {"Run the load of 'bench api' with the daemon's data on storage whose fsync takes --delay-ms longer:",
        "a device-mapper delay target over a loop device when the kernel has one (needs root), else an LD_PRELOAD",
        "shim around fsync/fdatasync (needs gcc). The report says which was used, and shows one client (each",
        "receipt pays an fsync) against many (group commit shares it), with and without the delay.",
        "Prints the figures of docs/PERFORMANCE.md \"Slow storage\".",
        "", "Examples:", "  fiscalctl bench slow-disk", "  fiscalctl bench slow-disk --delay-ms 20 --duration 10s --json"})
final class BenchSlowDiskCommand extends BaseCommand {
  @Option(names = "--delay-ms", defaultValue = "20", description = "Added to every fsync, in ms; default 20.")
  int delayMs;

  @Option(names = "--method", defaultValue = "auto", description = "auto (device-mapper, else the shim) or "
      + "ld-preload.")
  String method;

  @Option(names = "--clients", defaultValue = "32", description = "Clients of the many-clients phase; default 32.")
  int clients;

  @Option(names = "--duration", defaultValue = "10s", converter = BenchDuration.class,
      description = "Length of each phase; default 10s.")
  Duration duration;

  @Option(names = "--rate", defaultValue = "200", description = "Receipts/s of the fixed-rate phase (0 skips it); "
      + "default 200.")
  double rate;

  @Option(names = "--no-baseline", description = "Skip the same run without the delay.")
  boolean noBaseline;

  @Override
  int run() {
    if (delayMs < 0 || delayMs > 10_000 || clients < 1 || rate < 0
        || !("auto".equals(method) || "ld-preload".equals(method))) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--delay-ms must be 0-10000, --clients >= 1, --rate >= 0, "
          + "--method auto or ld-preload", Map.of());
    }
    ApiBench.Options api = ApiBench.Options.defaults().with(clients, duration, rate, Duration.ofSeconds(2));
    Map<String, Object> report = SlowDiskBench.run(new SlowDiskBench.Options(delayMs, "auto".equals(method),
        !noBaseline, api));
    result(report, ReportTable.render("fiscalctl bench slow-disk", report));
    return 0;
  }
}
