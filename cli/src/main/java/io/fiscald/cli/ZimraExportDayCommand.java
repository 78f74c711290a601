package io.fiscald.cli;

import io.fiscald.agent.authority.zimra.ZimraDayFile;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.authority.zimra.ZimraSettings;
import io.fiscald.agent.authority.zimra.ZimraState;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl zimra export-day}: write a closed day's offline file(s) for manual upload (SPEC §9 item 21). */
@Command(name = "export-day", mixinStandardHelpOptions = true,
    description = {"Write the offline day file(s) of a closed fiscal day (Base64 text, exactly what submitFile "
        + "sends, split at the offlineFileMaxBytes setting, footer in the last) for manual upload to the FDMS "
        + "self-service portal. Read-only; safe while fiscald runs.",
        "", "Example:", "  fiscalctl zimra export-day --day 12 --out /media/usb --json"})
final class ZimraExportDayCommand extends BaseCommand {
  @Option(names = "--day", required = true, paramLabel = "N", description = "The closed fiscal day number.")
  long day;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the files to.")
  Path out;

  @Override
  int run() throws Exception {
    DataDirectory dir = dataDirectory();
    if (!Files.exists(dir.database())) {
      throw new FiscalException(ErrorCode.DEVICE_NOT_INITIALISED, "no device in " + dir.root());
    }
    List<Map<String, Object>> written = new ArrayList<>();
    try (Connection c = Database.openReadOnly(dir.database())) {
      DeviceRecord device = Devices.find(c).orElseThrow(() -> new FiscalException(ErrorCode.DEVICE_NOT_INITIALISED,
          "the database in " + dir.root() + " holds no device"));
      if (!ZimraProfile.NAME.equals(device.authority())) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "device " + device.deviceId() + " uses the '"
            + device.authority() + "' profile; day files are for ZIMRA devices", Map.of("field", "authority"));
      }
      ZimraSettings settings = ZimraState.requireSettings(c);
      long deviceId = ZimraProfile.deviceIdOf(device);
      List<ZimraDayFile.Part> parts = ZimraDayFile.build(c, settings, deviceId, day,
          settings.offlineFileMaxBytes());
      try {
        Files.createDirectories(out);
        for (ZimraDayFile.Part p : parts) {
          Path file = out.resolve(String.format("fdms-%d-day%d-%d.txt", deviceId, day, p.fileSequence()));
          Files.writeString(file, p.base64(), StandardCharsets.US_ASCII);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("file", file.toString());
          m.put("fileSequence", p.fileSequence());
          m.put("receipts", p.receipts());
          m.put("footer", p.footer());
          m.put("bytes", p.bytes());
          m.put("sha256", p.sha256());
          written.add(m);
        }
      } catch (IOException e) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "cannot write to " + out + ": " + e.getMessage(),
            Map.of("field", "out"));
      }
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("day", day);
    view.put("files", written);
    StringBuilder text = new StringBuilder("Fiscal day " + day + ": " + written.size() + " file(s); upload them in "
        + "this order:\n");
    written.forEach(m -> text.append("  ").append(m.get("file")).append(" (").append(m.get("receipts"))
        .append(" receipts").append(Boolean.TRUE.equals(m.get("footer")) ? ", footer" : "").append(")\n"));
    result(view, text.toString());
    return 0;
  }
}
