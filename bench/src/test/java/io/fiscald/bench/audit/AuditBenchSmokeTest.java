package io.fiscald.bench.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of the audit harness: it builds a real journal once, caches it, and audits it. */
class AuditBenchSmokeTest {
  @TempDir Path tmp;

  @Test
  void buildsOnceThenAuditsTheCachedJournal() throws Exception {
    AuditBench.Result first = AuditBench.run(tmp, 150, 0);
    assertThat(first.auditPassed()).isTrue();
    assertThat(first.entries()).isEqualTo(150);
    assertThat(first.entriesPerSecond()).isPositive();
    assertThat(first.buildSeconds()).as("built on the first run").isPositive();
    assertThat(Files.exists(tmp.resolve("journal-150").resolve("complete"))).isTrue();

    AuditBench.Result again = AuditBench.run(tmp, 150, 1);
    assertThat(again.buildSeconds()).as("cached on the second run").isZero();
    assertThat(again.threads()).isEqualTo(1);
    assertThat(again.auditPassed()).isTrue();
    assertThat(again.figures().toString()).contains("(cached)");
  }
}
