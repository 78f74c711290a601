package io.fiscald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.authority.zimra.FdmsClient;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraOnboarding;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.authority.zimra.ZimraState;
import io.fiscald.agent.authority.zimra.ZimraSync;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.render.DayReportText;
import io.fiscald.agent.tax.TaxRate;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.sim.zimra.FdmsDayView;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsSimulator;
import io.fiscald.store.Database;
import io.fiscald.store.secret.Secret;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fiscalctl demo} (the default, {@code --authority zimra}): the trading-day story against the embedded
 * ZIMRA FDMS simulator over mutual TLS — register the device, open the day, sell through the local API (printed on
 * the printer emulator), sync the receipts, close the day on the till and on FDMS, show FDMS's answer, audit.
 */
final class ZimraDemo {
  static final int DEVICE_ID = 30199;
  static final String SERIAL = "SN-001";
  static final String ACTIVATION_KEY = "ABC12345";
  private static final ZoneId HARARE = ZoneId.of("Africa/Harare");

  /**
   * The day's sales in USD with the taxes FDMS's getConfig lists: {@code ${STD}} standard-rated VAT,
   * {@code ${ZERO}} zero-rated, {@code ${EXEMPT}} exempt; HS codes on every line (the taxpayer is a VAT payer).
   */
  private static final List<String> SALES = List.of(
      "{\"type\":\"INVOICE\",\"currency\":\"USD\",\"pricesIncludeTax\":true,\"lines\":["
          + "{\"name\":\"Sugar 2kg\",\"quantity\":\"2\",\"unitPrice\":\"2.10\",\"taxCode\":\"${STD}\","
          + "\"code\":\"SKU-1\",\"hsCode\":\"17019910\"},"
          + "{\"name\":\"Maize meal 10kg\",\"quantity\":\"1\",\"unitPrice\":\"8.50\",\"taxCode\":\"${ZERO}\","
          + "\"code\":\"SKU-2\",\"hsCode\":\"11022000\"},"
          + "{\"name\":\"Cooking oil 2L\",\"quantity\":\"1\",\"unitPrice\":\"4.75\",\"taxCode\":\"${STD}\","
          + "\"code\":\"SKU-3\",\"hsCode\":\"15121100\"}],"
          + "\"payments\":[{\"method\":\"CASH\",\"amount\":\"20.00\"}]}",
      "{\"type\":\"INVOICE\",\"currency\":\"USD\",\"lines\":[{\"name\":\"Phone charger USB-C 20W\",\"quantity\":1,"
          + "\"unitPrice\":15,\"taxCode\":\"${STD}\",\"code\":\"EL-20\",\"hsCode\":\"85044000\"}],"
          + "\"payments\":[{\"method\":\"CARD\",\"amount\":\"15.00\",\"reference\":\"VISA ****4242 AUTH 083412\"}]}",
      "{\"type\":\"INVOICE\",\"currency\":\"USD\",\"lines\":["
          + "{\"name\":\"Petrol\",\"quantity\":\"10.125\",\"unitPrice\":\"1.62\",\"taxCode\":\"${STD}\",\"unit\":\"L\","
          + "\"hsCode\":\"27101210\"},"
          + "{\"name\":\"Engine oil 1L\",\"quantity\":\"1\",\"unitPrice\":\"9.50\",\"taxCode\":\"${STD}\","
          + "\"hsCode\":\"27101980\"}],"
          + "\"payments\":[{\"method\":\"MOBILE_MONEY\",\"amount\":\"25.90\",\"reference\":\"EcoCash MP261124.0815\"}]}",
      "{\"type\":\"INVOICE\",\"currency\":\"USD\",\"lines\":["
          + "{\"name\":\"Rice 5kg\",\"quantity\":\"2\",\"unitPrice\":\"6.80\",\"taxCode\":\"${ZERO}\","
          + "\"hsCode\":\"10063000\"},"
          + "{\"name\":\"Fresh milk 500ml\",\"quantity\":\"6\",\"unitPrice\":\"1.00\",\"taxCode\":\"${EXEMPT}\","
          + "\"hsCode\":\"04012000\"},"
          + "{\"name\":\"Bread 700g\",\"quantity\":\"2\",\"unitPrice\":\"1.20\",\"taxCode\":\"${ZERO}\","
          + "\"discount\":\"0.20\",\"hsCode\":\"19059000\"}],"
          + "\"payments\":[{\"method\":\"CASH\",\"amount\":\"10.00\"},"
          + "{\"method\":\"MOBILE_MONEY\",\"amount\":\"11.80\",\"reference\":\"EcoCash MP261124.0902\"}],"
          + "\"buyer\":{\"name\":\"Chipo's Tuck Shop\",\"tin\":\"2000987654\"}}",
      "{\"type\":\"INVOICE\",\"currency\":\"USD\",\"pricesIncludeTax\":false,\"lines\":["
          + "{\"name\":\"Office chairs\",\"quantity\":\"4\",\"unitPrice\":\"65.00\",\"taxCode\":\"${STD}\","
          + "\"hsCode\":\"94013100\"},"
          + "{\"name\":\"Export packaging (zero rated)\",\"quantity\":\"1\",\"unitPrice\":\"12.00\","
          + "\"taxCode\":\"${ZERO}\",\"hsCode\":\"48191000\"}],"
          + "\"payments\":[{\"method\":\"BANK_TRANSFER\",\"amount\":\"${B2B_TOTAL}\",\"reference\":\"RTGS 2026112400731\"}],"
          + "\"buyer\":{\"name\":\"Acme Zimbabwe (Pvt) Ltd\",\"tin\":\"2000555555\"}}",
      "{\"type\":\"CREDIT_NOTE\",\"currency\":\"USD\",\"lines\":[{\"name\":\"Sugar 2kg\",\"quantity\":\"1\","
          + "\"unitPrice\":\"2.10\",\"taxCode\":\"${STD}\",\"code\":\"SKU-1\",\"hsCode\":\"17019910\"}],"
          + "\"payments\":[{\"method\":\"CASH\",\"amount\":\"2.10\"}],"
          + "\"original\":{\"receiptNumber\":\"${INVOICE_1}\"},\"reason\":\"Packet damaged, returned by customer\"}",
      "{\"type\":\"DEBIT_NOTE\",\"currency\":\"USD\",\"lines\":[{\"name\":\"Delivery to Msasa\",\"quantity\":\"1\","
          + "\"unitPrice\":\"11.55\",\"taxCode\":\"${STD}\",\"hsCode\":\"99659000\"}],"
          + "\"payments\":[{\"method\":\"BANK_TRANSFER\",\"amount\":\"11.55\",\"reference\":\"RTGS 2026112400802\"}],"
          + "\"buyer\":{\"name\":\"Acme Zimbabwe (Pvt) Ltd\",\"tin\":\"2000555555\"},"
          + "\"original\":{\"receiptNumber\":\"${INVOICE_5}\"},\"reason\":\"Delivery charge not on the invoice\"}");

