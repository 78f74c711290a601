package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.bench.drain.DrainBench;
import io.fiscald.bench.harness.ReportTable;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench drain}: how fast an offline backlog drains to the authority's simulator. */
@Command(name = "drain", mixinStandardHelpOptions = true,
    description = {"Build an offline backlog of --receipts receipts on a fresh device registered with the embedded",
        "simulator (ZIMRA FDMS over mutual TLS, or KRA eTIMS), then time the sync draining it in order.",
        "Prints the figures of docs/PERFORMANCE.md \"Backlog drain\".",
        "", "Examples:", "  fiscalctl bench drain --authority zimra", "  fiscalctl bench drain --authority kra "
        + "--receipts 2000 --json"})
final class BenchDrainCommand extends BaseCommand {
  @Option(names = "--authority", required = true, description = "zimra or kra.")
  DrainBench.Authority authority;

  @Option(names = "--receipts", defaultValue = "2000", description = "Size of the backlog; default 2000.")
  int receipts;

  @Override
  int run() {
    if (receipts < 1 || receipts > 1_000_000) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--receipts must be 1 to 1000000", Map.of());
    }
    Map<String, Object> report = DrainBench.run(authority, receipts);
    result(report, ReportTable.render("fiscalctl bench drain", report));
    return 0;
  }
}
