package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.agent.render.DayReportText;
import io.fiscald.agent.render.ReceiptText;
import io.fiscald.agent.tax.Money;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.store.Database;
import io.fiscald.store.Devices;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fiscalctl demo}: the whole story of a trading day on the embedded default — a new device,
 * a day of mixed sales and notes printed as a 48-column thermal printer would, the Z report and the
 * audit — in a fresh temporary data directory unless {@code --data-dir} names one.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run a whole trading day on embedded simulators (no hardware, no internet).",
        "By default (--authority zimra) registers a device with the embedded ZIMRA FDMS simulator, opens the day,",
        "issues a mix of receipts (several taxes; cash, card and mobile money; a credit and a debit note), prints",
        "them, syncs them to FDMS, closes the day on the till and on FDMS, shows FDMS's answer and audits the journal.",
        "--authority local tells the same day without a tax authority; --authority kra against eTIMS.",
        "With --json, standard output carries only a summary; receipts and progress go to standard error.", "",
        "Examples:", "  fiscalctl demo", "  fiscalctl demo --json", "  fiscalctl demo --authority local --data-dir /tmp/shop"})
final class DemoCommand extends BaseCommand {
  private static final List<String> SALES = List.of("01-groceries-cash.json", "02-electronics-card.json",
      "03-fuel-mpesa.json", "04-split-payment-buyer.json", "05-b2b-exclusive.json", "06-credit-note.json",
      "07-debit-note.json");

  @Option(names = "--width", defaultValue = "48", description = "Paper width in columns (default ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--authority", defaultValue = "zimra", paramLabel = "NAME",
      description = "zimra (default: the embedded FDMS simulator), local (no authority) or kra (the embedded eTIMS"
          + " simulator, VSCU).")
  String authority;

  /** The demo's simulators are loopback test doubles: test mode on, and an installed till's config file ignored. */
  @Override
  Map<String, String> systemEnv() {
    Map<String, String> e = new java.util.HashMap<>(System.getenv());
    e.remove(io.fiscald.agent.config.FiscaldConfig.ENV_CONFIG);
    e.put(io.fiscald.agent.config.ConfigKeys.TEST_MODE.envVar(), "true");
    return e;
  }

