package io.fiscald.agent.audit;

import static io.fiscald.agent.audit.JournalFixture.raw;
import static io.fiscald.agent.audit.JournalFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit with signatures verified on several threads reports exactly what the one-thread audit
 * reports: the same counts on a sound journal, the same first seq and problem on a tampered one.
 */
class ParallelAuditTest {
  @TempDir Path tmp;
  JournalFixture f;

  @BeforeEach
  void setUp() {
    f = JournalFixture.create(tmp);
  }

  private AuditReport audit(int threads) {
    try (Connection c = Database.openReadOnly(f.db())) {
      return JournalAuditor.audit(c, threads);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aSoundJournalGivesTheSameReportOnOneOrFourThreads() {
    AuditReport one = audit(1);
    AuditReport four = audit(4);
    assertThat(one.ok()).isTrue();
    assertThat(four).isEqualTo(one);
  }

  @Test
  void aBadSignatureIsNamedAtTheSameSeqAsByTheSequentialAudit() throws Exception {
    try (Connection c = raw(f.db())) {
      // a valid-looking DER signature that is not the device's, on seq 6; seq 9's chain is cut too
      sql(c, "UPDATE journal SET signature = (SELECT signature FROM journal WHERE seq = 5) WHERE seq = 6");
      sql(c, "UPDATE journal SET prev_hash = zeroblob(32) WHERE seq = 9");
    }
    AuditReport one = audit(1);
    AuditReport four = audit(4);
    assertThat(one.ok()).isFalse();
    assertThat(one.finding().seq()).isEqualTo(6);
    assertThat(one.finding().problem()).contains("signature does not verify");
    assertThat(four).isEqualTo(one);
  }

  @Test
  void aBrokenLinkBeforeABadSignatureIsNamedFirst() throws Exception {
    try (Connection c = raw(f.db())) {
      sql(c, "UPDATE journal SET prev_hash = zeroblob(32) WHERE seq = 4");
      sql(c, "UPDATE journal SET signature = (SELECT signature FROM journal WHERE seq = 5) WHERE seq = 8");
    }
    AuditReport one = audit(1);
    AuditReport four = audit(2);
    assertThat(one.finding().seq()).isEqualTo(4);
    assertThat(four).isEqualTo(one);
  }
}
