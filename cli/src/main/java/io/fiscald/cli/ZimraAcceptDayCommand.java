package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.zimra.ZimraDayAcceptance;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl zimra accept-day}: the way out of FILE04 for an offline day FDMS closed by other means. */
@Command(name = "accept-day", mixinStandardHelpOptions = true,
    description = {"Take an offline fiscal day as accepted when FDMS refuses its upload with FILE04 because the day",
        "was already closed by other means (a manual upload on the FDMS portal). Only the day FDMS refused with",
        "FILE04 is accepted; its waiting receipts leave the queue and the next day goes next. The decision and",
        "its reason are journalled (AUTHORITY_DAY_ACCEPTED). Check on the portal first that the day is there.",
        "Stop fiscald first.", "", "Example:",
        "  fiscalctl zimra accept-day --day 12 --reason \"uploaded on the portal 2026-11-20, ref 4471\""})
final class ZimraAcceptDayCommand extends BaseCommand {
  @Option(names = "--day", required = true, paramLabel = "N", description = "The fiscal day FDMS refused with FILE04.")
  long day;

  @Option(names = "--reason", required = true, paramLabel = "TEXT",
      description = "Why, e.g. the portal upload's date and reference (journalled).")
  String reason;

  @Override
  int run() {
    initialisedDataDirectory();
    try (Agent agent = openAgent()) {
      Map<String, Object> done = ZimraDayAcceptance.accept(agent, day, reason, Clock.systemUTC());
      result(done, "Fiscal day " + day + " taken as accepted (FDMS closed it elsewhere): " + done.get("receipts")
          + " receipt(s) left the queue; journal entry " + done.get("journalSeq") + ".");
    }
    return 0;
  }
}
