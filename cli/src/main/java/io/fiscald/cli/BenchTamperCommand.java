package io.fiscald.cli;

import io.fiscald.bench.reliability.Report;
import io.fiscald.bench.reliability.TamperHarness;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench tamper}: every tamper case of the audit, plus random bit flips in the database file. */
@Command(name = "tamper", mixinStandardHelpOptions = true,
    description = {"Tamper with copies of a real journal (edited, deleted, inserted, swapped, re-signed entries;",
        "receipts, Z reports, counters and the device key changed behind the journal's back; a damaged page) and",
        "flip single bits at random offsets of the database file. Each must be detected by the audit, by",
        "integrity_check, or refused on open; flips that change nothing SQLite reads are counted apart.",
        "Exit 1 if a change went unnoticed (docs/RELIABILITY.md).",
        "", "Example:", "  fiscalctl bench tamper --bit-flips 1000"})
final class BenchTamperCommand extends ReliabilityBench {
  @Option(names = "--bit-flips", defaultValue = "1000", description = "Random bit flips (default ${DEFAULT-VALUE}).")
  int bitFlips;

  @Option(names = "--seed", defaultValue = "20261124", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  Report harness(Path work) throws Exception {
    return TamperHarness.run(new TamperHarness.Settings(bitFlips, seed, work), humanOut());
  }
}
