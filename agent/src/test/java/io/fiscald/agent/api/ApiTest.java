package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.api.ApiClient.Answer;
import io.fiscald.store.IdempotencyKeys;
import io.fiscald.store.PrintJobs;
import io.fiscald.store.Receipts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint and error case of the local API, over real HTTP on loopback against a real device. */
class ApiTest {
  @TempDir Path tmp;
  ApiFixture f;

  @BeforeEach
  void setUp() {
    f = new ApiFixture(tmp);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  long receipts() throws Exception {
    try (Connection c = f.read()) {
      return Receipts.count(c);
    }
  }

  static void assertError(Answer a, int status, String code) {
    assertThat(a.status()).as("%s", a).isEqualTo(status);
    JsonNode e = a.json().path("error");
    assertThat(e.path("code").asText()).as("%s", a).isEqualTo(code);
    assertThat(e.path("message").asText()).isNotBlank();
    assertThat(e.path("details").isObject()).isTrue();
    assertThat(a.json().size()).isEqualTo(1);
  }

  @Test
  void healthAndReadinessNeedNoTokenAndReadinessSaysWhy() {
    Answer health = f.client.get("/healthz", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("alive");

    Answer notReady = f.client.get("/readyz", null);
    assertError(notReady, 503, "NOT_READY");
    assertThat(notReady.json().path("error").path("details").path("reasons").get(0).path("code").asText())
        .isEqualTo("DAY_NOT_OPEN");

    assertThat(f.openDay().status()).isEqualTo(201);
    Answer ready = f.client.get("/readyz", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().path("ready").asBoolean()).isTrue();

    f.clock.advance(Duration.ofHours(25));
    Answer tooLong = f.client.get("/readyz", null);
    assertError(tooLong, 503, "NOT_READY");
    assertThat(tooLong.body()).contains("DAY_TOO_LONG");
  }

  @Test
  void tokensAndRolesGateEveryCall() throws Exception {
    assertError(f.client.get("/v1/status", null), 401, "UNAUTHENTICATED");
    assertThat(f.client.get("/v1/status", null).header("WWW-Authenticate")).isNull();
    assertError(f.client.get("/v1/status", "fsd_not-a-real-token"), 401, "UNAUTHENTICATED");
    assertError(f.client.get("/v1/status", f.cashier.substring(0, f.cashier.length() - 1) + "x"), 401,
        "UNAUTHENTICATED");
    assertThat(f.client.get("/v1/status", f.cashier).status()).isEqualTo(200);

    // a cashier sells but does not manage days; a technician does not configure webhooks
    assertError(f.client.post("/v1/day/open", f.cashier, "k1", ""), 403, "FORBIDDEN");
    assertError(f.client.get("/v1/webhooks", f.technician), 403, "FORBIDDEN");
    assertThat(f.client.get("/v1/webhooks", f.admin).status()).isEqualTo(200);
    assertThat(f.client.post("/v1/day/open", f.admin, "k1", "").status()).isEqualTo(201);
    assertThat(f.sell("s1").status()).isEqualTo(201);
    assertThat(f.client.post("/v1/receipts", f.technician, "s1", ApiFixture.SALE).status()).isEqualTo(201);

    // revoked: refused at once
    try (Connection c = io.fiscald.store.Database.openForWriting(f.dir.database())) {
      TokenService.revoke(c, "pos-1", f.clock);
      // only hashes are stored: the token text is nowhere in the table
      assertThat(io.fiscald.store.ApiTokens.all(c)).allSatisfy(t -> {
        assertThat(t.tokenHash()).hasSize(32);
        assertThat(new String(t.tokenHash(), StandardCharsets.ISO_8859_1)).doesNotContain("fsd_");
      });
    }
    assertError(f.client.get("/v1/status", f.cashier), 401, "UNAUTHENTICATED");
    // nothing is stored for a refused request
    assertThat(receipts()).isEqualTo(2);
  }

  @Test
  void issuesAReceiptAndShowsItWithFiscalBlockPrintAndSyncState() throws Exception {
    f.openDay();
    Answer issued = f.sell("sale-1");
    assertThat(issued.status()).isEqualTo(201);
    JsonNode r = issued.json();
    assertThat(r.path("receiptNumber").asText()).isEqualTo("INV-000001");
    assertThat(r.path("total").asText()).isEqualTo("1044.00");
    assertThat(r.path("tax").asText()).isEqualTo("144.00");
    assertThat(r.path("hash").asText()).hasSize(64);

    Answer one = f.client.get("/v1/receipts/INV-000001", f.cashier);
    assertThat(one.status()).isEqualTo(200);
    JsonNode d = one.json();
    assertThat(d.path("receipt").path("receiptNumber").asText()).isEqualTo("INV-000001");
    assertThat(d.path("receipt").path("totalMinor").asLong()).isEqualTo(104400);
    assertThat(d.path("hash").asText()).isEqualTo(r.path("hash").asText());
    assertThat(d.path("fiscalBlock").toString()).contains("Verification code: " + r.path("verificationCode").asText());
    assertThat(d.path("print").path("state").asText()).isEqualTo("PENDING");
    assertThat(d.path("print").path("copies").asInt()).isZero();
    assertThat(d.path("sync").path("state").asText()).isEqualTo("NOT_REQUIRED");

    assertError(f.client.get("/v1/receipts/INV-999999", f.cashier), 404, "RECEIPT_NOT_FOUND");
  }

  @Test
  void creditAndDebitNotesGoThroughTheSameEndpointByType() {
    f.openDay();
    f.sell("sale-1");
    Answer credit = f.client.post("/v1/receipts", f.cashier, "crn-1", """
        {"type": "CREDIT_NOTE", "currency": "KES", "original": {"receiptNumber": "INV-000001"}, "reason": "returned",
         "lines": [{"name": "Sugar 1kg", "quantity": "1", "unitPrice": "522.00", "taxCode": "B"}],
         "payments": [{"method": "CASH", "amount": "522.00"}]}""");
    assertThat(credit.status()).as("%s", credit).isEqualTo(201);
    assertThat(credit.json().path("receiptNumber").asText()).isEqualTo("CRN-000001");
    Answer debit = f.client.post("/v1/receipts", f.cashier, "dbn-1", """
        {"type": "DEBIT_NOTE", "currency": "KES", "original": {"receiptNumber": "INV-000001"}, "reason": "underbilled",
         "lines": [{"name": "Sugar 1kg", "quantity": "1", "unitPrice": "10.00", "taxCode": "B"}],
         "payments": [{"method": "CASH", "amount": "10.00"}]}""");
    assertThat(debit.json().path("receiptNumber").asText()).isEqualTo("DBN-000001");
    Answer tooMuch = f.client.post("/v1/receipts", f.cashier, "crn-2", """
        {"type": "CREDIT_NOTE", "currency": "KES", "original": {"receiptNumber": "INV-000001"}, "reason": "returned",
         "lines": [{"name": "Sugar 1kg", "quantity": "2", "unitPrice": "522.00", "taxCode": "B"}],
         "payments": [{"method": "CASH", "amount": "1044.00"}]}""");
    assertError(tooMuch, 422, "CREDIT_EXCEEDS_ORIGINAL");
  }

  @Test
  void listsAndSearchesByDayNumberTypeAndTime() {
    f.openDay();
    f.sell("a");
    f.clock.advance(Duration.ofMinutes(10));
    f.sell("b");
    f.client.post("/v1/day/close", f.technician, "close-1", "");
    f.openDay();
    f.clock.advance(Duration.ofMinutes(10));
    f.sell("c");

    assertThat(numbers(f.client.get("/v1/receipts", f.cashier))).containsExactly("INV-000001", "INV-000002",
        "INV-000003");
    assertThat(numbers(f.client.get("/v1/receipts?day=2", f.cashier))).containsExactly("INV-000003");
    assertThat(numbers(f.client.get("/v1/receipts?number=INV-000002", f.cashier))).containsExactly("INV-000002");
    assertThat(numbers(f.client.get("/v1/receipts?type=CREDIT_NOTE", f.cashier))).isEmpty();
    assertThat(numbers(f.client.get("/v1/receipts?from=2026-11-24T06:05:00Z&to=2026-11-24T06:15:00Z",
        f.cashier))).containsExactly("INV-000002");
    Answer page = f.client.get("/v1/receipts?limit=2", f.cashier);
    assertThat(numbers(page)).containsExactly("INV-000001", "INV-000002");
    assertThat(numbers(f.client.get("/v1/receipts?limit=2&after=" + page.json().path("next").asLong(), f.cashier)))
        .containsExactly("INV-000003");
    assertError(f.client.get("/v1/receipts?day=two", f.cashier), 400, "INVALID_FIELD");
    assertError(f.client.get("/v1/receipts?from=yesterday", f.cashier), 400, "INVALID_FIELD");
    assertError(f.client.get("/v1/receipts?colour=red", f.cashier), 400, "INVALID_FIELD");
  }

  private static java.util.List<String> numbers(Answer a) {
    assertThat(a.status()).as("%s", a).isEqualTo(200);
    java.util.List<String> out = new java.util.ArrayList<>();
    a.json().path("receipts").forEach(n -> out.add(n.path("receiptNumber").asText()));
    return out;
  }

  @Test
  void reprintQueuesNumberedCopiesAndCancelIsRefusedByTheLocalProfile() throws Exception {
    f.openDay();
    f.sell("s");
    Answer first = f.client.post("/v1/receipts/INV-000001/reprint", f.cashier, "rp-1", "");
    assertThat(first.status()).as("%s", first).isEqualTo(202);
    assertThat(first.json().path("copy").asInt()).isEqualTo(1);
    Answer replay = f.client.post("/v1/receipts/INV-000001/reprint", f.cashier, "rp-1", "");
    assertThat(replay.body()).isEqualTo(first.body());
    Answer second = f.client.post("/v1/receipts/INV-000001/reprint", f.cashier, "rp-2", "");
    assertThat(second.json().path("copy").asInt()).isEqualTo(2);
    try (Connection c = f.read()) {
      long id = Receipts.findByNumber(c, "INV-000001").orElseThrow().id();
      assertThat(PrintJobs.maxCopy(c, id)).isEqualTo(2);
      assertThat(PrintJobs.pendingCount(c)).isEqualTo(3);
    }
    assertThat(f.client.get("/v1/receipts/INV-000001", f.cashier).json().path("print").path("copies").asInt())
        .isEqualTo(2);
    assertError(f.client.post("/v1/receipts/INV-404/reprint", f.cashier, "rp-3", ""), 404, "RECEIPT_NOT_FOUND");

    Answer cancel = f.client.post("/v1/receipts/INV-000001/cancel", f.cashier, "c-1", "");
    assertError(cancel, 409, "CANCEL_NOT_ALLOWED");
    assertThat(cancel.json().path("error").path("message").asText()).contains("credit note");
  }

  @Test
  void dayOpenCloseXReportAndStatus() {
    assertThat(f.client.get("/v1/day", f.cashier).json().path("status").asText()).isEqualTo("NONE");
    assertError(f.client.get("/v1/day/x-report", f.technician), 409, "DAY_NOT_OPEN");
    Answer open = f.openDay();
    assertThat(open.json().path("dayNo").asInt()).isEqualTo(1);
    assertThat(open.json().path("status").asText()).isEqualTo("OPEN");
    assertError(f.openDay(), 409, "DAY_ALREADY_OPEN");
    f.sell("s1");
    Answer day = f.client.get("/v1/day", f.cashier);
    assertThat(day.json().path("receipts").asInt()).isEqualTo(1);
    assertThat(day.json().path("closeDueAt").asText()).isEqualTo("2026-11-25T06:00:00.000Z");
    Answer x = f.client.get("/v1/day/x-report", f.technician);
    assertThat(x.json().path("kind").asText()).isEqualTo("X");
    assertThat(x.json().path("receiptCount").asInt()).isEqualTo(1);

    JsonNode status = f.client.get("/v1/status", f.cashier).json();
    assertThat(status.path("deviceId").asText()).isEqualTo("TEST-0001");
    assertThat(status.path("authority").asText()).isEqualTo("local");
    assertThat(status.path("environment").asText()).isEqualTo("sandbox");
    assertThat(status.path("day").path("status").asText()).isEqualTo("OPEN");
    assertThat(status.path("queues").path("printPending").asInt()).isEqualTo(1);
    assertThat(status.path("queues").path("outboxPending").asInt()).isZero();
    assertThat(status.path("sync").path("online").asBoolean()).isTrue();
    assertThat(status.path("printer").path("state").asText()).isEqualTo("NONE");
    assertThat(status.has("certificateExpiresAt")).isTrue();
    assertThat(status.has("clockDriftSeconds")).isTrue();
    assertThat(status.path("ready").asBoolean()).isTrue();

    Answer z = f.client.post("/v1/day/close", f.technician, "close", "");
    assertThat(z.status()).isEqualTo(200);
    assertThat(z.json().path("kind").asText()).isEqualTo("Z");
    assertThat(z.json().path("receiptCount").asInt()).isEqualTo(1);
    assertError(f.client.post("/v1/day/close", f.technician, "close-again", ""), 409, "DAY_NOT_OPEN");
    assertError(f.client.post("/v1/day/open", f.technician, "o", "{\"dayNo\": 7}"), 400, "INVALID_FIELD");
  }

  @Test
  void malformedOversizedAndInvalidBodiesAreRefusedAndStoreNothing() throws Exception {
    f.openDay();
    assertError(f.client.post("/v1/receipts", f.cashier, "m1", "{\"currency\": "), 400, "MALFORMED_JSON");
    assertError(f.client.post("/v1/receipts", f.cashier, "m2", ApiFixture.SALE.replace("\"currency\"",
        "\"colour\": \"red\", \"currency\"")), 400, "INVALID_FIELD");
    assertError(f.client.post("/v1/receipts", f.cashier, "m3", "[".repeat(100) + "]".repeat(100)), 400,
        "MALFORMED_JSON");
    byte[] huge = new byte[300 * 1024];
    Arrays.fill(huge, (byte) ' ');
    assertError(f.client.postBytes("/v1/receipts", f.cashier, "m4", huge), 413, "REQUEST_TOO_LARGE");
    assertError(f.client.post("/v1/receipts", f.cashier, "m5", ApiFixture.SALE.replace("\"B\"", "\"Z\"")), 422,
        "UNKNOWN_TAX_CODE");
    assertError(f.client.post("/v1/receipts", f.cashier, "m6", ApiFixture.SALE.replace("1044.00\"}]",
        "10.00\"}]")), 422, "PAYMENTS_DO_NOT_COVER_TOTAL");
    assertError(f.client.get("/v1/nothing-here", f.cashier), 404, "NOT_FOUND");
    Answer wrongMethod = f.client.method("PUT", "/v1/receipts", f.cashier);
    assertError(wrongMethod, 405, "METHOD_NOT_ALLOWED");
    assertThat(wrongMethod.header("Allow")).contains("POST").contains("GET");
    assertThat(receipts()).isZero();
    try (Connection c = f.read()) {
      assertThat(IdempotencyKeys.count(c)).as("refused requests leave no key").isEqualTo(1); // the day open's
    }
  }

  @Test
  void idempotentReplaysReturnTheExactAnswerEvenAfterARestart() throws Exception {
    assertError(f.client.post("/v1/receipts", f.cashier, null, ApiFixture.SALE), 400, "IDEMPOTENCY_KEY_REQUIRED");
    // refused (no day open): nothing stored, so the same key works once the day is open
    assertError(f.sell("sale-42"), 409, "DAY_NOT_OPEN");
    f.openDay();
    Answer first = f.sell("sale-42");
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isNull();

    Answer replay = f.sell("sale-42");
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(receipts()).isEqualTo(1);

    Answer otherBody = f.client.post("/v1/receipts", f.cashier, "sale-42", ApiFixture.SALE.replace("\"2\"", "\"3\"")
        .replace("1044.00", "1566.00"));
    assertError(otherBody, 409, "IDEMPOTENCY_KEY_REUSED");
    // keys are per token: another token's same key is another request
    assertThat(f.client.post("/v1/receipts", f.technician, "sale-42", ApiFixture.SALE).status()).isEqualTo(201);
    assertThat(receipts()).isEqualTo(2);

    f.restart();
    Answer afterRestart = f.sell("sale-42");
    assertThat(afterRestart.body()).isEqualTo(first.body());
    assertThat(afterRestart.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(receipts()).isEqualTo(2);

    // the stored answer was written with the receipt: both or neither
    try (Connection c = f.read()) {
      assertThat(IdempotencyKeys.find(c, "pos-1", "sale-42")).get()
          .satisfies(k -> assertThat(k.response()).isEqualTo(first.body()));
    }
  }

  @Test
  void idempotencyKeysExpire() throws Exception {
    f.openDay();
    Answer first = f.sell("daily-key");
    f.clock.advance(Duration.ofHours(25)); // default TTL 24 h
    f.client.post("/v1/day/close", f.technician, "close", "");
    f.openDay();
    Answer again = f.sell("daily-key");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isNull();
    assertThat(again.json().path("receiptNumber").asText()).isNotEqualTo(first.json().path("receiptNumber").asText());
    assertThat(receipts()).isEqualTo(2);
  }

  @Test
  void concurrentRequestsWithOneKeyIssueOneReceipt() throws Exception {
    f.openDay();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    java.util.List<java.util.concurrent.Future<Answer>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 16; i++) {
      answers.add(pool.submit(() -> f.sell("same-key")));
    }
    java.util.Set<String> bodies = new java.util.HashSet<>();
    for (var a : answers) {
      Answer x = a.get();
      if (x.status() == 201) {
        bodies.add(x.body());
      } else {
        assertError(x, 409, "IDEMPOTENCY_KEY_IN_USE");
      }
    }
    pool.shutdown();
    assertThat(bodies).hasSize(1);
    assertThat(receipts()).isEqualTo(1);
  }

  private static long metric(String body, String name) {
    return body.lines().filter(l -> l.startsWith(name + " ")).map(l -> Long.parseLong(l.substring(name.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in /metrics"));
  }

  @Test
  void metricsAreInThePrometheusTextFormat() {
    f.openDay();
    f.sell("a");
    f.sell("b");
    f.client.get("/v1/receipts/INV-000001", f.cashier);
    Answer m = f.client.get("/metrics", null);
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.header("Content-Type")).startsWith("text/plain; version=0.0.4");
    assertThat(m.body())
        .contains("fiscald_receipts_issued_total{type=\"INVOICE\"} 2\n")
        .contains("fiscald_receipts_issued_total{type=\"CREDIT_NOTE\"} 0\n")
        .contains("# TYPE fiscald_sync_attempts_total counter\n")
        .contains("fiscald_sync_successes_total 0\n")
        .contains("fiscald_sync_failures_total 0\n")
        .contains("fiscald_sync_latency_seconds_count 0\n")
        .contains("fiscald_outbox_depth 0\n")
        .contains("fiscald_offline_seconds 0\n")
        .contains("fiscald_print_failures_total 0\n")
        .contains("fiscald_api_request_duration_seconds_count{method=\"POST\",route=\"/v1/receipts\"} 2\n")
        .contains("fiscald_api_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/receipts/{number}\",le=\"+Inf\"} 1\n")
        .contains("fiscald_api_responses_total{method=\"POST\",route=\"/v1/receipts\",status=\"201\"} 2\n");
    // group commit: the day opening and both sales were committed, in at most that many transactions
    long commits = metric(m.body(), "fiscald_journal_commits_total");
    long events = metric(m.body(), "fiscald_journal_committed_events_total");
    assertThat(events).isGreaterThanOrEqualTo(3);
    assertThat(commits).isBetween(1L, events);
    for (String line : m.body().split("\n")) {
      assertThat(line).matches("(# (HELP|TYPE) .+|[a-z_]+(\\{([a-z_]+=\"[^\"]*\",?)+\\})? -?[0-9.eE+-]+)");
    }
  }

  @Test
  void theDaemonLeavesItsAddressAndAPrivateTechnicianTokenForFiscalctl() throws Exception {
    DaemonInfo info = DaemonInfo.read(f.dir).orElseThrow();
    assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(info.url()).isEqualTo(f.daemon.server().baseUri());
    Path tokenFile = DaemonInfo.tokenFile(f.dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    String token = Files.readString(tokenFile).strip();
    assertThat(f.client.post("/v1/day/open", token, "k", "").status()).isEqualTo(201);
    f.restart();
    assertError(f.client.get("/v1/status", token), 401, "UNAUTHENTICATED"); // renewed at each start
    f.daemon.close();
    assertThat(DaemonInfo.read(f.dir)).isEmpty();
    f.start();
  }
}
