package io.fiscald.bench.drain;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraRegistrar;
import io.fiscald.agent.authority.kra.KraRegistration;
import io.fiscald.agent.authority.kra.KraRuntime;
import io.fiscald.agent.authority.kra.KraSync;
import io.fiscald.agent.authority.zimra.FdmsClient;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraOnboarding;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.authority.zimra.ZimraState;
import io.fiscald.agent.authority.zimra.ZimraSync;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.agent.tax.TaxRate;
import io.fiscald.bench.harness.Machine;
import io.fiscald.bench.harness.TempDirs;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.Transport;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsSimulator;
import io.fiscald.store.secret.Secret;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code fiscalctl bench drain}: a till back online after a long outage. Builds an offline backlog of N
 * receipts (issued with no sync running), then times the sync draining it to the real simulator: ZIMRA's
 * FDMS over mutual TLS (openDay, then submitReceipt in receiptGlobalNo order, as {@code fiscalctl sync}
 * does through ZimraSync), or KRA's eTIMS (saveTrnsSalesOsdc in invcNo order through KraSync).
 */
public final class DrainBench {
  /** The simulators are loopback sandbox test doubles, which the environment guard allows only in test mode. */
  private static final Map<String, String> SIMULATOR_ENV = Map.of("FISCALD_TEST_MODE", "true");

  private static final int ZIMRA_DEVICE_ID = 30777;
  private static final String ZIMRA_SERIAL = "SN-BENCH-1";
  private static final String ZIMRA_ACTIVATION_KEY = "BENCH123";
  private static final String KRA_PIN = "P051234567X";
  private static final String KRA_SERIAL = "FISCALD-BENCH-01";
  /** How many receipts are in the writer's queue at once while the backlog is built. */
  private static final int ISSUE_WINDOW = 256;

  private DrainBench() {}

  public enum Authority { ZIMRA, KRA }

