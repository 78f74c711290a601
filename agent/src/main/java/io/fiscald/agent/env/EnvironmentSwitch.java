package io.fiscald.agent.env;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.KraProfile;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.backup.BackupManager;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DataRoot;
import io.fiscald.agent.device.EnvironmentGuard;
import io.fiscald.store.Database;
import io.fiscald.store.DataDirLockedException;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Journal;
import io.fiscald.store.Outbox;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code env switch}: moves a data root's active environment, never as a flag flip. Every
 * precondition is checked and every failing one reported at once; on success the switch is journalled
 * in both chains and active-environment is replaced atomically. Nothing is ever deleted: switching
 * back to sandbox is the rollback.
 */
public final class EnvironmentSwitch {
  /** How recent the verified backup of the environment being left must be. */
  public static final Duration BACKUP_MAX_AGE = Duration.ofHours(1);

  private EnvironmentSwitch() {}

  /** One unmet precondition: a stable code, what is wrong and what to do. */
  public record Reason(String code, String message, String fix) {}

  /** A done switch: both chains' new entries and the warnings to print. */
  public record Outcome(String from, String to, String fromDeviceId, String toDeviceId, long fromSeq, long toSeq,
      List<String> warnings) {}

  /** Every unmet precondition of making {@code target} the active environment of {@code root}. */
  public static List<Reason> preconditions(DataRoot root, String target, FiscaldConfig config,
      Map<String, String> env, Instant now) {
    DataRoot.checkEnvironment(target);
    List<Reason> reasons = new ArrayList<>();
    Optional<String> active = root.isLayout() ? root.active() : Optional.empty();
    if (active.isEmpty()) {
      reasons.add(new Reason("NOT_A_DATA_ROOT", root.path() + " is not laid out by environment (no "
          + DataRoot.ACTIVE_FILE + ")", "create the environments with fiscalctl --env sandbox init / --env production"
          + " device register (docs/ENVIRONMENTS.md)"));
      return reasons;
    }
    if (active.get().equals(target)) {
      reasons.add(new Reason("ALREADY_ACTIVE", target + " is already the active environment", "nothing to do"));
      return reasons;
    }
    checkTarget(root.environment(target), target, config, env, now, reasons);
    checkLeaving(root.environment(active.get()), config, now, reasons);
    return reasons;
  }

