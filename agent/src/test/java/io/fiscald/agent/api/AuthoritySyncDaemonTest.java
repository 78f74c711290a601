package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraRegistrar;
import io.fiscald.agent.authority.kra.KraRegistration;
import io.fiscald.agent.authority.zimra.ZimraOnboarding;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.sync.SyncState;
import io.fiscald.agent.sync.SyncWorker;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.Transport;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsSimulator;
import io.fiscald.store.Database;
import io.fiscald.store.secret.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fiscalctl serve} on a ZIMRA or KRA device, in process against the authority simulators on
 * loopback: receipts taken over HTTP reach the authority without a manual sync, status shows the sync
 * state, receipt.synced webhooks arrive, and an unreachable authority raises and then clears the alerts.
 */
class AuthoritySyncDaemonTest {
  static final int ZIMRA_DEVICE = 30199;
  static final String KRA_PIN = "P051234567X";
  static final String KRA_SERIAL = "SN-KRA-0001";
  static final String ZIMRA_SALE = """
      {"currency": "USD", "lines": [{"name": "Bread", "quantity": "2", "unitPrice": "1.55", "taxCode": "517",
       "hsCode": "19059000"}], "payments": [{"method": "CASH", "amount": "3.10"}]}""";
  static final Duration PATIENCE = Duration.ofSeconds(60);

  final Clock clock = Clock.systemUTC();
  @TempDir Path tmp;
  HttpServer receiver;
  final List<JsonNode> events = new ArrayList<>();
  Daemon daemon;
  ApiClient client;
  String cashier;
  String technician;
  String admin;

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", ex -> {
      JsonNode event = ApiClient.JSON.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      synchronized (events) {
        events.add(event);
        events.notifyAll();
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
    receiver.stop(0);
  }

