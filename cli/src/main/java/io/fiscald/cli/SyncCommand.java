package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.zimra.FdmsClient;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.authority.zimra.ZimraState;
import io.fiscald.agent.authority.zimra.ZimraSync;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl sync}: send waiting receipts and day messages to the tax authority. */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Send the receipts waiting in the outbox to the tax authority, in order, with the day's open and "
        + "close messages; shows a progress bar while a backlog drains. Without --once it keeps running (and pings "
        + "FDMS) until stopped with Ctrl-C.",
        "", "Examples:", "  fiscalctl sync --once", "  fiscalctl sync --once --json"})
final class SyncCommand extends BaseCommand {
  @Option(names = "--once", description = "Drain what is waiting now, then stop.")
  boolean once;

  @Option(names = "--retry-rejected", description = "Lift a block after the refused receipt was dealt with.")
  boolean clearBlock;

  @Override
  int run() throws Exception {
    java.util.Optional<DaemonClient> daemon = DaemonClient.ifRunning(initialisedDataDirectory());
    if (daemon.isPresent()) {
      return daemonSync(daemon.get());
    }
    Clock clock = Clock.systemUTC();
    try (Agent agent = openAgent();
        Connection state = agent.newStateConnection()) {
      if (io.fiscald.agent.authority.kra.KraProfile.NAME.equals(agent.device().authority())) {
        return KraCli.sync(this, agent);
      }
      if (!ZimraProfile.NAME.equals(agent.device().authority())) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "device " + agent.device().deviceId() + " uses the '"
            + agent.device().authority() + "' profile, which submits nothing", Map.of());
      }
      ZimraProfile profile = agent.core().profile() instanceof ZimraProfile p ? p : null;
      try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), agent.signer(),
          agent.config().testMode(), clock)) {
        ZimraSync sync = new ZimraSync(state, client, ZimraState.requireSettings(state), profile, clock,
            Duration.ofSeconds(1), 60);
        if (clearBlock) {
          sync.clearBlock();
        }
        long startPending = sync.status().pending();
        ProgressBar bar = startPending > 1 && System.console() != null && !json()
            ? new ProgressBarBuilder().setTaskName("Syncing").setInitialMax(startPending)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()
            : null;
        ZimraSync.Step step;
        try {
          while (true) {
            step = sync.step(true);
            if (bar != null) {
              bar.stepTo(Math.max(0, startPending - sync.status().pending()));
            }
            if (step == ZimraSync.Step.PROGRESS) {
              continue;
            }
            if (once || step == ZimraSync.Step.BLOCKED) {
              break;
            }
            Thread.sleep(step == ZimraSync.Step.IDLE ? 5_000 : 10_000);
          }
        } finally {
          if (bar != null) {
            bar.close();
          }
        }
        ZimraSync.Status s = sync.status();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("step", step.name());
        view.put("synced", startPending - s.pending());
        view.put("pending", s.pending());
        view.put("rejected", s.rejected());
        view.put("offlineSince", s.offlineSince());
        view.put("openedDayOnServer", s.openedDayOnServer());
        view.put("closedDayOnServer", s.closedDayOnServer());
        view.put("serverDayStatus", s.serverDayStatus());
        view.put("lastSentGlobalNo", s.lastSentGlobalNo());
        if (s.offlineFiles() != null) {
          view.put("offlineFiles", s.offlineFiles());
        }
        if (step == ZimraSync.Step.BLOCKED) {
          throw new FiscalException(ErrorCode.AUTHORITY_REFUSED, "sync is stopped: " + s.blockedReason(), view);
        }
        if (step == ZimraSync.Step.BACKOFF) {
          throw new FiscalException(ErrorCode.AUTHORITY_UNAVAILABLE, "FDMS cannot be reached right now ("
              + s.lastError() + "); " + s.pending() + " receipt(s) wait and will be sent later", view);
        }
        result(view, "Synced " + view.get("synced") + " receipt(s); " + s.pending() + " waiting. FDMS day "
            + s.openedDayOnServer() + " open, " + s.closedDayOnServer() + " closed"
            + (s.serverDayStatus() == null ? "" : " (" + s.serverDayStatus() + ")") + ".");
      }
    }
    return 0;
  }

  /**
   * fiscald runs and owns the data directory: its sync worker drains the outbox in the background, so this
   * waits (up to a minute) for it to send what waits now and shows what it reports (GET /v1/status), instead
   * of opening the database a second time. Exit 1 (AUTHORITY_UNAVAILABLE) when receipts wait and it is offline.
   */
  private int daemonSync(DaemonClient daemon) {
    if (clearBlock) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--retry-rejected needs the data directory to itself: "
          + "stop fiscald (systemctl stop fiscald), run fiscalctl sync --once --retry-rejected, start it again");
    }
    com.fasterxml.jackson.databind.JsonNode status = daemon.get("/v1/status");
    // the worker polls by itself; wait (up to a minute) for it to drain what waits now, or to go offline
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (status.path("queues").path("outboxPending").asLong() > 0 && status.path("sync").path("online")
        .asBoolean(true) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      status = daemon.get("/v1/status");
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("daemon", true);
    view.put("pending", status.path("queues").path("outboxPending").asLong());
    view.put("rejected", status.path("queues").path("outboxRejected").asLong());
    view.put("online", status.path("sync").path("online").asBoolean());
    view.put("offlineSince", status.path("sync").path("offlineSince").asText(null));
    view.put("lastSyncAt", status.path("sync").path("lastSyncAt").asText(null));
    if ((Long) view.get("pending") > 0 && !Boolean.TRUE.equals(view.get("online"))) {
      throw new FiscalException(ErrorCode.AUTHORITY_UNAVAILABLE, "the authority cannot be reached right now; "
          + view.get("pending") + " receipt(s) wait and fiscald sends them when it is back", view);
    }
    result(view, "fiscald is running and sends receipts in the background: " + view.get("pending") + " waiting, "
        + view.get("rejected") + " refused, " + (Boolean.TRUE.equals(view.get("online")) ? "online" : "offline since "
        + view.get("offlineSince")) + ", last sync " + view.get("lastSyncAt") + ".");
    return 0;
  }
}
