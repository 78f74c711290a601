package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.render.DayReportText;
import io.fiscald.store.FiscalDayRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code fiscalctl day open|close|status|x-report}. */
@Command(name = "day", mixinStandardHelpOptions = true,
    description = "Open and close the fiscal day, and print X and Z reports.",
    subcommands = {DayCommand.Open.class, DayCommand.Close.class, DayCommand.Status.class, DayCommand.XReport.class})
final class DayCommand {

  static Map<String, Object> view(FiscalDayRecord day) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("dayNo", day.dayNo());
    v.put("status", day.status());
    v.put("openedAt", day.openedAt());
    v.put("closedAt", day.closedAt());
    return v;
  }

  @Command(name = "open", mixinStandardHelpOptions = true,
      description = {"Open a new fiscal day; receipts are refused until one is open.", "", "Example:",
          "  fiscalctl day open"})
  static final class Open extends BaseCommand {
    @Override
    int run() {
      var daemon = DaemonClient.ifRunning(dataDirectory());
      if (daemon.isPresent()) { // fiscald owns the data directory: go through its API
        var day = daemon.get().post("/v1/day/open", new byte[0]);
        result(day, "Fiscal day " + day.path("dayNo").asLong() + " opened at " + day.path("openedAt").asText());
        return 0;
      }
      try (Agent agent = openAgent()) {
        FiscalDayRecord day = agent.core().openDay();
        result(view(day), "Fiscal day " + day.dayNo() + " opened at " + day.openedAt());
      }
      return 0;
    }
  }

  @Command(name = "close", mixinStandardHelpOptions = true,
      description = {"Close the open fiscal day and print its Z report (journalled with the close).", "",
          "Example:", "  fiscalctl day close"})
  static final class Close extends BaseCommand {
    @Override
    int run() {
      var daemon = DaemonClient.ifRunning(dataDirectory());
      if (daemon.isPresent()) {
        DayReport z = io.fiscald.agent.core.ReceiptCodec.dayReport(daemon.get().post("/v1/day/close", new byte[0])
            .toString());
        result(z, DayReportText.render(z, DaemonClient.settings(dataDirectory()), 48));
        return 0;
      }
      try (Agent agent = openAgent()) {
        DayReport z = agent.core().closeDay();
        result(z, DayReportText.render(z, agent.settings(), 48));
      }
      return 0;
    }
  }

  @Command(name = "x-report", mixinStandardHelpOptions = true,
      description = {"Totals of the open day so far, without closing it.", "", "Example:", "  fiscalctl day x-report"})
  static final class XReport extends BaseCommand {
    @Override
    int run() {
      var daemon = DaemonClient.ifRunning(dataDirectory());
      if (daemon.isPresent()) {
        DayReport x = io.fiscald.agent.core.ReceiptCodec.dayReport(daemon.get().get("/v1/day/x-report").toString());
        result(x, DayReportText.render(x, DaemonClient.settings(dataDirectory()), 48));
        return 0;
      }
      try (Agent agent = openAgent()) {
        DayReport x = agent.core().xReport();
        result(x, DayReportText.render(x, agent.settings(), 48));
      }
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Show the current fiscal day.", "", "Example:", "  fiscalctl day status --json"})
  static final class Status extends BaseCommand {
    @Override
    int run() throws Exception {
      try (var c = io.fiscald.store.Database.openReadOnly(initialisedDataDirectory().database())) {
        var day = io.fiscald.store.FiscalDays.latest(c);
        if (day.isEmpty()) {
          result(Map.of("status", "NONE"), "No fiscal day has been opened yet. Open one with: fiscalctl day open");
          return 0;
        }
        Map<String, Object> v = view(day.get());
        v.put("receipts", io.fiscald.store.Receipts.byDayMaxCounter(c, day.get().dayNo()));
        result(v, "Fiscal day " + day.get().dayNo() + " is " + day.get().status() + " (opened " + day.get().openedAt()
            + (day.get().closedAt() != null ? ", closed " + day.get().closedAt() : "") + "), "
            + v.get("receipts") + " receipts");
      }
      return 0;
    }
  }
}
