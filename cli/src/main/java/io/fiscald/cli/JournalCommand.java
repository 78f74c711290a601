package io.fiscald.cli;

import io.fiscald.agent.audit.JournalExport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fiscalctl journal export|verify}. */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Export the signed journal for an auditor, and verify such an export.",
    subcommands = {JournalCommand.Export.class, JournalCommand.Verify.class})
final class JournalCommand {

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Write the whole journal and the device's public key to a JSON Lines file.", "", "Example:",
          "  fiscalctl journal export --out journal-2026-11.jsonl"})
  static final class Export extends BaseCommand {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the export.")
    Path out;

    @Override
    int run() throws Exception {
      try (Connection c = Database.openReadOnly(initialisedDataDirectory().database())) {
        long n = JournalExport.write(c, out, Instant.now().toString());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("file", out.toAbsolutePath().toString());
        view.put("entries", n);
        view.put("bytes", Files.size(out));
        result(view, "Exported " + n + " journal entries to " + out.toAbsolutePath());
      }
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Check an exported journal with no database: every hash, link and signature, against the",
          "public key in the export. This is the auditor's tool.", "", "Example:",
          "  fiscalctl journal verify journal-2026-11.jsonl"})
  static final class Verify extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "A file written by fiscalctl journal export.")
    Path file;

    @Override
    int run() {
      if (!Files.isRegularFile(file)) {
        throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "no such file: " + file);
      }
      JournalExport.Verification v = JournalExport.verify(file);
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("ok", v.ok());
      view.put("deviceId", v.deviceId());
      view.put("publicKeyFingerprint", v.publicKeyFingerprint());
      view.put("entries", v.entries());
      view.put("headHash", v.headHash());
      if (!v.ok()) {
        view.put("seq", v.finding().seq());
        view.put("problem", v.finding().problem());
        throw new FiscalException(ErrorCode.AUDIT_FAILED, "export does not verify at journal seq "
            + v.finding().seq() + ": " + v.finding().problem(), view);
      }
      result(view, "Export verified: " + v.entries() + " entries of device " + v.deviceId()
          + ", chain intact, every signature valid (key " + v.publicKeyFingerprint() + ").");
      return 0;
    }
  }
}
