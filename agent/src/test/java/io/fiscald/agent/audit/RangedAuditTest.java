package io.fiscald.agent.audit;

import static io.fiscald.agent.audit.JournalFixture.raw;
import static io.fiscald.agent.audit.JournalFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit cut into ranges (one entry per range on this small journal, so every link between ranges
 * is exercised) reports exactly what the one-entry-at-a-time audit reports, whichever entry or table
 * is damaged: the ranged audit hands over to the sequential one at the range that does not pass.
 */
class RangedAuditTest {
  @TempDir Path tmp;

  private static final List<String> TAMPERINGS = List.of(
      "",
      "UPDATE journal SET signature = (SELECT signature FROM journal WHERE seq = 5) WHERE seq = 6",
      "UPDATE journal SET prev_hash = zeroblob(32) WHERE seq = 9",
      "UPDATE receipts SET body = body || ' ' WHERE journal_seq = 4",
      "UPDATE receipts SET total_minor = total_minor + 1 WHERE journal_seq = 11",
      "DELETE FROM receipts WHERE journal_seq = 12",
      "UPDATE receipts SET journal_seq = 2 WHERE journal_seq = 3",
      "UPDATE fiscal_days SET opened_at = '2020-01-01T00:00:00Z' WHERE day_no = 2",
      "UPDATE fiscal_days SET z_report = z_report || ' ' WHERE day_no = 1",
      "UPDATE counters SET value = value + 1 WHERE name = 'receipt.global'",
      "DELETE FROM journal WHERE seq = 12",
      "DELETE FROM journal WHERE seq = 7");

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
  void everyTamperingIsReportedAsBySequentialAudit(int which) throws Exception {
    JournalFixture f = JournalFixture.create(tmp);
    if (!TAMPERINGS.get(which).isEmpty()) {
      try (Connection c = raw(f.db())) {
        sql(c, "PRAGMA foreign_keys = OFF");
        sql(c, TAMPERINGS.get(which));
      }
    }
    AuditReport sequential = audit(f, 0);
    assertThat(sequential.ok()).isEqualTo(which == 0);
    assertThat(audit(f, 1)).isEqualTo(sequential);
    assertThat(audit(f, 2)).isEqualTo(sequential);
    assertThat(audit(f, 3)).isEqualTo(sequential);
  }

  /** threads 0: the sequential reference. */
  private static AuditReport audit(JournalFixture f, int threads) {
    try (Connection c = Database.openReadOnly(f.db())) {
      return threads == 0 ? JournalAuditor.auditSequentially(c) : JournalAuditor.audit(c, threads);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
