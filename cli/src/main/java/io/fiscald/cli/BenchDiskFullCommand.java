package io.fiscald.cli;

import io.fiscald.bench.reliability.DiskFullHarness;
import io.fiscald.bench.reliability.Report;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench disk-full}: fill the disk under a running daemon, then give the space back. */
@Command(name = "disk-full", mixinStandardHelpOptions = true,
    description = {"Run `fiscalctl serve` with its data on a small tmpfs (root), fill the filesystem while it",
        "issues receipts, then free the space; without root, inject a write error with a file-size limit",
        "(prlimit) instead — the report says which. Exit 1 unless new receipts are refused with a clear storage",
        "code, nothing acknowledged is lost, and issuing resumes without a restart (docs/RELIABILITY.md).",
        "", "Example:", "  fiscalctl bench disk-full", "  fiscalctl bench disk-full --method rlimit"})
final class BenchDiskFullCommand extends ReliabilityBench {
  @Option(names = "--method", defaultValue = "auto",
      description = "auto (tmpfs when it can be mounted, else rlimit), tmpfs or rlimit (default ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--size-mib", defaultValue = "16", description = "Size of the tmpfs (default ${DEFAULT-VALUE}).")
  int sizeMiB;

  @Override
  Report harness(Path work) throws Exception {
    return DiskFullHarness.run(new DiskFullHarness.Settings(method, sizeMiB, launcher(), work), humanOut());
  }
}
