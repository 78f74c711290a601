package io.fiscald.cli;

import io.fiscald.hal.print.Align;
import io.fiscald.hal.print.CodePage;
import io.fiscald.hal.print.DocumentBuilder;
import io.fiscald.hal.print.EscPosPrinter;
import io.fiscald.hal.print.PrintDocument;
import io.fiscald.hal.print.PrintOutcome;
import io.fiscald.hal.print.PrinterException;
import io.fiscald.hal.print.PrinterProfile;
import io.fiscald.hal.print.PrinterStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fiscalctl printer test|status}: check a receipt printer without issuing a fiscal receipt. */
@Command(name = "printer", mixinStandardHelpOptions = true,
    description = "Check a receipt printer: print a test page, read its status.",
    subcommands = {PrinterCommand.Test.class, PrinterCommand.Status.class})
final class PrinterCommand {
  private PrinterCommand() {}

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = {"Print a test page (styles, the characters receipts use, a QR code, the cut) and report the",
          "printer's status before and after. Nothing fiscal is printed or recorded.", "",
          "Examples:", "  fiscalctl printer test --port /dev/ttyUSB0", "  fiscalctl printer test --tcp 192.0.2.10:9100",
          "  fiscalctl printer test --port /dev/usb/lp0 --width 32 --profile generic-58mm"})
  static final class Test extends BaseCommand {
    @Mixin PrinterOptions printer;

    @Override
    int run() {
      try (EscPosPrinter p = printer.open()) {
        PrintOutcome outcome;
        try {
          outcome = p.print(testPage(p.name(), p.profile()));
        } catch (PrinterException e) {
          throw PrinterOptions.error(e);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("printer", p.name());
        view.put("profile", p.profile().name());
        view.put("columns", p.profile().columns());
        view.put("qr", p.profile().nativeQr() ? "native" : "raster");
        view.put("bytes", outcome.bytes());
        view.put("statusBefore", outcome.before().describe());
        view.put("statusAfter", outcome.after().describe());
        view.put("paperNearEnd", outcome.after().paperNearEnd());
        result(view, "test page printed on " + p.name() + " (" + p.profile().name() + ", " + p.profile().columns()
            + " columns, " + view.get("qr") + " QR, " + outcome.bytes() + " bytes)\nstatus before: "
            + outcome.before().describe() + "\nstatus after:  " + outcome.after().describe()
            + (outcome.after().paperNearEnd() ? "\nwarning: paper near end - put a new roll in soon" : ""));
        return 0;
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Read the printer's status (DLE EOT 1-4): online, cover, paper, errors.", "",
          "Examples:", "  fiscalctl printer status --port /dev/ttyUSB0", "  fiscalctl printer status --tcp 192.0.2.10:9100"})
  static final class Status extends BaseCommand {
    @Mixin PrinterOptions printer;

    @Override
    int run() {
      try (EscPosPrinter p = printer.open()) {
        PrinterStatus s;
        try {
          s = p.status();
        } catch (PrinterException e) {
          throw PrinterOptions.error(e);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("printer", p.name());
        view.put("status", s.describe());
        view.put("ready", s.ready());
        view.put("online", s.online());
        view.put("coverOpen", s.coverOpen());
        view.put("paperEnd", s.paperEnd());
        view.put("paperNearEnd", s.paperNearEnd());
        view.put("error", s.errorDetail());
        result(view, p.name() + ": " + s.describe());
        return s.ready() ? 0 : 1;
      }
    }
  }

  /** A page that shows at a glance whether width, styles, code pages, QR and cutter are right. */
  static PrintDocument testPage(String port, PrinterProfile profile) {
    int w = profile.columns();
    DocumentBuilder d = new DocumentBuilder(w);
    d.logo();
    d.title("PRINTER TEST");
    d.center("fiscald - not a fiscal receipt");
    d.rule();
    d.split("Port", port);
    d.split("Profile", profile.name());
    d.split("Columns", Integer.toString(w));
    d.split("QR", profile.nativeQr() ? "native (GS ( k)" : "raster (GS v 0)");
    d.left("Code pages: " + profile.codePages().stream().map(s -> s.page().name()).collect(Collectors.joining(" ")));
    d.split("Time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    d.rule();
    StringBuilder ruler = new StringBuilder();
    for (int i = 1; i <= w; i++) {
      ruler.append(i % 10);
    }
    d.left(ruler.toString());
    d.styled("Bold text", Align.LEFT, true, false);
    d.styled("Double size", Align.LEFT, false, true);
    d.right("right aligned");
    d.left("Money: KES 1,234.50  USD 9.99  EUR 5 €");
    d.left("Letters: é è ê ü ö ä ñ ç Ø å ß £ ¥");
    if (profile.codePages().stream().noneMatch(s -> s.page() == CodePage.PC858 || s.page() == CodePage.WPC1252)) {
      d.left("(no code page with the euro sign: it prints as EUR)");
    }
    d.rule();
    d.center("Scan me:");
    d.qr("FISCALD-PRINTER-TEST|" + port + "|" + w);
    d.center("End of test page");
    d.cut();
    return d.build();
  }
}
