package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraRegistrar;
import io.fiscald.agent.authority.kra.KraRegistration;
import io.fiscald.agent.authority.kra.KraRuntime;
import io.fiscald.agent.authority.kra.KraSync;
import io.fiscald.agent.authority.kra.ScuSignature;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.agent.tax.Money;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.Transport;
import io.fiscald.store.Database;
import java.io.PrintStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fiscalctl demo --authority kra}: the trading-day story against the embedded eTIMS simulator
 * through the VSCU transport — registration, sales signed by the control unit, a credit note, the
 * printed eTIMS receipts, sync, the Z report and the audit.
 */
final class KraDemo {
  private static final String PIN = "P051234567X";
  private static final String SERIAL = "FISCALD-DEMO-01";
  private static final List<String> SALES = List.of(
      "{\"currency\":\"KES\",\"lines\":[{\"name\":\"Sugar 1kg\",\"quantity\":\"2\",\"unitPrice\":\"522.00\","
          + "\"taxCode\":\"B\",\"code\":\"SKU-1\"}],\"payments\":[{\"method\":\"CASH\",\"amount\":\"1044.00\"}],"
          + "\"buyer\":{\"name\":\"Acme Ltd\",\"tin\":\"P051111111A\"}}",
      "{\"currency\":\"KES\",\"lines\":[{\"name\":\"Rice 5kg\",\"quantity\":\"2\",\"unitPrice\":\"780.00\","
          + "\"taxCode\":\"B\",\"code\":\"SKU-10\"},{\"name\":\"Fresh milk 500ml\",\"quantity\":\"6\",\"unitPrice\":"
          + "\"60.00\",\"taxCode\":\"A\",\"code\":\"SKU-11\"},{\"name\":\"Bread 400g\",\"quantity\":\"2\",\"unitPrice\":"
          + "\"65.00\",\"taxCode\":\"B\",\"discount\":\"10.00\"}],\"payments\":[{\"method\":\"CASH\",\"amount\":"
          + "\"2100.00\"}]}",
      "{\"currency\":\"KES\",\"lines\":[{\"name\":\"Petrol\",\"quantity\":\"10.125\",\"unitPrice\":\"179.45\","
          + "\"taxCode\":\"E\",\"unit\":\"LT\"}],\"payments\":[{\"method\":\"MOBILE_MONEY\",\"amount\":\"1816.93\","
          + "\"reference\":\"SKL4XYZ123\"}]}",
      "{\"currency\":\"KES\",\"lines\":[{\"name\":\"Phone charger\",\"quantity\":\"1\",\"unitPrice\":\"1160.00\","
          + "\"taxCode\":\"B\",\"code\":\"SKU-20\"}],\"payments\":[{\"method\":\"CARD\",\"amount\":\"1160.00\"}]}",
      "{\"type\":\"CREDIT_NOTE\",\"currency\":\"KES\",\"lines\":[{\"name\":\"Sugar 1kg\",\"quantity\":\"1\","
          + "\"unitPrice\":\"522.00\",\"taxCode\":\"B\",\"code\":\"SKU-1\"}],\"payments\":[{\"method\":\"CASH\","
          + "\"amount\":\"522.00\"}],\"buyer\":{\"name\":\"Acme Ltd\",\"tin\":\"P051111111A\"},"
          + "\"original\":{\"receiptNumber\":\"INV-000001\"},\"reason\":\"Damaged packet returned\"}");

  private KraDemo() {}

