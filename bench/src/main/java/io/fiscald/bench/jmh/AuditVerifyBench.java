package io.fiscald.bench.jmh;

import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.bench.audit.AuditBench;
import io.fiscald.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full audit of a journal of {@code entries} entries (built once and cached like
 * {@code fiscalctl bench audit} does); divide entries by the time for entries/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class AuditVerifyBench {
  @Param({"20000"})
  public long entries;

  @Param({"0", "1"})
  public int threads;

  private Path file;

  @Setup
  public void setUp() throws Exception {
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "fiscald-bench-audit");
    file = AuditBench.journal(cache, entries);
  }

  @Benchmark
  public AuditReport audit() throws Exception {
    try (Connection c = Database.openReadOnly(file)) {
      AuditReport report = JournalAuditor.audit(c, threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
      if (!report.ok()) {
        throw new IllegalStateException("audit failed: " + report.finding());
      }
      return report;
    }
  }
}
