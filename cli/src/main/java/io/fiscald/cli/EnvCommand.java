package io.fiscald.cli;

import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DataRoot;
import io.fiscald.agent.env.EnvironmentSwitch;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Journal;
import io.fiscald.store.Outbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fiscalctl env}: the sandbox and production environments of a data root (docs/ENVIRONMENTS.md). */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = {"The environments of a data root: <data-dir>/sandbox and <data-dir>/production, each a full device",
        "directory, and <data-dir>/active-environment naming the one in use."},
    subcommands = {EnvCommand.Status.class, EnvCommand.Switch.class})
final class EnvCommand {
  /** {@code env status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Both environments: which is active, their devices, unsynced receipts, day and journal head.", "",
          "Example:", "  fiscalctl env status --json"})
  static final class Status extends BaseCommand {
    @Override
    int run() throws Exception {
      Path base = DataDirectory.base(root().dataDir, env());
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("dataRoot", base.toString());
      StringBuilder text = new StringBuilder();
      List<Map<String, Object>> envs = new ArrayList<>();
      if (DataRoot.isSingleDevice(base)) {
        doc.put("layout", "single-device");
        Map<String, Object> one = describe(new DataDirectory(base), null);
        doc.put("active", one.get("environment"));
        one.put("active", true);
        envs.add(one);
        text.append(base).append(" holds a single device (no environments); its environment: ")
            .append(one.get("environment")).append('\n');
      } else {
        DataRoot root = new DataRoot(base);
        String active = root.active().orElse(null);
        doc.put("layout", "environments");
        doc.put("active", active);
        text.append("data root ").append(base).append(", active environment: ")
            .append(active == null ? "(none: no " + DataRoot.ACTIVE_FILE + ")" : active).append('\n');
        for (String e : DataRoot.ENVIRONMENTS) {
          Map<String, Object> d = describe(root.environment(e), e);
          d.put("active", e.equals(active));
          envs.add(d);
        }
      }
      for (Map<String, Object> d : envs) {
        text.append(Boolean.TRUE.equals(d.get("active")) ? "* " : "  ").append(d.get("environment")).append(": ");
        if (!Boolean.TRUE.equals(d.get("exists"))) {
          text.append("no device\n");
          continue;
        }
        text.append("device ").append(d.get("deviceId")).append(" (").append(d.get("authority")).append("), day ")
            .append(d.get("day")).append(", unsynced ").append(d.get("unsynced")).append(", journal head ")
            .append(d.get("journalHeadSeq")).append('\n');
      }
      doc.put("environments", envs);
      result(doc, text.toString());
      return 0;
    }

    private static Map<String, Object> describe(DataDirectory dir, String environment) throws Exception {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("environment", environment);
      d.put("dataDir", dir.root().toString());
      d.put("exists", Files.isRegularFile(dir.database()));
      if (!Files.isRegularFile(dir.database())) {
        return d;
      }
      try (Connection c = Database.openReadOnly(dir.database())) {
        DeviceRecord device = Devices.find(c).orElse(null);
        if (device == null) {
          d.put("exists", false);
          return d;
        }
        d.put("environment", environment == null ? device.environment() : environment);
        d.put("deviceEnvironment", device.environment());
        d.put("deviceId", device.deviceId());
        d.put("authority", device.authority());
        d.put("day", FiscalDays.latest(c).map(x -> x.isOpen() ? "open (" + x.dayNo() + ")" : "closed").orElse("none"));
        d.put("unsynced", Outbox.pendingCount(c));
        d.put("journalHeadSeq", Journal.last(c).map(e -> e.seq()).orElse(0L));
      }
      return d;
    }
  }

  /** {@code env switch}. */
  @Command(name = "switch", mixinStandardHelpOptions = true,
      description = {"Make sandbox or production the active environment, after checking every precondition:",
          "the target device registered with its own credentials (ZIMRA certificate valid, KRA cmcKey), test mode",
          "off and HTTPS authority URLs (for production), no unsynced receipts and the fiscal day closed in the",
          "environment being left, and a verified backup of it taken within the last hour. All failing reasons are",
          "listed at once. The switch is journalled in both chains. Refused while fiscald runs (use its API:",
          "POST /v1/environment/switch). Switching back to sandbox is the rollback; it deletes nothing.", "",
          "Examples:", "  fiscalctl env switch production", "  fiscalctl env switch sandbox"})
  static final class Switch extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ENV", description = "production or sandbox.")
    String target;

    @Override
    int run() {
      DataRoot root = new DataRoot(DataDirectory.base(root().dataDir, env()));
      EnvironmentSwitch.Outcome o = EnvironmentSwitch.switchTo(root, DataRoot.checkEnvironment(target), config(),
          env(), Clock.systemUTC(), null);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("from", o.from());
      doc.put("to", o.to());
      doc.put("fromDeviceId", o.fromDeviceId());
      doc.put("toDeviceId", o.toDeviceId());
      doc.put("fromJournalSeq", o.fromSeq());
      doc.put("toJournalSeq", o.toSeq());
      doc.put("warnings", o.warnings());
      StringBuilder text = new StringBuilder("Switched " + root.path() + " from " + o.from() + " (device "
          + o.fromDeviceId() + ") to " + o.to() + " (device " + o.toDeviceId() + "); journalled in both chains.\n");
      for (String w : o.warnings()) {
        text.append("WARNING: ").append(w).append('\n');
      }
      result(doc, text.toString());
      return 0;
    }
  }
}
