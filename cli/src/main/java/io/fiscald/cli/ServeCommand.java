package io.fiscald.cli;

import io.fiscald.agent.api.ApiConfig;
import io.fiscald.agent.api.ApiHooks;
import io.fiscald.agent.api.Daemon;
import io.fiscald.agent.backup.BackupPolicy;
import io.fiscald.agent.config.ConfigKeys;
import io.fiscald.agent.config.ConfigType;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl serve}: runs fiscald, the daemon with the local API, until SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run fiscald: the fiscal core, the ZIMRA/KRA sync worker, webhooks, alerts and the local HTTP API",
        "(docs/API.md), until SIGTERM or Ctrl-C, which stops it gracefully (no new requests, those in flight",
        "committed, lock released).",
        "While it runs, fiscalctl day/receipt commands go through its API. Settings: fiscald.conf (docs/CONFIG.md).",
        "", "Examples:", "  fiscalctl serve", "  fiscalctl serve --listen 127.0.0.1:9000",
        "  fiscalctl serve --listen 0.0.0.0:8719 --allow-remote",
        "  fiscalctl serve --backup-interval 6h --backup-keep 28 --backup-dir /mnt/usb/fiscald-backups",
        "Backups: a verified backup every 24 h by default (docs/OPERATIONS.md)."})
final class ServeCommand extends BaseCommand {
  @Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "Address of the API (default 127.0.0.1:8719; port 0 picks a free one).")
  String listen;

  @picocli.CommandLine.ArgGroup(exclusive = false, multiplicity = "0..1",
      heading = "Receipt printer (optional; without one, receipts queue for printing):%n")
  PrinterOptions printer;

  @Option(names = "--allow-remote", description = "Allow a non-loopback --listen address (the API is then "
      + "reachable from the network; tokens are its only protection).")
  boolean allowRemote;

  @Option(names = "--backup-interval", paramLabel = "DURATION", description = "Take a verified backup this often, "
      + "e.g. 24h, 6h, 30m, 90s (default backup.interval of fiscald.conf, 24h; 0 turns scheduled backups off).")
  String backupInterval;

  @Option(names = "--backup-keep", paramLabel = "N",
      description = "Keep the newest N scheduled backups (default 14; 0 keeps any number).")
  Integer backupKeep;

  @Option(names = "--backup-keep-days", paramLabel = "DAYS",
      description = "Delete backups older than DAYS days; the newest is always kept (default 30; 0 keeps any age).")
  Integer backupKeepDays;

  @Option(names = "--backup-dir", paramLabel = "DIR", description = "Where scheduled backups go (default "
      + "<data-dir>/backups; better on another disk).")
  Path backupDir;

  /** The backup schedule: fiscald.conf's backup.* keys, each overridden by its option; null when turned off. */
  BackupPolicy backupPolicy(DataDirectory dir) {
    BackupPolicy conf = config().backup(dir);
    if (backupKeep != null && backupKeep < 0 || backupKeepDays != null && backupKeepDays < 0) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT,
          "--backup-keep and --backup-keep-days must be 0 (no limit) or more");
    }
    Duration interval = conf.interval();
    if (backupInterval != null) {
      if (backupInterval.strip().equals("0")) {
        return null;
      }
      try {
        interval = (Duration) ConfigType.DURATION.parse(backupInterval.strip());
      } catch (IllegalArgumentException e) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--backup-interval: " + e.getMessage()
            + " (or 0 to turn scheduled backups off)", Map.of("field", "backup-interval"));
      }
    }
    return new BackupPolicy(interval, backupKeep == null ? conf.keepCount() : backupKeep,
        backupKeepDays == null ? conf.keepAge() : Duration.ofDays(backupKeepDays),
        backupDir == null ? conf.dir() : backupDir.toAbsolutePath());
  }

  @Override
  int run() throws Exception {
    DataDirectory dir = initialisedDataDirectory();
    FiscaldConfig settings = config();
    // log.level applies from here: slf4j-simple reads it when the daemon's first logger is made
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", settings.text(ConfigKeys.LOG_LEVEL));
    ApiConfig config = settings.api();
    if (listen != null) {
      InetSocketAddress address = ApiConfig.parseListen(listen);
      config = config.withListen(address, allowRemote || config.allowRemote());
    }
    if (!config.listen().getAddress().isLoopbackAddress()) {
      System.err.println("WARNING: the API listens on " + config.listen().getAddress().getHostAddress()
          + ", reachable from the network: anyone who can reach this till may try tokens against it");
    }
    io.fiscald.agent.api.WebhookDispatcher[] events = new io.fiscald.agent.api.WebhookDispatcher[1];
    BackupPolicy backups = backupPolicy(dir);
    Daemon daemon = Daemon.start(dir, env(), config, backups, agent -> hooks(agent, events), Clock.systemUTC());
    events[0] = daemon.webhooks();
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "fiscald-shutdown"));
    Map<String, Object> started = new LinkedHashMap<>();
    started.put("url", daemon.server().baseUri().toString());
    started.put("pid", ProcessHandle.current().pid());
    started.put("deviceId", daemon.agent().device().deviceId());
    started.put("dataDir", dir.root().toString());
    result(started, "fiscald serving device " + daemon.agent().device().deviceId() + " on "
        + daemon.server().baseUri() + " (pid " + ProcessHandle.current().pid() + "); stop with SIGTERM or Ctrl-C");
    daemon.awaitStopped();
    return 0;
  }

  /** The API's hooks: the print worker when a printer is given (its events become receipt.printed webhooks). */
  private ApiHooks hooks(io.fiscald.agent.Agent agent, io.fiscald.agent.api.WebhookDispatcher[] events) {
    ApiHooks.Builder b = ApiHooks.builder(agent.device().authority());
    Runnable printWake = null;
    if (printer != null) {
      io.fiscald.agent.print.PrintWorker worker = io.fiscald.agent.print.PrintWorker.start(agent, printer.open(),
          io.fiscald.agent.print.PrintWorker.Settings.DEFAULT, new io.fiscald.agent.print.PrintWorker.Listener() {
            @Override
            public void printed(io.fiscald.store.PrintJob job, String receiptNumber) {
              if (events[0] != null) {
                events[0].publish("receipt.printed", Map.of("receiptNumber", receiptNumber, "copy", job.copy()));
              }
            }
          });
      printWake = worker::wake;
      b.worker(worker).onPrintQueueChanged(worker::wake).printer(() -> {
        io.fiscald.agent.print.PrinterState s = worker.state();
        String state = s.paperNearEnd() ? "PAPER_NEAR_END"
            : s.status().contains("paper out") ? "PAPER_OUT"
            : s.ready() ? "READY" : "unknown".equals(s.status()) ? "UNKNOWN" : "NOT_READY";
        return new io.fiscald.agent.api.PrinterState(state, s.printer() + ": " + s.status()
            + (s.lastError() == null ? "" : " (" + s.lastError() + ")"));
      });
    }
    // ZIMRA / KRA: the sync worker drains the outbox in the background, woken after each receipt
    io.fiscald.agent.api.AuthorityWorkers.install(b, agent, io.fiscald.agent.sync.SyncWorker.Settings.DEFAULT,
        Clock.systemUTC(), printWake);
    return b.build();
  }
}
