package io.fiscald.cli;

import io.fiscald.agent.backup.BackupManager;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl backup}. */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Take a verified online backup of the database and prune old ones.",
        "The copy is consistent, checked (integrity check and full audit) before it counts, and only the newest",
        "N are kept. Safe while receipts are being issued.", "", "Example:",
        "  fiscalctl backup --output-dir /var/backups/fiscald --retain 14"})
final class BackupCommand extends BaseCommand {
  @Option(names = "--output-dir", paramLabel = "DIR",
      description = "Where to put backups (default: <data-dir>/backups).")
  Path outputDir;

  @Option(names = "--retain", defaultValue = "0", paramLabel = "N",
      description = "Keep only the newest N backups of this device in DIR (default 0: keep all).")
  int retain;

  @Override
  int run() {
    if (retain < 0) {
      throw new io.fiscald.agent.core.FiscalException(io.fiscald.agent.core.ErrorCode.INVALID_ARGUMENT,
          "--retain must be 0 (keep all) or more");
    }
    Path dir = outputDir != null ? outputDir : initialisedDataDirectory().backups();
    BackupManager.Backup b = BackupManager.create(initialisedDataDirectory(), dir, retain, Clock.systemUTC());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("file", b.file().toString());
    view.put("deviceId", b.deviceId());
    view.put("headSeq", b.headSeq());
    view.put("bytes", b.bytes());
    view.put("verified", true);
    view.put("pruned", b.pruned().stream().map(Path::toString).toList());
    result(view, "Backup written and verified: " + b.file() + " (journal up to seq " + b.headSeq() + ", "
        + b.bytes() + " bytes)" + (b.pruned().isEmpty() ? "" : "; removed " + b.pruned().size() + " older backups"));
    return 0;
  }
}
