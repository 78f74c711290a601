package io.fiscald.bench.reliability;

import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The after-the-fact checks every harness shares: each acknowledged receipt is in the database with the
 * number and chain hash it was answered with, the journal audits clean, and SQLite's integrity_check is ok.
 */
public final class JournalCheck {
  private JournalCheck() {}

  /** Counts what it finds into {@code report} (lost, hashMismatches, chainBreaks, integrityFailures). */
  public static void verify(Path database, Map<String, String> acknowledged, Report report, String when) {
    try (Connection c = Database.openReadOnly(database)) {
      long lost = 0;
      long mismatched = 0;
      for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
        Optional<ReceiptRecord> row = Receipts.findByNumber(c, ack.getKey());
        if (row.isEmpty()) {
          lost++;
          report.violation(when + ": acknowledged receipt " + ack.getKey() + " is not in the database");
          continue;
        }
        Optional<JournalEntry> entry = Journal.get(c, row.get().journalSeq());
        String hash = entry.map(e -> HexFormat.of().formatHex(e.hash())).orElse("");
        if (!hash.equals(ack.getValue())) {
          mismatched++;
          report.violation(when + ": receipt " + ack.getKey() + " has hash " + hash + ", was answered with "
              + ack.getValue());
        }
      }
      report.add("acknowledgedLost", lost);
      report.add("hashMismatches", mismatched);
      AuditReport audit = JournalAuditor.audit(c);
      if (!audit.ok()) {
        report.add("chainBreaks", 1);
        report.violation(when + ": audit failed: " + audit.finding());
      } else {
        report.add("chainBreaks", 0);
      }
      String integrity = Database.integrityCheck(c);
      if (!"ok".equals(integrity)) {
        report.add("integrityFailures", 1);
        report.violation(when + ": integrity_check: " + integrity);
      } else {
        report.add("integrityFailures", 0);
      }
    } catch (Exception e) {
      report.add("integrityFailures", 1);
      report.violation(when + ": cannot open the database: " + e);
    }
  }
}
