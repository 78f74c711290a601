package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.bench.core.CoreBench;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench core}: durable receipts per second and latency of the fiscal core. */
@Command(name = "core", mixinStandardHelpOptions = true,
    description = {"Issue receipts through the fiscal core of a scratch device (durable: each answer after its",
        "COMMIT) and report receipts/s, p50/p99/p99.9 latency, receipts per commit and the ratio to the signing",
        "and durable-commit ceilings measured in the same run. --concurrency 1 measures a single receipt on an",
        "idle agent. Touches no data directory.", "", "Examples:",
        "  fiscalctl bench core --receipts 50000 --concurrency 32",
        "  fiscalctl bench core --receipts 2000 --concurrency 1 --no-ceilings"})
final class BenchCoreCommand extends BaseCommand {
  @Option(names = "--receipts", defaultValue = "20000", paramLabel = "N", description = "Receipts to time (default 20000).")
  int receipts;

  @Option(names = "--concurrency", defaultValue = "32", paramLabel = "C",
      description = "Receipts in flight at once (default 32).")
  int concurrency;

  @Option(names = "--warmup", defaultValue = "5000", paramLabel = "N",
      description = "Receipts issued first and not timed, so the JIT has compiled the path (default 5000).")
  int warmup;

  @Option(names = "--ceiling-seconds", defaultValue = "3", paramLabel = "S",
      description = "Time for each ceiling measured before the run (default 3).")
  int ceilingSeconds;

  @Option(names = "--no-ceilings", description = "Skip measuring the ceilings (no ratios).")
  boolean noCeilings;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the scratch device goes (default: a "
      + "temporary directory, removed afterwards). Put it on the disk you want to measure.")
  Path workDir;

  @Override
  int run() throws Exception {
    if (receipts < 1 || concurrency < 1 || warmup < 0 || ceilingSeconds < 1) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT,
          "--receipts, --concurrency and --ceiling-seconds must be at least 1, --warmup at least 0");
    }
    try (BenchScratch scratch = BenchScratch.of(workDir, "fiscald-bench-core-")) {
      CoreBench.Result r = CoreBench.run(scratch.dir(), new CoreBench.Settings(receipts, concurrency, warmup,
          Duration.ofSeconds(ceilingSeconds), !noCeilings));
      result(r, r.figures().toString());
    }
    return 0;
  }
}
