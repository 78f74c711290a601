package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.bench.reliability.AuthorityFaults;
import io.fiscald.bench.reliability.Report;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench faults}: the authority sync through refusals, 500s, stalls, lost answers and duplicates. */
@Command(name = "faults", mixinStandardHelpOptions = true,
    description = {"Issue receipts on a ZIMRA and/or KRA device registered against the in-process simulators while",
        "a seeded schedule injects authority faults into the sync: connections refused, HTTP 500/503, stalls past",
        "the client timeout, answers dropped or held after the server committed, duplicates (ZIMRA network",
        "duplicate, KRA 994) and ZIMRA TLS handshakes against an unknown CA; then drain. Exit 1 unless the",
        "simulator holds every receipt once, with our content, in order (docs/RELIABILITY.md).",
        "", "Example:", "  fiscalctl bench faults --authority both --receipts 300"})
final class BenchFaultsCommand extends ReliabilityBench {
  @Option(names = "--authority", defaultValue = "both", paramLabel = "zimra|kra|both",
      description = "Which authority simulator to run against (default ${DEFAULT-VALUE}).")
  String authority;

  @Option(names = "--receipts", defaultValue = "300",
      description = "Receipts to issue per authority (default ${DEFAULT-VALUE}).")
  int receipts;

  @Option(names = "--seed", defaultValue = "20261124", description = "Fault schedule seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  Report harness(Path work) throws Exception {
    if (!authority.equals("zimra") && !authority.equals("kra") && !authority.equals("both")) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT,
          "--authority must be zimra, kra or both, not " + authority, Map.of("field", "authority"));
    }
    if (receipts < 1) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT,
          "--receipts must be at least 1", Map.of("field", "receipts"));
    }
    return AuthorityFaults.run(new AuthorityFaults.Settings(authority, receipts, seed, work), humanOut());
  }
}