  /** Short alert thresholds and fast alert checks; free-disk alert off (the test machine is not the till). */
  static ApiConfig config() {
    return ApiConfig.defaults().withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false)
        .withWebhookRetry(20, Duration.ofMillis(50), Duration.ofMillis(200))
        .withAlerts(new ApiConfig.AlertThresholds(Duration.ofMillis(300), 0.90, Duration.ofSeconds(3),
            Duration.ofHours(1), Duration.ofDays(14), Duration.ofMinutes(2), 0, Duration.ofMillis(50)));
  }

  static final SyncWorker.Settings PACING = new SyncWorker.Settings(Duration.ofMillis(500), Duration.ofMillis(50),
      Duration.ofMillis(200), Duration.ofHours(1));

  void serve(DataDirectory dir) throws Exception {
    try (Connection c = Database.openForWriting(dir.database())) {
      cashier = TokenService.create(c, "pos-1", Role.CASHIER, clock).token().revealUtf8();
      technician = TokenService.create(c, "tech", Role.TECHNICIAN, clock).token().revealUtf8();
      admin = TokenService.create(c, "boss", Role.ADMIN, clock).token().revealUtf8();
    }
    startDaemon(dir, config());
    ApiClient.Answer sub = client.post("/v1/webhooks", admin, "sub-1", "{\"url\": \"http://127.0.0.1:"
        + receiver.getAddress().getPort() + "/hook\", \"events\": [\"receipt.synced\", \"receipt.rejected\","
        + " \"alert.raised\", \"alert.cleared\"], \"secret\": \"a-long-shared-secret-0123456789\"}");
    assertThat(sub.status()).as("%s", sub).isEqualTo(201);
    ApiClient.Answer open = client.post("/v1/day/open", technician, "open-1", "");
    assertThat(open.status()).as("%s", open).isEqualTo(201);
  }

  /** Starts the daemon on {@code dir} with its authority's sync worker (the subscriptions are in the database). */
  void startDaemon(DataDirectory dir, ApiConfig config) {
    daemon = Daemon.start(dir, TestDevice.ENV, config, agent -> {
      ApiHooks.Builder b = ApiHooks.builder(agent.device().authority());
      assertThat(AuthorityWorkers.install(b, agent, PACING, clock, null)).isNotNull();
      return b.build();
    }, clock);
    client = new ApiClient(daemon.server().baseUri());
  }

  String sell(String key, String body) {
    ApiClient.Answer a = client.post("/v1/receipts", cashier, key, body);
    assertThat(a.status()).as("%s", a).isEqualTo(201);
    return a.json().path("receiptNumber").asText();
  }

  JsonNode status() {
    ApiClient.Answer a = client.get("/v1/status", cashier);
    assertThat(a.status()).as("%s", a).isEqualTo(200);
    return a.json();
  }

  static boolean hasAlert(JsonNode status, String code) {
    for (JsonNode a : status.path("alerts")) {
      if (code.equals(a.path("code").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Polls {@code condition} (no blind sleeps: each round waits on the event list's monitor) until it holds. */
  void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      synchronized (events) {
        events.wait(50);
      }
    }
  }

  JsonNode awaitEvent(String what, Predicate<JsonNode> match) throws InterruptedException {
    JsonNode[] found = new JsonNode[1];
    await(what, () -> {
      synchronized (events) {
        found[0] = events.stream().filter(match).findFirst().orElse(null);
        return found[0] != null;
      }
    });
    return found[0];
  }

  static Predicate<JsonNode> synced(String receiptNumber) {
    return e -> "receipt.synced".equals(e.path("type").asText())
        && receiptNumber.equals(e.path("data").path("receiptNumber").asText());
  }

  static Predicate<JsonNode> alert(String type, String code) {
    return e -> type.equals(e.path("type").asText()) && code.equals(e.path("data").path("code").asText());
  }

  Map<String, Object> storedSyncState(DataDirectory dir, String authority) {
    try (Connection c = Database.openReadOnly(dir.database())) {
      return SyncState.view(c, authority);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** The outage half of both tests: offline since, the alerts raised, then cleared once the authority is back. */
  void outageAndRecovery(DataDirectory dir, String authority, Runnable down, Runnable up, String sale,
      BooleanSupplier thirdArrived) throws Exception {
    down.run();
    String offlineReceipt = sell("sale-3", sale); // receipts keep being taken while the authority is away
    await("offline since in /v1/status", () -> !status().path("sync").path("offlineSince").isNull());
    JsonNode offline = status();
    assertThat(offline.path("sync").path("online").asBoolean()).isFalse();
    assertThat(offline.path("queues").path("outboxPending").asLong()).isEqualTo(1);
    await("AUTHORITY_UNREACHABLE raised", () -> hasAlert(status(), "AUTHORITY_UNREACHABLE"));
    awaitEvent("alert.raised webhook", alert("alert.raised", "AUTHORITY_UNREACHABLE"));
    await("SYNC_SUCCESS_RATE_LOW raised", () -> hasAlert(status(), "SYNC_SUCCESS_RATE_LOW"));
    Map<String, Object> stored = storedSyncState(dir, authority); // what fiscalctl status shows
    assertThat(stored.get("offlineSince")).isNotNull();
    assertThat(stored.get("pending")).isEqualTo(1L);
    assertThat(stored.get("lastError")).isNotNull();

    up.run();
    await("the offline receipt at the authority", thirdArrived);
    awaitEvent("receipt.synced for the offline receipt", synced(offlineReceipt));
    await("back online", () -> status().path("sync").path("offlineSince").isNull());
    await("AUTHORITY_UNREACHABLE cleared", () -> !hasAlert(status(), "AUTHORITY_UNREACHABLE"));
    awaitEvent("alert.cleared webhook", alert("alert.cleared", "AUTHORITY_UNREACHABLE"));
    await("SYNC_SUCCESS_RATE_LOW cleared", () -> !hasAlert(status(), "SYNC_SUCCESS_RATE_LOW"));
    assertThat(status().path("queues").path("outboxPending").asLong()).isZero();
    Map<String, Object> after = storedSyncState(dir, authority);
    assertThat(after.get("offlineSince")).isNull();
    assertThat(after.get("pending")).isEqualTo(0L);
    assertThat(after.get("lastSyncAt")).isNotNull();
  }

  @Test
  void zimraReceiptsReachFdmsWithoutAManualSyncAndAnOutageIsAlerted() throws Exception {
    FdmsSimulator sim = FdmsSimulator.start(FdmsSimulator.Options.builder()
        .clock(Clock.system(ZoneId.of("Africa/Harare"))).closeDelay(Duration.ofMillis(20)).build());
    try (sim) {
      sim.addDevice(FdmsDevice.builder(ZIMRA_DEVICE, "SN-001", "ABC12345").build());
      DataDirectory dir = new DataDirectory(tmp.resolve("till"));
      ZimraOnboarding.register(dir, TestDevice.ENV, new ZimraOnboarding.Request(ZIMRA_DEVICE, "SN-001",
          Secret.ofUtf8("ABC12345"), "sandbox", sim.baseUrl(), sim.caCertificatePem(), KeyAlgorithm.EC_P256, "USD",
          null), clock);
      serve(dir);

      String first = sell("sale-1", ZIMRA_SALE);
      String second = sell("sale-2", ZIMRA_SALE);
      await("two receipts at FDMS", () -> sim.receipts(ZIMRA_DEVICE).size() == 2);
      await("outbox drained, last sync and clock drift in /v1/status", () -> {
        JsonNode now = status();
        return now.path("queues").path("outboxPending").asLong() == 0 && now.path("sync").path("lastSyncAt")
            .isTextual() && now.path("clockDriftSeconds").isNumber();
      });
      JsonNode s = status();
      assertThat(s.path("authority").asText()).isEqualTo("zimra");
      assertThat(s.path("sync").path("online").asBoolean()).isTrue();
      assertThat(s.path("sync").path("offlineSince").isNull()).isTrue();
      assertThat(s.path("sync").path("lastSyncAt").asText()).isNotBlank();
      assertThat(s.path("certificateExpiresAt").asText()).isNotBlank();
      assertThat(s.path("clockDriftSeconds").isNumber()).as("clock drift from FDMS's serverDate").isTrue();
      JsonNode event = awaitEvent("receipt.synced for the first receipt", synced(first));
      assertThat(event.path("data").path("authority").asText()).isEqualTo("zimra");
      assertThat(event.path("data").path("answer").path("serverSignatureVerified").asBoolean()).isTrue();
      awaitEvent("receipt.synced for the second receipt", synced(second));
      assertThat(sim.receipts(ZIMRA_DEVICE)).extracting(r -> r.receiptGlobalNo()).containsExactly(1, 2);

      outageAndRecovery(dir, "zimra", () -> sim.faults().refuseConnections(true),
          () -> sim.faults().refuseConnections(false), ZIMRA_SALE, () -> sim.receipts(ZIMRA_DEVICE).size() == 3);
      assertThat(sim.receipts(ZIMRA_DEVICE)).extracting(r -> r.receiptGlobalNo()).containsExactly(1, 2, 3);

      // the day close goes out too, with no manual sync
      assertThat(client.post("/v1/day/close", technician, "close-1", "").status()).isEqualTo(200);
      await("day closed on FDMS", () -> "FiscalDayClosed".equals(storedSyncState(dir, "zimra")
          .get("serverDayStatus")));
    }
  }

  @Test
  void theDaemonRenewsAZimraCertificateThatIsDueAndKeepsSyncingWithTheNewOne() throws Exception {
    // 20-day certificates: inside the default 30-day renewal window from the moment they are issued
    FdmsSimulator sim = FdmsSimulator.start(FdmsSimulator.Options.builder()
        .clock(Clock.system(ZoneId.of("Africa/Harare"))).certificateValidity(Duration.ofDays(20)).build());
    try (sim) {
      sim.addDevice(FdmsDevice.builder(ZIMRA_DEVICE, "SN-001", "ABC12345").build());
      DataDirectory dir = new DataDirectory(tmp.resolve("till"));
      ZimraOnboarding.register(dir, TestDevice.ENV, new ZimraOnboarding.Request(ZIMRA_DEVICE, "SN-001",
          Secret.ofUtf8("ABC12345"), "sandbox", sim.baseUrl(), sim.caCertificatePem(), KeyAlgorithm.EC_P256, "USD",
          null), clock);
      assertThat(sim.deviceCertificates(ZIMRA_DEVICE)).hasSize(1);
      serve(dir);
      await("a renewed certificate", () -> sim.deviceCertificates(ZIMRA_DEVICE).size() == 2);
      String sold = sell("sale-1", ZIMRA_SALE);
      awaitEvent("receipt.synced over the renewed certificate", synced(sold));
      assertThat(sim.receipts(ZIMRA_DEVICE)).hasSize(1);
      try (Connection c = Database.openReadOnly(dir.database())) {
        assertThat(io.fiscald.store.Journal.last(c).isPresent()).isTrue();
        try (var ps = c.prepareStatement("SELECT count(*) FROM journal WHERE kind = 'CERTIFICATE_CHANGED'");
            var rs = ps.executeQuery()) {
          assertThat(rs.next() && rs.getLong(1) == 1).as("one CERTIFICATE_CHANGED journal entry").isTrue();
        }
      }
    }
  }

  /** A KRA device registered against {@code sim} (VSCU); {@code trackStock} as given. */
  DataDirectory kraDevice(EtimsSimulator sim, boolean trackStock) {
    sim.registerDevice(KRA_PIN, "00", KRA_SERIAL);
    sim.registerTaxpayer(KRA_PIN, "Demo Shop Ltd");
    DataDirectory dir = new DataDirectory(tmp.resolve("till"));
    KraConfig config = KraConfig.of(KRA_PIN, "00", KRA_SERIAL, "sandbox", "vscu", sim.baseUrl(Transport.VSCU))
        .with(Map.of("callTimeoutSeconds", 5, "trackStock", trackStock));
    KraRegistrar.register(dir, TestDevice.ENV, new KraRegistration(config, null, null, null, null, false), clock);
    return dir;
  }

  @Test
  void kraReceiptsReachEtimsWithoutAManualSyncAndAnOutageIsAlerted() throws Exception {
    EtimsSimulator sim = EtimsSimulator.start(EtimsSimulator.Options.defaults());
    try (sim) {
      DataDirectory dir = kraDevice(sim, true);
      serve(dir);

      String first = sell("sale-1", ApiFixture.SALE);
      String second = sell("sale-2", ApiFixture.SALE);
      await("two invoices at eTIMS", () -> sim.branch(KRA_PIN, "00").invcNos().size() == 2);
      await("outbox drained and last sync in /v1/status", () -> status().path("queues").path("outboxPending")
          .asLong() == 0 && status().path("sync").path("lastSyncAt").isTextual());
      JsonNode s = status();
      assertThat(s.path("authority").asText()).isEqualTo("kra");
      assertThat(s.path("sync").path("lastSyncAt").asText()).isNotBlank();
      assertThat(s.path("sync").path("offlineSince").isNull()).isTrue();
      awaitEvent("receipt.synced for the first receipt", synced(first));
      JsonNode event = awaitEvent("receipt.synced for the second receipt", synced(second));
      assertThat(event.path("data").path("answer").path("cuInvoiceNo").asText()).isNotBlank();
      assertThat(sim.branch(KRA_PIN, "00").invoice(1).orElseThrow().trdInvcNo()).isEqualTo(first);
      assertThat(sim.branch(KRA_PIN, "00").invoice(2).orElseThrow().trdInvcNo()).isEqualTo(second);

      outageAndRecovery(dir, "kra", () -> sim.faults().refuseConnections(true),
          () -> sim.faults().refuseConnections(false), ApiFixture.SALE,
          () -> sim.branch(KRA_PIN, "00").invcNos().size() == 3);
      assertThat(sim.branch(KRA_PIN, "00").invcNos()).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void aReceiptEtimsRefusesBecomesAReceiptRejectedWebhookAndTheQueueMovesOn() throws Exception {
    EtimsSimulator sim = EtimsSimulator.start(EtimsSimulator.Options.defaults());
    try (sim) {
      DataDirectory dir = kraDevice(sim, false); // no opening stock: the simulator refuses the sale (910)
      serve(dir);
      String refused = sell("sale-1", ApiFixture.SALE);
      JsonNode event = awaitEvent("receipt.rejected", e -> "receipt.rejected".equals(e.path("type").asText())
          && refused.equals(e.path("data").path("receiptNumber").asText()));
      assertThat(event.path("data").path("authority").asText()).isEqualTo("kra");
      assertThat(event.path("data").path("error").asText()).contains("910");
      await("no receipt left pending", () -> status().path("queues").path("outboxPending").asLong() == 0);
      assertThat(status().path("queues").path("outboxRejected").asLong()).isEqualTo(1);
      assertThat(storedSyncState(dir, "kra").get("rejected")).isEqualTo(1L);
      synchronized (events) {
        assertThat(events).noneMatch(synced(refused));
      }
      assertThat(sim.branch(KRA_PIN, "00").invcNos()).isEmpty();
    }
  }

  @Test
  void aReceiptSyncedWhileNoDaemonRanBecomesAReceiptSyncedEventWithAStableIdAtTheNextStart() throws Exception {
    EtimsSimulator sim = EtimsSimulator.start(EtimsSimulator.Options.defaults());
    try (sim) {
      DataDirectory dir = kraDevice(sim, true);
      serve(dir);
      String deviceId = daemon.agent().device().deviceId();
      sim.faults().refuseConnections(true);
      String first = sell("sale-1", ApiFixture.SALE);
      await("the receipt pending", () -> status().path("queues").path("outboxPending").asLong() == 1);
      daemon.close();
      daemon = null;

      // the authority takes it while no daemon (no webhook dispatcher) runs: like a fiscalctl sync, or a
      // daemon killed between eTIMS's answer and the event
      sim.faults().refuseConnections(false);
      try (io.fiscald.agent.Agent agent = io.fiscald.agent.Agent.open(dir, TestDevice.ENV, clock)) {
        SyncWorker worker = SyncWorker.forDevice(agent, PACING, clock);
        try {
          await("the receipt at eTIMS", () -> sim.branch(KRA_PIN, "00").invcNos().size() == 1
              && Long.valueOf(0).equals(storedSyncState(dir, "kra").get("pending")));
        } finally {
          worker.close();
        }
      }
      synchronized (events) {
        assertThat(events).noneMatch(synced(first));
      }

      startDaemon(dir, config());
      JsonNode event = awaitEvent("receipt.synced from the outbox at start", synced(first));
      long outboxId = event.path("data").path("outboxId").asLong();
      assertThat(event.path("id").asText()).isEqualTo("evt-" + deviceId + "-outbox-" + outboxId);
      try (Connection c = Database.openReadOnly(dir.database())) {
        assertThat(io.fiscald.store.Outbox.get(c, outboxId).orElseThrow().status()).isEqualTo("SENT");
      }

      // another restart: the event is not produced again under another id
      daemon.close();
      startDaemon(dir, config());
      String second = sell("sale-2", ApiFixture.SALE);
      JsonNode next = awaitEvent("receipt.synced for the receipt after the restart", synced(second));
      assertThat(next.path("id").asText()).isEqualTo("evt-" + deviceId + "-outbox-"
          + next.path("data").path("outboxId").asLong());
      synchronized (events) {
        assertThat(events.stream().filter(synced(first)).map(e -> e.path("id").asText()).distinct())
            .containsExactly(event.path("id").asText());
        assertThat(events.stream().filter(synced(second)).map(e -> e.path("id").asText()).distinct()).hasSize(1);
      }
    }
  }

  @Test
  void aZimraCertificateNearItsExpiryAndClockDriftAreAlertedAndClearedWithTheirThresholds() throws Exception {
    FdmsSimulator sim = FdmsSimulator.start(FdmsSimulator.Options.builder()
        .clock(Clock.system(ZoneId.of("Africa/Harare"))).build());
    try (sim) {
      sim.addDevice(FdmsDevice.builder(ZIMRA_DEVICE, "SN-001", "ABC12345").build());
      DataDirectory dir = new DataDirectory(tmp.resolve("till"));
      ZimraOnboarding.register(dir, TestDevice.ENV, new ZimraOnboarding.Request(ZIMRA_DEVICE, "SN-001",
          Secret.ofUtf8("ABC12345"), "sandbox", sim.baseUrl(), sim.caCertificatePem(), KeyAlgorithm.EC_P256, "USD",
          null), clock);
      serve(dir);
      awaitEvent("receipt.synced", synced(sell("sale-1", ZIMRA_SALE))); // FDMS's answers give the drift
      await("certificate expiry and clock drift known", () -> status().path("certificateExpiresAt").isTextual()
          && status().path("clockDriftSeconds").isNumber());
      assertThat(hasAlert(status(), "CERTIFICATE_EXPIRING")).isFalse();
      assertThat(hasAlert(status(), "CLOCK_DRIFT")).isFalse();

      ApiConfig.AlertThresholds base = config().alerts();
      // a warning window longer than the certificate's life, and any measured drift counted as too much
      daemon.webhooks().alerts().thresholds(new ApiConfig.AlertThresholds(base.authorityUnreachable(),
          base.minSyncSuccessRate(), base.syncRateWindow(), base.dayCloseWarning(), Duration.ofDays(3650),
          Duration.ofSeconds(-1), base.minFreeDiskBytes(), base.checkInterval()));
      awaitEvent("CERTIFICATE_EXPIRING raised", alert("alert.raised", "CERTIFICATE_EXPIRING"));
      awaitEvent("CLOCK_DRIFT raised", alert("alert.raised", "CLOCK_DRIFT"));
      assertThat(hasAlert(status(), "CERTIFICATE_EXPIRING")).isTrue();
      assertThat(hasAlert(status(), "CLOCK_DRIFT")).isTrue();

      daemon.webhooks().alerts().thresholds(base);
      awaitEvent("CERTIFICATE_EXPIRING cleared", alert("alert.cleared", "CERTIFICATE_EXPIRING"));
      awaitEvent("CLOCK_DRIFT cleared", alert("alert.cleared", "CLOCK_DRIFT"));
      assertThat(hasAlert(status(), "CERTIFICATE_EXPIRING")).isFalse();
      assertThat(hasAlert(status(), "CLOCK_DRIFT")).isFalse();
    }
  }
}
