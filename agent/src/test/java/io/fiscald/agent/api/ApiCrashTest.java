package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable before acknowledged, through the API: POS clients issue receipts concurrently over HTTP,
 * the daemon (a child JVM) is killed with SIGKILL at random moments and restarted. Every receipt that
 * got a 2xx is in the database with the hash it was answered with, a replayed key returns the same
 * answer after the crash, and the audit passes.
 */
class ApiCrashTest {
  private static final int CYCLES = 4;
  private static final int CLIENTS = 8;

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedReceiptSurvivesSigkillOfTheDaemon() throws Exception {
    DataDirectory dir = TestDevice.create(tmp.resolve("data"), Clock.systemUTC());
    String cashier;
    String technician;
    try (Connection c = Database.openForWriting(dir.database())) {
      cashier = TokenService.create(c, "pos", Role.CASHIER, Clock.systemUTC()).token().revealUtf8();
      technician = TokenService.create(c, "tech", Role.TECHNICIAN, Clock.systemUTC()).token().revealUtf8();
    }
    Random random = new Random(20261124L);
    Map<String, String> acknowledged = new ConcurrentHashMap<>(); // receipt number -> hash
    Map<String, String> answers = new ConcurrentHashMap<>(); // idempotency key -> exact answer
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      Process child = startChild(dir);
      ApiClient client = new ApiClient(awaitReady(child));
      if (cycle == 0) {
        assertThat(client.post("/v1/day/open", technician, "open", "").status()).isEqualTo(201);
      } else {
        // a key answered before the crash is replayed with the very same answer
        Map.Entry<String, String> any = answers.entrySet().iterator().next();
        ApiClient.Answer replay = client.post("/v1/receipts", cashier, any.getKey(), ApiFixture.SALE);
        assertThat(replay.body()).isEqualTo(any.getValue());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
      }
      int killAfter = 20 + random.nextInt(200);
      CountDownLatch enough = new CountDownLatch(killAfter);
      AtomicBoolean dead = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < CLIENTS; t++) {
        String prefix = "c" + cycle + "-t" + t + "-";
        Thread th = new Thread(() -> {
          for (int i = 0; !dead.get(); i++) {
            String key = prefix + i;
            ApiClient.Answer a;
            try {
              a = client.post("/v1/receipts", cashier, key, ApiFixture.SALE);
            } catch (RuntimeException e) {
              return; // the daemon died under this request: not acknowledged
            }
            if (a.status() == 201) {
              JsonNode n = a.json();
              acknowledged.put(n.path("receiptNumber").asText(), n.path("hash").asText());
              answers.put(key, a.body());
              enough.countDown();
            }
          }
        });
        th.start();
        clients.add(th);
      }
      assertThat(enough.await(120, TimeUnit.SECONDS)).as("cycle %d issued enough", cycle).isTrue();
      assertThat(child.isAlive()).isTrue();
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(137);
      dead.set(true);
      for (Thread th : clients) {
        th.join();
      }
    }
    assertThat(acknowledged).hasSizeGreaterThan(CYCLES * 20);

    try (Connection c = Database.openReadOnly(dir.database())) {
      for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
        ReceiptRecord row = Receipts.findByNumber(c, ack.getKey()).orElse(null);
        assertThat(row).as("acknowledged receipt %s is in the database", ack.getKey()).isNotNull();
        assertThat(HexFormat.of().formatHex(Journal.get(c, row.journalSeq()).orElseThrow().hash()))
            .as("hash of %s", ack.getKey()).isEqualTo(ack.getValue());
      }
      AuditReport audit = JournalAuditor.audit(c);
      assertThat(audit.finding()).isNull();
      assertThat(Database.integrityCheck(c)).isEqualTo("ok");
    }
  }

  private Process startChild(DataDirectory dir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), DaemonChildMain.class.getName(),
        dir.root().toString());
    pb.environment().putAll(TestDevice.ENV);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("child-stderr.log").toFile()));
    return pb.start();
  }

  private static URI awaitReady(Process child) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = r.readLine()) != null; ) {
      if (line.startsWith("READY ")) {
        return URI.create(line.substring(6).strip());
      }
    }
    throw new AssertionError("the daemon exited before it was ready (see child-stderr.log)");
  }
}
