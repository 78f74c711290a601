package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Journal;
import io.fiscald.store.Migrations;
import io.fiscald.store.Outbox;
import io.fiscald.store.PrintJobs;
import io.fiscald.store.Receipts;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code fiscalctl status}: one screen about the device, read without disturbing a running writer. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the device, its fiscal day, journal and queues. Read-only; safe while fiscald runs.",
        "", "Example:", "  fiscalctl status --json"})
final class StatusCommand extends BaseCommand {
  @Override
  int run() throws Exception {
    DataDirectory dir = dataDirectory();
    if (!Files.exists(dir.database())) {
      throw new FiscalException(ErrorCode.DEVICE_NOT_INITIALISED, "no device in " + dir.root()
          + "; create one with: fiscalctl init --data-dir " + dir.root());
    }
    Map<String, Object> status = new LinkedHashMap<>();
    try (Connection c = Database.openReadOnly(dir.database())) {
      DeviceRecord device = Devices.find(c).orElseThrow(() -> new FiscalException(ErrorCode.DEVICE_NOT_INITIALISED,
          "the database in " + dir.root() + " holds no device"));
      status.put("deviceId", device.deviceId());
      status.put("authority", device.authority());
      status.put("environment", device.environment());
      status.put("keyAlgorithm", device.keyAlgorithm());
      status.put("publicKeyFingerprint", PublicKeys.fingerprint(PublicKeys.fromDer(device.publicKey())));
      status.put("dataDir", dir.root().toString());
      status.put("schemaVersion", Migrations.currentVersion(c));
      status.put("journalHeadSeq", Journal.last(c).map(e -> e.seq()).orElse(0L));
      status.put("receipts", Receipts.count(c));
      FiscalDayRecord day = FiscalDays.latest(c).orElse(null);
      Map<String, Object> dayView = new LinkedHashMap<>();
      if (day != null) {
        dayView.put("dayNo", day.dayNo());
        dayView.put("status", day.status());
        dayView.put("openedAt", day.openedAt());
        dayView.put("closedAt", day.closedAt());
        dayView.put("receipts", Receipts.byDayMaxCounter(c, day.dayNo()));
      } else {
        dayView.put("status", "NONE");
      }
      status.put("day", dayView);
      status.put("outboxPending", Outbox.pendingCount(c));
      status.put("outboxOldestPending", Outbox.oldestPending(c).orElse(null));
      status.put("printJobsPending", PrintJobs.pendingCount(c));
      Map<String, Object> sync = io.fiscald.agent.sync.SyncState.view(c, device.authority());
      if (sync != null) {
        status.put("sync", sync); // ZIMRA / KRA: pending, offline since, last sync, last error
      }
    }
    StringBuilder text = new StringBuilder();
    status.forEach((k, v) -> text.append(String.format("%-22s %s%n", k, v)));
    result(status, text.toString());
    return 0;
  }
}