  public static Map<String, Object> run(Authority authority, int receipts) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("authority", authority.name().toLowerCase(Locale.ROOT));
    report.put("receipts", receipts);
    Path root = TempDirs.create("fiscald-bench-drain-");
    try {
      DataDirectory dir = new DataDirectory(root.resolve("data"));
      if (authority == Authority.ZIMRA) {
        zimra(dir, receipts, report);
      } else {
        kra(dir, receipts, report);
      }
      report.put("loadAverageAfter", Machine.loadAverage());
      return report;
    } catch (Exception e) {
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    } finally {
      TempDirs.delete(root);
    }
  }

  private static void zimra(DataDirectory dir, int receipts, Map<String, Object> report) throws Exception {
    Clock clock = Clock.systemUTC();
    Map<String, String> env = SIMULATOR_ENV;
    try (FdmsSimulator sim = FdmsSimulator.start(FdmsSimulator.Options.builder()
        .clock(Clock.system(ZoneId.of("Africa/Harare"))).build())) {
      sim.addDevice(FdmsDevice.builder(ZIMRA_DEVICE_ID, ZIMRA_SERIAL, ZIMRA_ACTIVATION_KEY).build());
      ZimraOnboarding.register(dir, env, new ZimraOnboarding.Request(ZIMRA_DEVICE_ID, ZIMRA_SERIAL,
          Secret.ofUtf8(ZIMRA_ACTIVATION_KEY), "sandbox", sim.baseUrl(), sim.caCertificatePem(), KeyAlgorithm.EC_P256,
          "USD", null), clock);
      try (Agent agent = Agent.open(dir, env, clock); Connection state = agent.newStateConnection()) {
        agent.core().openDay();
        String sale = "{\"type\":\"INVOICE\",\"currency\":\"USD\",\"lines\":[{\"name\":\"Sugar 2kg\",\"quantity\":\"2\","
            + "\"unitPrice\":\"2.10\",\"taxCode\":\"" + standardRate(agent.core().profile().taxTable().rates())
            + "\",\"code\":\"SKU-1\",\"hsCode\":\"17019910\"}],\"payments\":[{\"method\":\"CASH\",\"amount\":\"4.20\"}]}";
        report.put("backlog", backlog(agent, sale, receipts));
        try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(),
            agent.config().testMode(), clock)) {
          ZimraSync sync = new ZimraSync(state, client, ZimraState.requireSettings(state),
              (ZimraProfile) agent.core().profile(), clock, Duration.ofMillis(50), 600);
          long before = sync.status().pending();
          long t0 = System.nanoTime();
          ZimraSync.Step last = sync.drain(Integer.MAX_VALUE);
          double seconds = (System.nanoTime() - t0) / 1e9;
          ZimraSync.Status after = sync.status();
          long sent = before - after.pending();
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("transport", "HTTPS, mutual TLS (FdmsSimulator)");
          d.put("lastStep", last.name());
          d.put("sent", sent);
          d.put("pending", after.pending());
          d.put("rejected", after.rejected());
          d.put("seconds", round(seconds));
          d.put("receiptsPerSecond", round(sent / seconds));
          d.put("serverLastReceiptGlobalNo", client.getStatus().path("lastReceiptGlobalNo").asLong());
          d.put("lastSentGlobalNo", after.lastSentGlobalNo());
          report.put("drain", d);
        }
      }
    }
  }

  private static void kra(DataDirectory dir, int receipts, Map<String, Object> report) throws Exception {
    Clock clock = Clock.systemUTC();
    Map<String, String> env = SIMULATOR_ENV;
    try (EtimsSimulator sim = EtimsSimulator.start()) {
      sim.registerDevice(KRA_PIN, "00", KRA_SERIAL);
      sim.registerTaxpayer(KRA_PIN, "Bench Shop Ltd");
      KraConfig config = KraConfig.of(KRA_PIN, "00", KRA_SERIAL, "sandbox", "oscu", sim.baseUrl(Transport.OSCU))
          .withTrackStock(true); // eTIMS refuses sales of items it holds no stock of (resultCd 910)
      KraRegistrar.register(dir, env, new KraRegistration(config, null, null, null, null, false), clock);
      try (Agent agent = Agent.open(dir, env, clock)) {
        agent.core().openDay();
        String sale = "{\"currency\":\"KES\",\"lines\":[{\"name\":\"Sugar 1kg\",\"quantity\":\"2\",\"unitPrice\":"
            + "\"522.00\",\"taxCode\":\"B\",\"code\":\"SKU-1\"}],\"payments\":[{\"method\":\"CASH\",\"amount\":"
            + "\"1044.00\"}]}";
        report.put("backlog", backlog(agent, sale, receipts));
        try (KraRuntime kra = KraRuntime.attach(agent, clock)) {
          long t0 = System.nanoTime();
          KraSync.Result r = kra.sync();
          double seconds = (System.nanoTime() - t0) / 1e9;
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("transport", "OSCU over HTTP (EtimsSimulator)");
          d.put("sent", r.sent());
          d.put("pending", r.pending());
          d.put("rejected", r.rejected());
          d.put("blocked", r.blocked());
          d.put("lastError", r.lastError());
          d.put("seconds", round(seconds));
          d.put("receiptsPerSecond", round(r.sent() / seconds));
          d.put("serverInvoices", sim.branch(KRA_PIN, "00").invcNos().size());
          report.put("drain", d);
        }
      }
    }
  }

  /** Issues {@code n} receipts with nothing syncing (the till was offline), a window at a time. */
  private static Map<String, Object> backlog(Agent agent, String sale, int n) {
    ReceiptRequest request = new ReceiptRequestParser().parse(sale.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    long t0 = System.nanoTime();
    List<CompletableFuture<IssuedReceipt>> window = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      window.add(agent.core().submit(request));
      if (window.size() == ISSUE_WINDOW || i == n - 1) {
        window.forEach(FiscalCore::await);
        window.clear();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("issued", n);
    b.put("seconds", round(seconds));
    b.put("receiptsPerSecond", round(n / seconds));
    return b;
  }

  /** The standard VAT rate among FDMS getConfig's taxes (the highest positive, non-exempt percentage). */
  private static String standardRate(List<TaxRate> rates) {
    return rates.stream().filter(r -> !r.exempt() && r.percent().signum() > 0
            && !r.label().toLowerCase(Locale.ROOT).contains("non-vat"))
        .max((a, b) -> a.percent().compareTo(b.percent())).map(TaxRate::code)
        .orElseThrow(() -> new IllegalStateException("FDMS getConfig lists no standard-rated tax"));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
