package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.fiscald.store.secret.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks against a real receiving server on loopback: signatures, retries, restarts, dead letters. */
class WebhookTest {
  static final String SECRET = "a-long-shared-secret-0123456789";

  @TempDir Path tmp;
  HttpServer receiver;
  final List<Delivery> received = new ArrayList<>();
  final AtomicInteger failNext = new AtomicInteger();

  record Delivery(String eventId, String type, String signature, String body, int attempt) {}

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
      synchronized (received) {
        received.add(new Delivery(ex.getRequestHeaders().getFirst("Fiscald-Event-Id"),
            ex.getRequestHeaders().getFirst("Fiscald-Event-Type"), ex.getRequestHeaders().getFirst("Fiscald-Signature"),
            body, Integer.parseInt(ex.getRequestHeaders().getFirst("Fiscald-Delivery-Attempt"))));
        received.notifyAll();
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  String hookUrl() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  /** Waits (without sleeping blindly) until {@code n} deliveries have arrived. */
  List<Delivery> awaitDeliveries(int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    synchronized (received) {
      while (received.size() < n && System.nanoTime() < deadline) {
        received.wait(1000);
      }
      assertThat(received).as("deliveries").hasSizeGreaterThanOrEqualTo(n);
      return List.copyOf(received);
    }
  }

  static ApiFixture fixture(Path tmp) {
    return new ApiFixture(tmp, c -> c.withWebhookRetry(3, Duration.ofMillis(50), Duration.ofMillis(200)));
  }

  void subscribe(ApiFixture f, String events) {
    ApiClient.Answer a = f.client.post("/v1/webhooks", f.admin, "sub-" + events.hashCode(),
        "{\"url\": \"" + hookUrl() + "\", \"events\": " + events + ", \"secret\": \"" + SECRET + "\"}");
    assertThat(a.status()).as("%s", a).isEqualTo(201);
    assertThat(a.body()).doesNotContain(SECRET);
  }

  static void assertSigned(Delivery d) {
    String[] parts = d.signature().split(",");
    assertThat(parts[0]).startsWith("t=");
    assertThat(parts[1]).startsWith("v1=");
    long t = Long.parseLong(parts[0].substring(2));
    assertThat(parts[1].substring(3)).isEqualTo(WebhookDispatcher.sign(Secret.ofUtf8(SECRET), t, d.body()));
    assertThat(parts[1].substring(3)).isNotEqualTo(WebhookDispatcher.sign(Secret.ofUtf8(SECRET), t,
        d.body() + " "));
  }

  @Test
  void receiptAndDayEventsArriveSignedAndAreRetriedAfterFailures() throws Exception {
    try (ApiFixture f = fixture(tmp)) {
      subscribe(f, "[\"receipt.issued\", \"day.closed\"]");
      f.openDay();
      failNext.set(2); // the first two attempts get HTTP 500
      JsonNode sale = f.sell("s1").json();
      List<Delivery> d = awaitDeliveries(3);
      assertThat(d.subList(0, 3)).extracting(Delivery::eventId).containsOnly(d.get(0).eventId());
      assertThat(d.subList(0, 3)).extracting(Delivery::attempt).containsExactly(1, 2, 3);
      d.forEach(WebhookTest::assertSigned);
      JsonNode event = ApiClient.JSON.readTree(d.get(2).body());
      assertThat(event.path("type").asText()).isEqualTo("receipt.issued");
      assertThat(event.path("id").asText()).isEqualTo(d.get(2).eventId());
      assertThat(event.path("data").path("receiptNumber").asText()).isEqualTo(sale.path("receiptNumber").asText());
      assertThat(event.path("data").path("hash").asText()).isEqualTo(sale.path("hash").asText());

      f.client.post("/v1/day/close", f.technician, "close", "");
      List<Delivery> after = awaitDeliveries(4);
      assertThat(after.get(3).type()).isEqualTo("day.closed");
      assertThat(ApiClient.JSON.readTree(after.get(3).body()).path("data").path("receiptCount").asInt()).isEqualTo(1);
    }
  }

  /**
   * Without a subscriber the dispatcher reads nothing; a subscription gets the events of what is committed
   * after it, never a backlog of what was issued while nobody listened (also after its last one was deleted).
   */
  @Test
  void aNewSubscriptionGetsOnlyTheEventsCommittedAfterIt() throws Exception {
    try (ApiFixture f = fixture(tmp)) {
      f.openDay();
      f.sell("before-1");
      f.sell("before-2");
      subscribe(f, "[\"receipt.issued\"]");
      JsonNode after = f.sell("after-1").json();
      Delivery first = awaitDeliveries(1).get(0);
      assertThat(ApiClient.JSON.readTree(first.body()).path("data").path("receiptNumber").asText())
          .isEqualTo(after.path("receiptNumber").asText());

      long id = f.client.get("/v1/webhooks", f.admin).json().path("webhooks").get(0).path("id").asLong();
      assertThat(f.client.delete("/v1/webhooks/" + id, f.admin).status()).isEqualTo(200);
      f.sell("unwatched");
      ApiClient.Answer again = f.client.post("/v1/webhooks", f.admin, "sub-again",
          "{\"url\": \"" + hookUrl() + "\", \"events\": [\"receipt.issued\"], \"secret\": \"" + SECRET + "\"}");
      assertThat(again.status()).as("%s", again).isEqualTo(201);
      JsonNode later = f.sell("after-2").json();
      Delivery second = awaitDeliveries(2).get(1);
      assertThat(ApiClient.JSON.readTree(second.body()).path("data").path("receiptNumber").asText())
          .isEqualTo(later.path("receiptNumber").asText());
    }
  }

  @Test
  void aDeliveryThatKeepsFailingIsDeadLetteredAndVisibleInStatus() throws Exception {
    try (ApiFixture f = new ApiFixture(tmp, c -> c.withWebhookRetry(2, Duration.ofMillis(50),
        Duration.ofMillis(50)))) {
      subscribe(f, "[\"receipt.issued\"]");
      f.openDay();
      failNext.set(Integer.MAX_VALUE);
      f.sell("s1");
      List<Delivery> d = awaitDeliveries(2);
      assertThat(d).extracting(Delivery::attempt).containsExactly(1, 2);
      JsonNode dead = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) { // the dead mark follows the second answer closely
        dead = f.client.get("/v1/webhooks/deliveries?status=DEAD", f.admin).json().path("deliveries");
        if (dead.size() == 1) {
          break;
        }
        synchronized (received) {
          received.wait(50);
        }
      }
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).path("eventId").asText()).isEqualTo("evt-TEST-0001-3");
      assertThat(dead.get(0).path("lastError").asText()).isEqualTo("HTTP 500");
      assertThat(f.client.get("/v1/status", f.cashier).json().path("queues").path("webhooksDead").asLong())
          .isEqualTo(1);
      assertThat(f.client.get("/metrics", null).body()).contains("fiscald_webhook_deliveries{status=\"DEAD\"} 1");
      synchronized (received) {
        assertThat(received).hasSize(2); // given up: no third attempt
      }
    }
  }

  @Test
  void eventsQueuedBeforeAStopAreDeliveredAfterTheRestartWithTheSameIds() throws Exception {
    try (ApiFixture f = new ApiFixture(tmp, c -> c.withWebhookRetry(50, Duration.ofMillis(50),
        Duration.ofMillis(100)))) {
      subscribe(f, "[\"receipt.issued\"]");
      f.openDay();
      failNext.set(Integer.MAX_VALUE); // refuse everything for now
      f.sell("s1");
      awaitDeliveries(1);
      f.daemon.close();
      failNext.set(0);
      synchronized (received) {
        received.clear();
      }
      f.start();
      List<Delivery> d = awaitDeliveries(1);
      assertThat(d.get(0).eventId()).isEqualTo("evt-TEST-0001-3");
      assertThat(d.get(0).attempt()).isGreaterThan(1); // a replay of the same event: the id says so
      assertSigned(d.get(0));
    }
  }

  @Test
  void badSubscriptionsAreRefused() {
    try (ApiFixture f = fixture(tmp)) {
      ApiTest.assertError(f.client.post("/v1/webhooks", f.admin, "b1",
          "{\"url\": \"ftp://x\", \"events\": [\"*\"], \"secret\": \"" + SECRET + "\"}"), 400, "INVALID_FIELD");
      ApiTest.assertError(f.client.post("/v1/webhooks", f.admin, "b2",
          "{\"url\": \"" + hookUrl() + "\", \"events\": [\"receipt.eaten\"], \"secret\": \"" + SECRET + "\"}"), 400,
          "INVALID_FIELD");
      ApiTest.assertError(f.client.post("/v1/webhooks", f.admin, "b3",
          "{\"url\": \"" + hookUrl() + "\", \"events\": [\"*\"], \"secret\": \"short\"}"), 400, "INVALID_FIELD");
      ApiTest.assertError(f.client.post("/v1/webhooks", f.admin, "b4", "{\"url\": 1,"), 400, "MALFORMED_JSON");
      assertThat(f.client.get("/v1/webhooks", f.admin).json().path("webhooks").size()).isZero();
    }
  }

  @Test
  void alertsAreRaisedAndClearedAsEvents() throws Exception {
    try (ApiFixture f = new ApiFixture(tmp, c -> c.withAlerts(new ApiConfig.AlertThresholds(Duration.ofMinutes(30),
        0.9, Duration.ofMinutes(5), Duration.ofHours(48), Duration.ofDays(14), Duration.ofMinutes(2), 0,
        Duration.ofMillis(50))))) {
      subscribe(f, "[\"alert.raised\", \"alert.cleared\"]");
      f.openDay(); // with a 48 h warning on a 24 h day, the close is due at once
      List<Delivery> raised = awaitDeliveries(1);
      JsonNode event = ApiClient.JSON.readTree(raised.get(0).body());
      assertThat(event.path("type").asText()).isEqualTo("alert.raised");
      assertThat(event.path("data").path("code").asText()).isEqualTo("DAY_CLOSE_DUE");
      assertThat(f.client.get("/v1/alerts", f.cashier).json().path("alerts").get(0).path("code").asText())
          .isEqualTo("DAY_CLOSE_DUE");
      f.client.post("/v1/day/close", f.technician, "close", "");
      List<Delivery> cleared = awaitDeliveries(2);
      assertThat(ApiClient.JSON.readTree(cleared.get(1).body()).path("type").asText()).isEqualTo("alert.cleared");
    }
  }
}
