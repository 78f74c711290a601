package io.fiscald.agent.api;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Outbox;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Watches the device against the configured thresholds and raises or clears alerts: authority
 * unreachable, sync success rate low, outbox near the offline limit, day close due, printer paper,
 * certificate expiry, clock drift, disk space, a failed or overdue backup. Each change becomes an {@code alert.raised} or
 * {@code alert.cleared} event. Alerts live in memory: after a restart the ones still true are raised again.
 */
public final class AlertMonitor {
  /** An alert that is currently raised. */
  public record Alert(String code, String severity, String message, String since) {}

  private final Agent agent;
  private volatile ApiConfig.AlertThresholds limits;
  private final ApiHooks hooks;
  private final Clock clock;
  private final BiConsumer<String, Map<String, Object>> publish;
  private final Deque<long[]> syncSamples = new ArrayDeque<>(); // {epochMillis, attempts, successes}
  private volatile Map<String, Alert> active = Map.of();

  AlertMonitor(Agent agent, ApiConfig.AlertThresholds limits, ApiHooks hooks, Clock clock,
      BiConsumer<String, Map<String, Object>> publish) {
    this.agent = agent;
    this.limits = limits;
    this.hooks = hooks;
    this.clock = clock;
    this.publish = publish;
  }

  /** Replaces the thresholds; the next evaluation uses them (raising or clearing what they change). */
  void thresholds(ApiConfig.AlertThresholds newLimits) {
    this.limits = newLimits;
  }

  public List<Alert> active() {
    return List.copyOf(active.values());
  }

  /** Re-evaluates every condition on {@code c} and publishes what changed. */
  synchronized void evaluate(Connection c) {
    ApiConfig.AlertThresholds limits = this.limits;
    Instant now = clock.instant();
    Map<String, String[]> found = new LinkedHashMap<>(); // code -> {severity, message}
    SyncStatus sync = hooks.syncStatus();
    if (sync.offlineSince() != null
        && Duration.between(sync.offlineSince(), now).compareTo(limits.authorityUnreachable()) > 0) {
      found.put("AUTHORITY_UNREACHABLE", new String[] {"critical", "the " + sync.authority()
          + " authority has been unreachable since " + Timestamps.format(sync.offlineSince())});
    }
    syncSamples.addLast(new long[] {now.toEpochMilli(), sync.attempts(), sync.successes()});
    while (syncSamples.size() > 1
        && now.toEpochMilli() - syncSamples.peekFirst()[0] > limits.syncRateWindow().toMillis()) {
      syncSamples.removeFirst();
    }
    long attempts = sync.attempts() - syncSamples.peekFirst()[1];
    long successes = sync.successes() - syncSamples.peekFirst()[2];
    if (attempts >= 5 && successes < limits.minSyncSuccessRate() * attempts) {
      found.put("SYNC_SUCCESS_RATE_LOW", new String[] {"warning", String.format(
          "only %d of %d submissions succeeded over the last %d minutes", successes, attempts,
          limits.syncRateWindow().toMinutes())});
    }
    if (sync.offlineLimit() != null) {
      Outbox.oldestPending(c).map(Instant::parse).ifPresent(oldest -> {
        Duration age = Duration.between(oldest, now);
        if (age.compareTo(sync.offlineLimit().multipliedBy(8).dividedBy(10)) > 0) {
          found.put("OUTBOX_NEAR_OFFLINE_LIMIT", new String[] {"critical", "the oldest unsent receipt is "
              + age.toHours() + " h old; the authority allows " + sync.offlineLimit().toHours() + " h offline"});
        }
      });
    }
    FiscalDayRecord day = FiscalDays.latest(c).orElse(null);
    if (day != null && day.isOpen()) {
      Instant due = Instant.parse(day.openedAt()).plus(Duration.ofHours(agent.settings().maxDayHours()));
      if (now.isAfter(due.minus(limits.dayCloseWarning()))) {
        found.put("DAY_CLOSE_DUE", new String[] {"warning", "fiscal day " + day.dayNo() + " must be closed by "
            + Timestamps.format(due)});
      }
    }
    PrinterState printer = hooks.printerState();
    if (printer.paperOut()) {
      found.put("PRINTER_PAPER_OUT", new String[] {"critical", "the printer is out of paper"});
    } else if (printer.paperNearEnd()) {
      found.put("PRINTER_PAPER_NEAR_END", new String[] {"warning", "the printer's paper is near its end"});
    }
    if (sync.certificateExpiresAt() != null
        && Duration.between(now, sync.certificateExpiresAt()).compareTo(limits.certificateExpiryWarning()) < 0) {
      found.put("CERTIFICATE_EXPIRING", new String[] {"warning", "the device certificate expires at "
          + Timestamps.format(sync.certificateExpiresAt())});
    }
    if (sync.clockDrift() != null && sync.clockDrift().abs().compareTo(limits.maxClockDrift()) > 0) {
      found.put("CLOCK_DRIFT", new String[] {"warning", "the device clock is " + sync.clockDrift().toSeconds()
          + " s off the authority's"});
    }
    io.fiscald.agent.backup.BackupStatus backup = hooks.backupStatus();
    if (backup.scheduled() && backup.lastError() != null) {
      found.put("BACKUP_FAILED", new String[] {"critical", "the last scheduled backup failed: " + backup.lastError()});
    }
    if (backup.overdue(now)) {
      found.put("BACKUP_OVERDUE", new String[] {"warning", "no verified backup since " + (backup.lastSuccessAt() == null
          ? "fiscald started (" + Timestamps.format(backup.since()) + ")" : Timestamps.format(backup.lastSuccessAt()))
          + "; one is due every " + backup.interval().toMinutes() + " min"});
    }
    try {
      long free = Files.getFileStore(agent.dataDirectory().root()).getUsableSpace();
      if (free < limits.minFreeDiskBytes()) {
        found.put("DISK_SPACE_LOW", new String[] {"critical", "only " + free / (1024 * 1024)
            + " MB free for the data directory"});
      }
    } catch (IOException e) {
      found.put("DISK_SPACE_LOW", new String[] {"warning", "cannot read free disk space: " + e.getMessage()});
    }

    Map<String, Alert> before = active;
    Map<String, Alert> after = new LinkedHashMap<>();
    List<Runnable> events = new ArrayList<>();
    found.forEach((code, sm) -> {
      Alert old = before.get(code);
      Alert now2 = old != null ? old : new Alert(code, sm[0], sm[1], Timestamps.format(now));
      after.put(code, now2);
      if (old == null) {
        events.add(() -> publish.accept("alert.raised", view(now2)));
      }
    });
    before.forEach((code, old) -> {
      if (!after.containsKey(code)) {
        events.add(() -> publish.accept("alert.cleared", view(old)));
      }
    });
    active = Map.copyOf(after);
    events.forEach(Runnable::run);
  }

  private static Map<String, Object> view(Alert a) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("code", a.code());
    v.put("severity", a.severity());
    v.put("message", a.message());
    v.put("since", a.since());
    return v;
  }
}