  static int run(BaseCommand cmd, int width) throws Exception {
    PrintStream say = cmd.humanOut();
    long started = System.nanoTime();
    DataDirectory dir = cmd.root().dataDir != null ? cmd.dataDirectory()
        : new DataDirectory(Files.createTempDirectory("fiscald-kra-demo-"));
    Clock clock = Clock.systemUTC();
    say.println("fiscald demo (KRA eTIMS) — data directory " + dir.root());
    try (EtimsSimulator sim = EtimsSimulator.start()) {
      sim.registerDevice(PIN, "00", SERIAL);
      sim.registerTaxpayer(PIN, "Demo Shop Ltd");
      step(say, "1. Register the device with eTIMS (embedded simulator, VSCU at " + sim.baseUrl(Transport.VSCU) + ")");
      KraConfig config = KraConfig.of(PIN, "00", SERIAL, "sandbox", "vscu", sim.baseUrl(Transport.VSCU))
          .withTrackStock(true);
      KraRegistrar.Registered reg = KraRegistrar.register(dir, cmd.env(),
          new KraRegistration(config, null, null, null, null, false), clock);
      say.println("device " + reg.deviceId() + " initialised: SCU ID " + reg.sdcId() + ", MRC " + reg.mrcNo()
          + "; cmcKey sealed; rates from code class 04: " + reg.rates());

      List<KraRuntime.Signed> receipts = new ArrayList<>();
      DayReport z;
      KraSync.Result last;
      try (Agent agent = Agent.open(dir, cmd.env(), clock); KraRuntime kra = KraRuntime.attach(agent, clock)) {
        step(say, "2. Open the fiscal day");
        say.println("fiscal day " + agent.core().openDay().dayNo() + " opened");
        step(say, "3. Sell: journalled first, then signed by the control unit (items and stock registered first)");
        ReceiptRequestParser parser = new ReceiptRequestParser();
        for (String sale : SALES) {
          KraRuntime.Signed s = kra.issue(parser.parse(sale));
          receipts.add(s);
          say.println();
          say.print(kra.render(s.issued().receipt().receiptNumber(), false, width));
        }
        step(say, "4. Sync what is left and close the day");
        last = kra.sync();
        say.println("synced; " + last.pending() + " waiting, " + last.rejected() + " rejected");
        z = agent.core().closeDay();
        say.println("day " + z.dayNo() + " closed");
      }
      step(say, "5. Audit the journal");
      AuditReport audit;
      try (Connection c = Database.openReadOnly(dir.database())) {
        audit = JournalAuditor.audit(c);
      }
      say.println(audit.ok() ? "audit passed: " + audit.entriesChecked() + " journal entries" : "AUDIT FAILED: "
          + audit.finding());

      List<Map<String, Object>> list = new ArrayList<>();
      int synced = 0;
      try (Agent agent = Agent.open(dir, cmd.env(), clock); KraRuntime kra = KraRuntime.attach(agent, clock)) {
        for (KraRuntime.Signed s : receipts) {
          String number = s.issued().receipt().receiptNumber();
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("receiptNumber", number);
          r.put("type", s.issued().receipt().type().name());
          r.put("total", Money.format(s.issued().receipt().totalMinor(), s.issued().receipt().minorDigits()));
          ScuSignature sig = kra.signature(number).orElse(null);
          if (sig != null) {
            synced++;
            r.put("invcNo", sig.invcNo());
            r.put("cuInvoiceNo", sig.cuInvoiceNo(kra.config().cuInvoiceNoFormat()));
            r.put("curRcptNo", sig.curRcptNo());
            r.put("totRcptNo", sig.totRcptNo());
            r.put("rcptSign", sig.rcptSign());
            r.put("sdcDateTime", sig.sdcDateTime());
          } else {
            r.put("status", kra.outboxOf(number).map(m -> m.status() + ": " + m.lastError()).orElse("unknown"));
          }
          list.add(r);
        }
      }
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("dataDir", dir.root().toString());
      summary.put("deviceId", reg.deviceId());
      summary.put("authority", "kra");
      summary.put("transport", "vscu");
      summary.put("sdcId", reg.sdcId());
      summary.put("receipts", receipts.size());
      summary.put("synced", synced);
      summary.put("pending", last.pending());
      summary.put("rejected", last.rejected());
      summary.put("scuReceipts", list);
      summary.put("simulatorInvoices", sim.branch(PIN, "00").invcNos());
      summary.put("dayNo", z.dayNo());
      summary.put("auditOk", audit.ok());
      summary.put("elapsedMs", (System.nanoTime() - started) / 1_000_000);
      step(say, "Summary");
      cmd.result(summary, String.format("%d receipts issued, %d signed by eTIMS (invoice numbers %s), day %d closed,"
          + " audit %s.%nLook around: fiscalctl --data-dir %s kra receipt INV-000001 | kra items | status",
          receipts.size(), synced, summary.get("simulatorInvoices"), z.dayNo(), audit.ok() ? "passed" : "FAILED",
          dir.root()));
      return audit.ok() && synced == receipts.size() ? 0 : 1;
    }
  }

  private static void step(PrintStream say, String title) {
    say.println();
    say.println("== " + title + " ==");
  }
}