  private static void checkTarget(DataDirectory dir, String target, FiscaldConfig config, Map<String, String> env,
      Instant now, List<Reason> reasons) {
    if (DataRoot.PRODUCTION.equals(target) && config.testMode()) {
      reasons.add(new Reason("TEST_MODE_ON", "test mode is on (" + config.source(
          io.fiscald.agent.config.ConfigKeys.TEST_MODE) + ")", "set test-mode = false in fiscald.conf (and unset "
          + "FISCALD_TEST_MODE)"));
    }
    if (!Files.isRegularFile(dir.database())) {
      reasons.add(new Reason("TARGET_NOT_REGISTERED", "no " + target + " device in " + dir.root(),
          "fiscalctl --env " + target + " device register ... (its own keys, certificate and credentials)"));
      return;
    }
    try (Connection c = Database.openReadOnly(dir.database())) {
      DeviceRecord device = Devices.find(c).orElse(null);
      if (device == null) {
        reasons.add(new Reason("TARGET_NOT_REGISTERED", "no device in " + dir.root(), "fiscalctl --env " + target
            + " device register ..."));
        return;
      }
      if (!target.equals(device.environment())) {
        reasons.add(new Reason("TARGET_WRONG_ENVIRONMENT", "device " + device.deviceId() + " in " + dir.root()
            + " belongs to " + device.environment() + ", not " + target, "register a " + target + " device there"));
      }
      if (ZimraProfile.NAME.equals(device.authority())) {
        Optional<X509Certificate> cert = ZimraDevice.certificate(c);
        if (cert.isEmpty()) {
          reasons.add(new Reason("TARGET_CREDENTIALS_MISSING", "the " + target + " ZIMRA device " + device.deviceId()
              + " has no FDMS certificate", "fiscalctl --env " + target + " device register --authority zimra ..."));
        } else if (cert.get().getNotAfter().toInstant().isBefore(now)
            || cert.get().getNotBefore().toInstant().isAfter(now)) {
          reasons.add(new Reason("CERTIFICATE_INVALID", "the FDMS certificate of " + device.deviceId()
              + " is not valid now (valid " + cert.get().getNotBefore().toInstant() + " to "
              + cert.get().getNotAfter().toInstant() + ")", "fiscalctl --env " + target + " zimra renew-cert"));
        }
      } else if (KraProfile.NAME.equals(device.authority())) {
        SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(env), env)));
        if (!secrets.exists(c, KraState.CMC_KEY)) {
          reasons.add(new Reason("TARGET_CREDENTIALS_MISSING", "the " + target + " KRA device " + device.deviceId()
              + " holds no cmcKey (not initialised with eTIMS)", "fiscalctl --env " + target
              + " device register --authority kra ..."));
        }
      } else if (DataRoot.PRODUCTION.equals(target)) {
        reasons.add(new Reason("TARGET_CREDENTIALS_MISSING", "device " + device.deviceId() + " uses the local profile:"
            + " it is registered with no tax authority", "register it with ZIMRA or KRA: fiscalctl --env production"
            + " device register ..."));
      }
      // the rollback to sandbox stays easy: its URLs are checked by the guard when its clients are built
      Map<String, String> urls = DataRoot.PRODUCTION.equals(target) ? AuthorityUrls.of(c, device) : Map.of();
      for (Map.Entry<String, String> u : urls.entrySet()) {
        String problem = EnvironmentGuard.problem(target, u.getValue(), false);
        if (problem != null) {
          reasons.add(new Reason("URL_NOT_ALLOWED", u.getKey() + ": " + problem, "register the " + target
              + " device against the authority's " + target + " HTTPS URL"));
        }
      }
    } catch (SQLException e) {
      reasons.add(new Reason("TARGET_UNREADABLE", "cannot read " + dir.database() + ": " + e.getMessage(),
          "fiscalctl --env " + target + " audit verify"));
    }
  }

  private static void checkLeaving(DataDirectory dir, FiscaldConfig config, Instant now, List<Reason> reasons) {
    if (!Files.isRegularFile(dir.database())) {
      return; // nothing was ever done there: nothing to lose
    }
    try (Connection c = Database.openReadOnly(dir.database())) {
      DeviceRecord device = Devices.find(c).orElse(null);
      if (device == null) {
        return;
      }
      long pending = Outbox.pendingCount(c);
      if (pending > 0) {
        reasons.add(new Reason("UNSYNCED_RECEIPTS", pending + " receipt(s) of " + device.environment() + " device "
            + device.deviceId() + " are not yet accepted by the authority", "fiscalctl sync (or let the daemon drain"
            + " the outbox), then switch"));
      }
      if (FiscalDays.latest(c).map(d -> d.isOpen()).orElse(false)) {
        reasons.add(new Reason("DAY_OPEN", "the fiscal day of " + device.deviceId() + " is open",
            "fiscalctl day close"));
      }
      long head = Journal.last(c).map(e -> e.seq()).orElse(0L);
      Path backups = config.backup(dir).dir();
      Optional<String> backup = backupProblem(backups, device.deviceId(), head, now);
      if (backup.isPresent()) {
        reasons.add(new Reason("NO_RECENT_BACKUP", backup.get(), "fiscalctl backup"
            + (backups.equals(dir.backups()) ? "" : " --output-dir " + backups) + ", then switch within the hour"));
      }
    } catch (SQLException e) {
      reasons.add(new Reason("LEAVING_UNREADABLE", "cannot read " + dir.database() + ": " + e.getMessage(),
          "fiscalctl audit verify"));
    }
  }

  /** Why there is no usable backup, or empty when a verified backup of the current head is under an hour old. */
  private static Optional<String> backupProblem(Path folder, String deviceId, long head, Instant now) {
    Path newest;
    try {
      newest = BackupManager.newest(folder, deviceId).orElse(null);
    } catch (IOException e) {
      return Optional.of("cannot list " + folder + ": " + e.getMessage());
    }
    if (newest == null) {
      return Optional.of("no backup of " + deviceId + " in " + folder);
    }
    if (BackupManager.takenAt(newest).isBefore(now.minus(BACKUP_MAX_AGE))) {
      return Optional.of("the newest backup of " + deviceId + " (" + newest.getFileName() + ") is older than an hour");
    }
    BackupManager.Check check = BackupManager.check(newest);
    if (!check.ok()) {
      return Optional.of("the newest backup " + newest.getFileName() + " does not verify: " + check.problem());
    }
    if (check.headSeq() != head) {
      return Optional.of("the newest backup " + newest.getFileName() + " ends at seq " + check.headSeq()
          + " but the journal is at seq " + head + ": take a new one");
    }
    return Optional.empty();
  }

  /**
   * Switches {@code root} to {@code target}. {@code leaving} is the daemon's open agent of the
   * active environment (API), or null to open it here (refused while a daemon holds it).
   */
  public static Outcome switchTo(DataRoot root, String target, FiscaldConfig config, Map<String, String> env,
      Clock clock, Agent leaving) {
    List<Reason> reasons = preconditions(root, target, config, env, clock.instant());
    if (!reasons.isEmpty()) {
      throw refused(target, reasons);
    }
    String from = root.active().orElseThrow();
    DataDirectory leavingDir = root.environment(from);
    Agent opened = null;
    try {
      if (leaving == null) {
        try {
          opened = Agent.open(leavingDir, env, clock);
        } catch (DataDirLockedException e) {
          throw refused(target, List.of(new Reason("DAEMON_RUNNING", "fiscald is running on the " + from
              + " environment (" + e.getMessage() + ")", "switch through the API (POST /v1/environment/switch) or"
              + " stop the daemon first")));
        }
        leaving = opened;
      }
      try (Agent arriving = openTarget(root.environment(target), target, env, clock)) {
        String at = Timestamps.format(clock.instant());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("from", from);
        event.put("to", target);
        event.put("fromDeviceId", leaving.device().deviceId());
        event.put("toDeviceId", arriving.device().deviceId());
        event.put("at", at);
        long fromSeq = leaving.core().recordEvent(JournalKind.ENVIRONMENT_SWITCHED, event).seq();
        long toSeq = arriving.core().recordEvent(JournalKind.ENVIRONMENT_SWITCHED, event).seq();
        root.writeActive(target);
        return new Outcome(from, target, leaving.device().deviceId(), arriving.device().deviceId(), fromSeq, toSeq,
            warnings(from, target));
      }
    } finally {
      if (opened != null) {
        opened.close();
      }
    }
  }

  private static Agent openTarget(DataDirectory dir, String target, Map<String, String> env, Clock clock) {
    try {
      return Agent.open(dir, env, clock);
    } catch (DataDirLockedException e) {
      throw refused(target, List.of(new Reason("DAEMON_RUNNING", "a process holds the " + target + " environment ("
          + e.getMessage() + ")", "stop it first")));
    }
  }

  /** What the technician must know after a switch. */
  static List<String> warnings(String from, String to) {
    List<String> w = new ArrayList<>();
    if (DataRoot.PRODUCTION.equals(to)) {
      w.add("PRODUCTION: every receipt issued from now on has legal effect and is reported to the tax authority;"
          + " there is no test receipt in production.");
      w.add("Restart fiscald (systemctl restart fiscald) so it serves the production device.");
      w.add("Rollback: fiscalctl env switch sandbox. It never deletes production data; the production journal, keys"
          + " and receipts stay in <data-root>/production.");
    } else {
      w.add("Back on " + to + ": receipts issued now are test receipts with no legal effect.");
      w.add("The " + from + " data is kept untouched in <data-root>/" + from + "; switch back with fiscalctl env"
          + " switch " + from + " once its preconditions hold.");
      w.add("Restart fiscald (systemctl restart fiscald) so it serves the " + to + " device.");
    }
    return w;
  }

  static FiscalException refused(String target, List<Reason> reasons) {
    StringBuilder b = new StringBuilder("cannot switch to " + target + ": ");
    for (int i = 0; i < reasons.size(); i++) {
      b.append(i == 0 ? "" : "; ").append(reasons.get(i).message()).append(" (fix: ").append(reasons.get(i).fix())
          .append(')');
    }
    List<Map<String, String>> list = new ArrayList<>();
    for (Reason r : reasons) {
      list.add(Map.of("code", r.code(), "message", r.message(), "fix", r.fix()));
    }
    return new FiscalException(ErrorCode.ENVIRONMENT_SWITCH_REFUSED, b.toString(), Map.of("target", target,
        "reasons", list));
  }
}
