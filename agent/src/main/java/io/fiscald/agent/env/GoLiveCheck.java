package io.fiscald.agent.env;

import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.authority.kra.KraClients;
import io.fiscald.agent.authority.kra.KraDates;
import io.fiscald.agent.authority.kra.KraProfile;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.authority.kra.client.EtimsEndpoint;
import io.fiscald.agent.authority.kra.client.EtimsResponse;
import io.fiscald.agent.authority.kra.client.HttpEtimsClient;
import io.fiscald.agent.authority.zimra.FdmsClient;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.backup.BackupManager;
import io.fiscald.agent.config.ConfigCheck;
import io.fiscald.agent.config.ConfigFinding;
import io.fiscald.agent.config.ConfigKeys;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DataRoot;
import io.fiscald.store.Database;
import io.fiscald.store.DataDirLockedException;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Outbox;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code fiscalctl golive-check}: the pre-production routine on the sandbox device, each step passed
 * or failed with its reason. All steps run even after a failure, so one run lists everything to fix.
 */
public final class GoLiveCheck {
  /** A certificate must stay valid at least this long after going live. */
  public static final Duration MIN_CERTIFICATE_LIFE = Duration.ofDays(30);

  private GoLiveCheck() {}

  /** One step of the routine. */
  public record Step(String name, boolean passed, String detail) {}

  /**
   * @param minReceipts receipts the authority must have accepted
   * @param skipClose leave an open day open (the step then fails) instead of closing it
   */
  public record Options(int minReceipts, boolean skipClose) {}

  /** Runs every step on the sandbox device in {@code dir}; {@code base} is the data directory or root. */
  public static List<Step> run(DataDirectory dir, Path base, FiscaldConfig config, Map<String, String> env,
      Options options, Clock clock) {
    List<Step> steps = new ArrayList<>();
    try (Agent agent = Agent.open(dir, env, clock)) {
      if (!DataRoot.SANDBOX.equals(agent.device().environment())) {
        steps.add(new Step("environment", false, "device " + agent.device().deviceId() + " is a "
            + agent.device().environment() + " device; the go-live check runs on the sandbox device"));
      } else {
        steps.add(new Step("environment", true, "sandbox device " + agent.device().deviceId() + " ("
            + agent.device().authority() + ")"));
      }
      steps.add(closeDay(agent, options.skipClose()));
      steps.add(receiptsAccepted(agent, options.minReceipts()));
      steps.add(credentials(agent, clock.instant()));
      steps.add(clock(agent, config.duration(ConfigKeys.ALERT_CLOCK), clock));
    } catch (DataDirLockedException e) {
      steps.add(new Step("device", false, "fiscald holds " + dir.root() + " (" + e.getMessage()
          + "); stop it (systemctl stop fiscald) and run the check again"));
    }
    steps.add(audit(dir));
    steps.add(productionConfig(config, base));
    steps.add(backupRestores(dir, config, clock));
    return steps;
  }

  private static Step closeDay(Agent agent, boolean skipClose) {
    try (Connection c = agent.newStateConnection()) {
      Optional<FiscalDayRecord> day = FiscalDays.latest(c);
      if (day.isEmpty() || !day.get().isOpen()) {
        return new Step("day-closed", true, day.map(d -> "day " + d.dayNo() + " closed at " + d.closedAt())
            .orElse("no fiscal day was opened"));
      }
      if (skipClose) {
        return new Step("day-closed", false, "day " + day.get().dayNo() + " is open (--skip-close); close it with"
            + " fiscalctl day close");
      }
      DayReport z = agent.core().closeDay();
      return new Step("day-closed", true, "closed day " + z.dayNo() + " now (" + z.receiptCount()
          + " receipts in its Z report)");
    } catch (SQLException | RuntimeException e) {
      return new Step("day-closed", false, "cannot close the day: " + e.getMessage());
    }
  }

  private static Step receiptsAccepted(Agent agent, int min) {
    if (!ZimraProfile.NAME.equals(agent.device().authority()) && !KraProfile.NAME.equals(agent.device().authority())) {
      return new Step("receipts-accepted", false, "device uses the " + agent.device().authority()
          + " profile: nothing is submitted to an authority; register it with ZIMRA or KRA");
    }
    try (Connection c = agent.newStateConnection()) {
      long sent = Outbox.sentReceiptCount(c);
      long pending = Outbox.pendingCount(c);
      return new Step("receipts-accepted", sent >= min, sent + " receipt(s) accepted by the authority (at least "
          + min + " needed)" + (pending > 0 ? "; " + pending + " message(s) still waiting: fiscalctl sync" : ""));
    } catch (SQLException e) {
      return new Step("receipts-accepted", false, "cannot read the outbox: " + e.getMessage());
    }
  }

  private static Step credentials(Agent agent, Instant now) {
    try (Connection c = agent.newStateConnection()) {
      if (ZimraProfile.NAME.equals(agent.device().authority())) {
        Optional<X509Certificate> cert = ZimraDevice.certificate(c);
        if (cert.isEmpty()) {
          return new Step("certificate", false, "no FDMS certificate; register the device");
        }
        Instant until = cert.get().getNotAfter().toInstant();
        boolean ok = !until.isBefore(now.plus(MIN_CERTIFICATE_LIFE));
        return new Step("certificate", ok, "FDMS certificate valid until " + until + (ok ? "" : ", less than "
            + MIN_CERTIFICATE_LIFE.toDays() + " days from now: fiscalctl zimra renew-cert"));
      }
      if (KraProfile.NAME.equals(agent.device().authority())) {
        boolean ok = agent.secrets().exists(c, KraState.CMC_KEY);
        return new Step("device-initialised", ok, ok ? "KRA device initialised (SCU "
            + KraState.sdcId(c, agent.secrets()).orElse("?") + ", cmcKey sealed)"
            : "no cmcKey: the device was never initialised with eTIMS; fiscalctl device register --authority kra");
      }
      return new Step("certificate", false, "no authority: nothing to check");
    } catch (SQLException e) {
      return new Step("certificate", false, "cannot read the device state: " + e.getMessage());
    }
  }

