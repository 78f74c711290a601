package io.fiscald.cli;

import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.store.Database;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code fiscalctl audit verify}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check the journal and the state built on it.",
    subcommands = AuditCommand.Verify.class)
final class AuditCommand {

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Re-derive every hash and signature of the journal and cross-check receipts, counters and day",
          "totals against it. Exits 1 naming the first journal seq that does not match.", "", "Example:",
          "  fiscalctl audit verify"})
  static final class Verify extends BaseCommand {
    @Override
    int run() throws Exception {
      try (Connection c = Database.openReadOnly(initialisedDataDirectory().database())) {
        String integrity = Database.integrityCheck(c);
        AuditReport report = JournalAuditor.audit(c);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("ok", report.ok() && "ok".equals(integrity));
        view.put("entries", report.entriesChecked());
        view.put("receipts", report.receiptsChecked());
        view.put("headSeq", report.headSeq());
        view.put("integrityCheck", integrity);
        if (!"ok".equals(integrity)) {
          throw new FiscalException(ErrorCode.AUDIT_FAILED, "SQLite integrity_check failed: " + integrity, view);
        }
        if (!report.ok()) {
          view.put("seq", report.finding().seq());
          view.put("problem", report.finding().problem());
          throw new FiscalException(ErrorCode.AUDIT_FAILED, "audit failed at journal seq " + report.finding().seq()
              + ": " + report.finding().problem(), view);
        }
        result(view, "Audit passed: " + report.entriesChecked() + " journal entries and " + report.receiptsChecked()
            + " receipts verified (hash chain, signatures, receipts, counters, day totals); integrity_check ok.");
      }
      return 0;
    }
  }
}
