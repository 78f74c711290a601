package io.fiscald.cli;

import io.fiscald.bench.reliability.PrinterFaultsHarness;
import io.fiscald.bench.reliability.Report;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench printer-faults}: the print queue through paper out, offline, unplug and replug. */
@Command(name = "printer-faults", mixinStandardHelpOptions = true,
    description = {"Issue receipts through the print worker to the printer emulator on a socat pty while a seeded",
        "schedule injects paper out (also mid-job), offline, cover open, cable unplug/replug and line garbage, and",
        "asks for reprints. Exit 1 unless the journal audits clean and the emulator's paper shows every receipt",
        "once as an original plus exactly the copies asked for, marked as copies (docs/RELIABILITY.md).",
        "", "Example:", "  fiscalctl bench printer-faults --receipts 200"})
final class BenchPrinterFaultsCommand extends ReliabilityBench {
  @Option(names = "--receipts", defaultValue = "200", description = "Receipts to issue (default ${DEFAULT-VALUE}).")
  int receipts;

  @Option(names = "--seed", defaultValue = "20261124", description = "Fault schedule seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  Report harness(Path work) throws Exception {
    return PrinterFaultsHarness.run(new PrinterFaultsHarness.Settings(receipts, seed, work), humanOut());
  }
}
