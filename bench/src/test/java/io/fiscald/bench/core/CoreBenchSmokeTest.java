package io.fiscald.bench.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.store.Database;
import io.fiscald.store.Receipts;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of the core harness: its numbers add up and the receipts it issued are really on disk. */
class CoreBenchSmokeTest {
  @TempDir Path tmp;

  @Test
  void issuesDurableReceiptsAndReportsSaneNumbers() throws Exception {
    CoreBench.Result r = CoreBench.run(tmp, new CoreBench.Settings(60, 8, 20, Duration.ofMillis(200), true));

    assertThat(r.receipts()).isEqualTo(60);
    assertThat(r.receiptsPerSecond()).isPositive();
    assertThat(r.seconds()).isPositive();
    assertThat(r.p50Millis()).isPositive().isLessThanOrEqualTo(r.p99Millis());
    assertThat(r.p99Millis()).isLessThanOrEqualTo(r.p999Millis());
    assertThat(r.p999Millis()).isLessThanOrEqualTo(r.maxMillis());
    assertThat(r.commits()).isBetween(1L, 60L);
    assertThat(r.receiptsPerCommit()).isEqualTo(60.0 / r.commits());
    assertThat(r.ratioToSigningCeiling()).isPositive();
    assertThat(r.ratioToDurableCommitCeiling()).isPositive();
    assertThat(r.writerCpuMicrosPerReceipt()).as("the writer thread is found and measured").isPositive()
        .isLessThanOrEqualTo(r.cpuMicrosPerReceipt());
    try (Connection c = Database.openReadOnly(tmp.resolve("data").resolve(Database.FILE_NAME))) {
      assertThat(Receipts.count(c)).as("warm-up and timed receipts are committed").isEqualTo(80);
      assertThat(JournalAuditor.audit(c).ok()).isTrue();
    }
  }

  @Test
  void concurrencyOneIsTheIdleAgentCase() throws Exception {
    CoreBench.Result r = CoreBench.run(tmp, new CoreBench.Settings(10, 1, 0, Duration.ofMillis(100), false));
    assertThat(r.commits()).as("one receipt per commit when nothing else waits").isEqualTo(10);
    assertThat(r.ceilings()).isNull();
    assertThat(r.ratioToSigningCeiling()).isNull();
    assertThat(r.figures().toString()).contains("receipts per commit");
  }
}
