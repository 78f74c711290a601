package io.fiscald.cli;

import io.fiscald.agent.backup.BackupManager;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fiscalctl restore}. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore the device database from a verified backup.",
        "Checks the backup's integrity and its whole chain first. Refuses a backup of another device or one older than the current journal unless --force;",
        "the replaced database is always kept beside the restored one. fiscald must not be running.", "",
        "Example:", "  fiscalctl restore /var/backups/fiscald/fiscald-FD-1A2B-20261124T081500Z-seq1234.db"})
final class RestoreCommand extends BaseCommand {
  @Parameters(paramLabel = "FILE", description = "A backup written by fiscalctl backup.")
  Path file;

  @Option(names = "--force", description = "Restore even over a longer chain or another device's database.")
  boolean force;

  @Override
  int run() {
    BackupManager.Restore r = BackupManager.restore(dataDirectory(), file, force, Clock.systemUTC());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("restoredFrom", r.restoredFrom().toString());
    view.put("deviceId", r.deviceId());
    view.put("headSeq", r.headSeq());
    view.put("previousDatabase", r.previousDatabase() == null ? null : r.previousDatabase().toString());
    result(view, "Restored device " + r.deviceId() + " (journal up to seq " + r.headSeq() + ") from " + file
        + (r.previousDatabase() == null ? "" : "; the replaced database is kept at " + r.previousDatabase())
        + "\nIf receipts were issued after this backup, resynchronise counters with the authority before trading.");
    return 0;
  }
}
