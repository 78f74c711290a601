package io.fiscald.cli;

import io.fiscald.bench.reliability.BadInputHarness;
import io.fiscald.bench.reliability.Report;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench bad-input}: thousands of malformed and hostile API requests against the daemon. */
@Command(name = "bad-input", mixinStandardHelpOptions = true,
    description = {"Send generated malformed and hostile requests (wrong types, huge numbers, deep nesting, huge",
        "bodies, bad UTF-8, duplicate keys, header abuse, bad tokens and Idempotency-Keys, wrong methods and paths)",
        "to a `fiscalctl serve` child, reproducibly from --seed. Exit 1 on any 5xx, a crash, or a refused request",
        "that changed the device's state (docs/RELIABILITY.md).",
        "", "Example:", "  fiscalctl bench bad-input --requests 10000 --seed 7"})
final class BenchBadInputCommand extends ReliabilityBench {
  @Option(names = "--requests", defaultValue = "10000", description = "Requests to send (default ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--seed", defaultValue = "20261124", description = "Generator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  Report harness(Path work) throws Exception {
    return BadInputHarness.run(new BadInputHarness.Settings(requests, seed, launcher(), work), humanOut());
  }
}