  private ZimraDemo() {}

  static int run(BaseCommand cmd, int width) throws Exception {
    PrintStream say = cmd.humanOut();
    long started = System.nanoTime();
    DataDirectory dir = cmd.root().dataDir != null ? cmd.dataDirectory()
        : new DataDirectory(Files.createTempDirectory("fiscald-zimra-demo-"));
    if (Files.exists(dir.database())) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the ZIMRA demo registers a new device with an embedded "
          + "FDMS that starts empty, so it needs a fresh data directory; " + dir.root() + " already holds one (use "
          + "another --data-dir, or --authority local to replay the local story there)",
          Map.of("dataDir", dir.root().toString()));
    }
    Clock clock = Clock.systemUTC();
    say.println("fiscald demo (ZIMRA FDMS) — data directory " + dir.root());
    try (FdmsSimulator sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(Clock.system(HARARE))
        .closeDelay(Duration.ofMillis(100)).build())) {
      sim.addDevice(FdmsDevice.builder(DEVICE_ID, SERIAL, ACTIVATION_KEY).build());
      step(say, "1. Register the device with FDMS (embedded simulator at " + sim.baseUrl() + ", sandbox, its own CA)");
      ZimraOnboarding.Registration reg = ZimraOnboarding.register(dir, cmd.env(), new ZimraOnboarding.Request(
          DEVICE_ID, SERIAL, Secret.ofUtf8(ACTIVATION_KEY), "sandbox", sim.baseUrl(), sim.caCertificatePem(),
          KeyAlgorithm.EC_P256, "USD", null), clock);
      say.println("device " + reg.device().deviceId() + " (serial " + SERIAL + ") registered for "
          + reg.config().taxPayerName() + " (TIN " + reg.config().taxPayerTin() + ", VAT " + reg.config().vatNumber()
          + "); EC P-256 key sealed with the master key");
      say.println("certificate " + reg.certificate().get("subject") + ", valid until "
          + reg.certificate().get("notAfter"));

      List<IssuedReceipt> issued = new ArrayList<>();
      DayReport z;
      DemoPrinter.Result printed;
      long synced;
      ZimraSync.Status after;
      JsonNode serverStatus;
      try (Agent agent = Agent.open(dir, cmd.env(), clock);
          Connection state = agent.newStateConnection();
          DemoPrinter printer = DemoPrinter.start(agent, dir.root(), width);
          DemoApi pos = DemoApi.start(agent, printer::wake)) {
        DeviceSettings shop = agent.settings();
        Map<String, String> taxes = taxCodes(agent.core().profile().taxTable().rates());
        say.println("taxes from getConfig: " + agent.core().profile().taxTable().rates().stream()
            .map(r -> r.code() + " " + r.label()).toList());
        step(say, "2. Open the fiscal day");
        say.println("fiscal day " + agent.core().openDay().dayNo() + " opened");
        step(say, "3. Sell: each receipt is signed (ZIMRA hash chain), journalled and committed before it prints");
        say.println("receipt printer: the ESC/POS printer emulator on " + printer.port() + " (" + printer.transport()
            + "), fed by the print queue; its paper runs out during the third receipt");
        say.println("the POS sells through the local API at " + pos.url() + " with a cashier token");
        Map<String, String> numbers = new HashMap<>(taxes);
        for (String sale : SALES) {
          String json = sale;
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
            numbers.put("INVOICE_" + issued.size(), r.receipt().receiptNumber());
          }
          say.println();
          say.print(DemoCommand.receiptText(agent, r, width));
          printer.narrateAfter(issued.size(), say);
        }
        printed = printer.finishAndReport(issued.size(), dir.root().resolve("paper-roll.png"), say);

        try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), agent.signer(),
          agent.config().testMode(), clock)) {
          ZimraSync sync = new ZimraSync(state, client, ZimraState.requireSettings(state),
              (ZimraProfile) agent.core().profile(), clock, Duration.ofMillis(50), 600);
          step(say, "4. Sync: openDay, then the receipts in receiptGlobalNo order (mutual TLS)");
          long before = sync.status().pending();
          ZimraSync.Step s = sync.drain(1000);
          synced = before - sync.status().pending();
          say.println("sync " + s + ": " + synced + " receipt(s) accepted by FDMS, " + sync.status().pending()
              + " waiting, " + sync.status().rejected() + " refused");

          step(say, "5. Close the day: Z report with the fiscal counters and the day's device signature");
          z = agent.core().closeDay();
          say.print(DayReportText.render(z, shop, width));

          step(say, "6. Close the day on FDMS: closeDay, then getStatus until FDMS has checked it");
          s = sync.drain(1000);
          after = sync.status();
          serverStatus = client.getStatus();
          say.println("sync " + s + "; FDMS answers getStatus:");
          say.println("  fiscalDayStatus      " + serverStatus.path("fiscalDayStatus").asText());
          say.println("  lastFiscalDayNo      " + serverStatus.path("lastFiscalDayNo").asText());
          say.println("  lastReceiptGlobalNo  " + serverStatus.path("lastReceiptGlobalNo").asText());
          JsonNode sig = serverStatus.path("fiscalDayServerSignature");
          if (sig.isObject()) {
            say.println("  fiscalDayServerSignature hash " + sig.path("hash").asText() + " (certificate "
                + sig.path("certificateThumbprint").asText() + ")");
          }
          if (after.closingErrorCode() != null || after.blockedReason() != null) {
            say.println("  closing error: " + after.closingErrorCode() + " " + after.blockedReason());
          }
        }
      }

      step(say, "7. Audit the journal");
      AuditReport audit;
      try (Connection c = Database.openReadOnly(dir.database())) {
        audit = JournalAuditor.audit(c);
      }
      say.println(audit.ok()
          ? "audit passed: " + audit.entriesChecked() + " journal entries, " + audit.receiptsChecked()
              + " receipts; every hash, signature, counter and total checks out"
          : "AUDIT FAILED: " + audit.finding());

      int dayNo = (int) z.dayNo();
      FdmsDayView serverDay = sim.day(DEVICE_ID, dayNo).orElse(null);
      String serverDayStatus = serverDay == null ? null : serverDay.status().wire();
      boolean closedOnServer = serverDay != null && serverDay.status() == FdmsDayView.Status.CLOSED
          && after.closedDayOnServer() == z.dayNo();
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("dataDir", dir.root().toString());
      summary.put("deviceId", reg.device().deviceId());
      summary.put("authority", ZimraProfile.NAME);
      summary.put("fdmsUrl", sim.baseUrl());
      summary.put("receipts", issued.size());
      summary.put("receiptNumbers", issued.stream().map(r -> r.receipt().receiptNumber()).toList());
      summary.put("synced", synced);
      summary.put("pending", after.pending());
      summary.put("rejected", after.rejected());
      summary.put("serverReceipts", sim.receipts(DEVICE_ID, dayNo).size());
      summary.put("serverReceiptGlobalNos", sim.receipts(DEVICE_ID, dayNo).stream()
          .map(v -> v.receiptGlobalNo()).toList());
      summary.put("serverValidationErrors", sim.receipts(DEVICE_ID, dayNo).stream()
          .mapToInt(v -> v.validationErrors().size()).sum());
      summary.put("dayNo", z.dayNo());
      summary.put("dayClosed", true);
      summary.put("serverDayStatus", serverDayStatus);
      summary.put("closedDayOnServer", after.closedDayOnServer());
      summary.put("serverDayReceiptCount", serverDay == null ? 0 : serverDay.receiptCount());
      DayReport.CurrencyTotals usd = z.currencies().get(0);
      DemoCommand.putDayTotalsAndChecks(summary, usd, audit, printed, started);
      step(say, "Summary");
      cmd.result(summary, String.format("%d receipts issued on day %d, %d synced to FDMS, day closed on the till and "
              + "on FDMS (%s), total %s %s (tax %s), audit %s.%n"
              + "Look around: fiscalctl --data-dir %s status | receipt show %s --text | journal export --out j.jsonl",
          issued.size(), z.dayNo(), synced, serverDayStatus, usd.currency(), summary.get("dayTotal"),
          summary.get("dayTax"), audit.ok() ? "passed" : "FAILED", dir.root(),
          issued.get(0).receipt().receiptNumber()));
      return audit.ok() && closedOnServer && synced == issued.size() ? 0 : 1;
    }
  }

  /**
   * Picks the demo's tax codes from getConfig's taxes valid today (never hard-coded): the standard VAT rate
   * (the highest percent), zero-rated and exempt; and the B2B invoice's tax-exclusive total at that rate.
   */
  private static Map<String, String> taxCodes(List<TaxRate> rates) {
    TaxRate standard = rates.stream().filter(r -> !r.exempt() && r.percent().signum() > 0
            && !r.label().toLowerCase(java.util.Locale.ROOT).contains("non-vat"))
        .max((a, b) -> a.percent().compareTo(b.percent())).orElseThrow(() -> new FiscalException(
            ErrorCode.UNKNOWN_TAX_CODE, "FDMS getConfig lists no standard-rated VAT tax valid today"));
    TaxRate zero = rates.stream().filter(r -> !r.exempt() && r.percent().signum() == 0).findFirst()
        .orElseThrow(() -> new FiscalException(ErrorCode.UNKNOWN_TAX_CODE, "FDMS getConfig lists no zero rate"));
    TaxRate exempt = rates.stream().filter(TaxRate::exempt).findFirst()
        .orElseThrow(() -> new FiscalException(ErrorCode.UNKNOWN_TAX_CODE, "FDMS getConfig lists no exempt tax"));
    BigDecimal chairs = new BigDecimal("260.00");
    BigDecimal b2b = chairs.add(chairs.multiply(standard.percent()).divide(BigDecimal.valueOf(100), 2,
        RoundingMode.HALF_UP)).add(new BigDecimal("12.00"));
    Map<String, String> m = new HashMap<>();
    m.put("STD", standard.code());
    m.put("ZERO", zero.code());
    m.put("EXEMPT", exempt.code());
    m.put("B2B_TOTAL", b2b.toPlainString());
    return m;
  }

  private static void step(PrintStream say, String title) {
    say.println();
    say.println("== " + title + " ==");
  }
}
