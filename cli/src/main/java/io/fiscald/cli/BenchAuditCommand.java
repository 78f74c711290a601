package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.bench.audit.AuditBench;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench audit}: journal entries per second of the integrity audit. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Time the integrity audit (hash chain, signatures, receipts, counters, day totals) over a",
        "journal of N entries. The journal is built once through the fiscal core of a scratch device and kept",
        "per N in the cache directory, so later runs time only the audit.", "", "Examples:",
        "  fiscalctl bench audit --entries 1000000",
        "  fiscalctl bench audit --entries 100000 --threads 1"})
final class BenchAuditCommand extends BaseCommand {
  @Option(names = "--entries", defaultValue = "100000", paramLabel = "N",
      description = "Journal entries to audit (default 100000).")
  long entries;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "T",
      description = "Signature verifier threads (default 0: one per core; 1: the whole audit on one thread).")
  int threads;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Where built journals are kept (default: fiscald-bench-audit in the temporary directory).")
  Path cacheDir;

  @Override
  int run() throws Exception {
    if (entries < 3 || threads < 0) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--entries must be at least 3, --threads at least 0");
    }
    Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("java.io.tmpdir"), "fiscald-bench-audit");
    AuditBench.Result r = AuditBench.run(cache, entries, threads);
    result(r, r.figures().toString());
    return r.auditPassed() ? 0 : 1;
  }
}