  private static Step clock(Agent agent, Duration tolerance, Clock clock) {
    String authority = agent.device().authority();
    try (Connection c = agent.newStateConnection()) {
      Instant server;
      Instant local;
      if (ZimraProfile.NAME.equals(authority)) {
        try (FdmsClient client = ZimraDevice.client(c, agent.secrets(), agent.device(), agent.config().testMode(),
            clock)) {
          client.getStatus();
          local = clock.instant();
          server = client.lastServerDate().orElse(null);
        }
      } else if (KraProfile.NAME.equals(authority)) {
        try (HttpEtimsClient client = KraClients.create(KraState.requireConfig(c), c, agent.secrets(),
            agent.config().testMode(), clock)) {
          EtimsResponse r = client.call(EtimsEndpoint.CODE_LIST, Map.of("lastReqDt", KraDates.stamp(clock.instant())));
          local = clock.instant();
          server = KraDates.parse(r.resultDt()).map(t -> t.atZone(KraDates.NAIROBI).toInstant()).orElse(null);
        }
      } else {
        return new Step("clock", false, "no authority to compare the clock with");
      }
      if (server == null) {
        return new Step("clock", false, "the authority's answer carried no time");
      }
      // the server's time has whole seconds: allow one more second than the tolerance
      Duration drift = Duration.between(server, local);
      boolean ok = drift.abs().compareTo(tolerance.plusSeconds(1)) <= 0;
      return new Step("clock", ok, "till clock " + (drift.isNegative() ? "behind" : "ahead of") + " the authority"
          + " by " + drift.abs().toMillis() / 1000.0 + " s (tolerance " + tolerance.toSeconds() + " s, alert"
          + ".max-clock-drift)" + (ok ? "" : ": set the till's time (timedatectl set-ntp true)"));
    } catch (SQLException | RuntimeException e) {
      return new Step("clock", false, "could not ask the authority for its time: " + e.getMessage());
    }
  }

  private static Step audit(DataDirectory dir) {
    try (Connection c = Database.openReadOnly(dir.database())) {
      AuditReport r = JournalAuditor.audit(c);
      return new Step("audit", r.ok(), r.ok() ? r.entriesChecked() + " journal entries and " + r.receiptsChecked()
          + " receipts verified" : "the audit failed: " + r.finding());
    } catch (SQLException | RuntimeException e) {
      return new Step("audit", false, "cannot audit: " + e.getMessage());
    }
  }

  /** The production rules of config check; test mode is noted, not failed: the sandbox may need it, env switch refuses it. */
  private static Step productionConfig(FiscaldConfig config, Path base) {
    List<ConfigFinding> findings = new ArrayList<>(ConfigCheck.run(config, base, true));
    boolean testMode = findings.removeIf(f -> f.key().equals(ConfigKeys.TEST_MODE.name()));
    String note = testMode ? " (test mode is on: turn it off before env switch production, which refuses it)" : "";
    if (findings.isEmpty()) {
      return new Step("config-production", true, "config check --production is clean" + note);
    }
    StringBuilder b = new StringBuilder(findings.size() + " finding(s): ");
    for (int i = 0; i < findings.size(); i++) {
      b.append(i == 0 ? "" : "; ").append(findings.get(i));
    }
    return new Step("config-production", false, b + note);
  }

  private static Step backupRestores(DataDirectory dir, FiscaldConfig config, Clock clock) {
    Path folder = config.backup(dir).dir();
    Path temp = null;
    try {
      Optional<Path> newest = newestBackup(folder);
      String origin;
      Path backup;
      if (newest.isPresent()) {
        backup = newest.get();
        origin = "newest backup " + backup.getFileName();
      } else {
        backup = BackupManager.create(dir, folder, 0, clock).file();
        origin = "no backup in " + folder + ", so one was taken: " + backup.getFileName();
      }
      temp = Files.createTempDirectory("fiscald-golive-restore-");
      DataDirectory scratch = new DataDirectory(temp);
      BackupManager.restore(scratch, backup, false, clock);
      try (Connection c = Database.openReadOnly(scratch.database())) {
        AuditReport r = JournalAuditor.audit(c);
        return new Step("backup-restores", r.ok(), origin + (r.ok() ? "; restored into a scratch directory and "
            + "audited (" + r.entriesChecked() + " entries)" : "; restored but its audit failed: " + r.finding()));
      }
    } catch (IOException | SQLException | RuntimeException e) {
      return new Step("backup-restores", false, "backup/restore failed: " + e.getMessage());
    } finally {
      if (temp != null) {
        deleteTree(temp);
      }
    }
  }

  private static Optional<Path> newestBackup(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "fiscald-*.db")) {
      files.forEach(found::add);
    }
    return found.stream().max(Comparator.comparing(p -> {
      try {
        return Files.getLastModifiedTime(p).toInstant();
      } catch (IOException e) {
        return Instant.EPOCH;
      }
    }));
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a scratch directory left in /tmp is harmless
        }
      });
    } catch (IOException e) {
      // as above
    }
  }
}
