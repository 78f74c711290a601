package io.fiscald.cli;

import io.fiscald.agent.api.ApiConfig;
import io.fiscald.agent.api.ApiHooks;
import io.fiscald.agent.api.Daemon;
import io.fiscald.agent.device.DataDirectory;
import java.net.InetSocketAddress;
import java.time.Clock;
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
        "  fiscalctl serve --listen 0.0.0.0:8719 --allow-remote"})
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

  @Override
  int run() throws Exception {
    DataDirectory dir = initialisedDataDirectory();
    io.fiscald.agent.config.FiscaldConfig settings = config();
    // log.level applies from here: slf4j-simple reads it when the daemon's first logger is made
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", settings.text(
        io.fiscald.agent.config.ConfigKeys.LOG_LEVEL));
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
    Daemon daemon = Daemon.start(dir, env(), config, agent -> hooks(agent, events), Clock.systemUTC());
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
