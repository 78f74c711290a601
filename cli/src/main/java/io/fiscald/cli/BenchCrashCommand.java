package io.fiscald.cli;

import io.fiscald.bench.reliability.CrashHarness;
import io.fiscald.bench.reliability.Report;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench crash}: SIGKILL the daemon under concurrent API load, over and over. */
@Command(name = "crash", mixinStandardHelpOptions = true,
    description = {"Run `fiscalctl serve` as a child JVM under concurrent API load (Idempotency-Keys), SIGKILL it",
        "after a random number of receipts, and check after every kill: each acknowledged receipt present with",
        "its number and hash, the chain audits clean, PRAGMA integrity_check ok; an answered key replays the same.",
        "Exit 1 if any of that failed (docs/RELIABILITY.md).",
        "", "Example:", "  fiscalctl bench crash --cycles 200 --clients 8"})
final class BenchCrashCommand extends ReliabilityBench {
  @Option(names = "--cycles", defaultValue = "200", description = "Kill cycles (default ${DEFAULT-VALUE}).")
  int cycles;

  @Option(names = "--clients", defaultValue = "8", description = "Concurrent POS clients (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--max-acks", defaultValue = "40",
      description = "Most receipts acknowledged before a kill; each cycle picks 1..this (default ${DEFAULT-VALUE}).")
  int maxAcks;

  @Option(names = "--seed", defaultValue = "20261124", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  Report harness(Path work) throws Exception {
    return CrashHarness.run(new CrashHarness.Settings(cycles, clients, maxAcks, seed, launcher(), work), humanOut());
  }
}