  @Override
  int run() throws Exception {
    if ("kra".equals(authority)) {
      return KraDemo.run(this, width);
    }
    if ("zimra".equals(authority)) {
      return ZimraDemo.run(this, width);
    }
    if (!"local".equals(authority)) {
      throw new io.fiscald.agent.core.FiscalException(io.fiscald.agent.core.ErrorCode.INVALID_ARGUMENT,
          "--authority must be zimra, local or kra, got '" + authority + "'", Map.of("field", "authority"));
    }
    PrintStream say = humanOut();
    long started = System.nanoTime();
    DataDirectory dir = root().dataDir != null ? dataDirectory()
        : new DataDirectory(Files.createTempDirectory("fiscald-demo-"));
    say.println("fiscald demo — data directory " + dir.root());

    if (!Files.exists(dir.database())) {
      step(say, "1. Create the device");
      var device = Agent.initialise(dir, env(), null, "sandbox", KeyAlgorithm.EC_P256, DeviceSettings.defaults(),
          Clock.systemUTC());
      say.println("device " + device.deviceId() + ", local profile (no authority), EC P-256 key sealed with the master key");
    } else {
      step(say, "1. Reuse the device already in " + dir.root());
    }

    List<IssuedReceipt> issued = new ArrayList<>();
    DayReport z;
    DemoPrinter.Result printed;
    try (Agent agent = Agent.open(dir, env(), Clock.systemUTC());
        DemoPrinter printer = DemoPrinter.start(agent, dir.root(), width);
        DemoApi pos = DemoApi.start(agent, printer::wake)) {
      DeviceSettings shop = agent.settings();
      step(say, "2. Open the fiscal day");
      say.println("fiscal day " + agent.core().openDay().dayNo() + " opened");
      step(say, "3. Sell: each receipt is journalled, signed and committed before it prints");
      say.println("receipt printer: the ESC/POS printer emulator on " + printer.port() + " (" + printer.transport()
          + "), fed by the print queue; its paper runs out during the third receipt");
      say.println("the POS sells through the local API at " + pos.url() + " with a cashier token");
      Map<String, String> numbers = new HashMap<>();
      for (String sale : SALES) {
        String json = resource(sale);
        for (Map.Entry<String, String> n : numbers.entrySet()) {
          json = json.replace("${" + n.getKey() + "}", n.getValue());
        }
        if (issued.size() == 2) {
          printer.runOutOfPaperSoon(issued.size());
        }
        IssuedReceipt r = pos.issue(json);
        issued.add(r);
        printer.wake();
        if (r.receipt().type().name().equals("INVOICE")) {
          numbers.put("INVOICE_" + (numbers.size() + 1), r.receipt().receiptNumber());
        }
        say.println();
        say.print(receiptText(agent, r, width));
        printer.narrateAfter(issued.size(), say);
      }
      printed = printer.finishAndReport(issued.size(), dir.root().resolve("paper-roll.png"), say);
      step(say, "4. Close the day: Z report");
      z = agent.core().closeDay();
      say.print(DayReportText.render(z, shop, width));
    }

    step(say, "5. Audit the journal");
    AuditReport audit;
    String deviceId;
    try (Connection c = Database.openReadOnly(dir.database())) {
      audit = JournalAuditor.audit(c);
      deviceId = Devices.find(c).orElseThrow().deviceId();
    }
    say.println(audit.ok()
        ? "audit passed: " + audit.entriesChecked() + " journal entries, " + audit.receiptsChecked()
            + " receipts; every hash, signature, counter and total checks out"
        : "AUDIT FAILED: " + audit.finding());

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("dataDir", dir.root().toString());
    summary.put("deviceId", deviceId);
    summary.put("authority", "local");
    summary.put("receipts", issued.size());
    summary.put("receiptNumbers", issued.stream().map(r -> r.receipt().receiptNumber()).toList());
    summary.put("dayNo", z.dayNo());
    summary.put("dayClosed", true);
    DayReport.CurrencyTotals kes = z.currencies().get(0);
    putDayTotalsAndChecks(summary, kes, audit, printed, started);
    step(say, "Summary");
    result(summary, String.format("%d receipts issued on day %d, day closed, total %s %s (tax %s), audit %s.%n"
            + "Look around: fiscalctl --data-dir %s status | receipt show %s --text | journal export --out j.jsonl",
        issued.size(), z.dayNo(), kes.currency(), summary.get("dayTotal"), summary.get("dayTax"),
        audit.ok() ? "passed" : "FAILED", dir.root(), issued.get(0).receipt().receiptNumber()));
    return audit.ok() ? 0 : 1;
  }

  /** A demo receipt as the printer lays it out, with the profile's header and fiscal block. */
  static String receiptText(Agent agent, IssuedReceipt r, int width) {
    var profile = agent.core().profile();
    return ReceiptText.render(r.receipt(), agent.settings(), profile.fiscalBlock(r.receipt(), r.seal()),
        profile.header(r.receipt()).orElse(null), 0, width);
  }

  /** The summary fields every demo story ends with: the day's totals, the audit, the printer, the time taken. */
  static void putDayTotalsAndChecks(Map<String, Object> summary, DayReport.CurrencyTotals totals, AuditReport audit,
      DemoPrinter.Result printed, long startedNanos) {
    summary.put("currency", totals.currency());
    summary.put("dayTotal", Money.format(totals.totalMinor(), totals.minorDigits()));
    summary.put("dayTax", Money.format(totals.taxMinor(), totals.minorDigits()));
    summary.put("auditOk", audit.ok());
    summary.put("journalEntries", audit.entriesChecked());
    summary.put("printed", printed.printed());
    summary.put("printerPort", printed.port());
    summary.put("paperRollPng", printed.paperRollPng().toString());
    summary.put("elapsedMs", (System.nanoTime() - startedNanos) / 1_000_000);
  }

  private static void step(PrintStream say, String title) {
    say.println();
    say.println("== " + title + " ==");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
      if (in == null) {
        throw new IOException("demo resource missing: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
