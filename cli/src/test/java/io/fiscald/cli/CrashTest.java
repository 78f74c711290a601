package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable before acknowledged: a child JVM issues receipts with {@code receipt issue --repeat} and is
 * killed with SIGKILL at random moments, over and over. Every receipt it printed (= acknowledged)
 * must be in the database with the same hash, the chain must verify and SQLite must be intact.
 */
class CrashTest {
  private static final int CYCLES = 12;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedReceiptSurvivesSigkill() throws Exception {
    Path data = tmp.resolve("data");
    assertThat(Main.run("--data-dir", data.toString(), "init")).isZero();
    assertThat(Main.run("--data-dir", data.toString(), "day", "open")).isZero();
    Path request = tmp.resolve("sale.json");
    Files.writeString(request, """
        {"currency": "KES", "lines": [{"name": "Sugar 1kg", "quantity": "2", "unitPrice": "522.00", "taxCode": "B"}],
         "payments": [{"method": "CASH", "amount": "1044.00"}]}""");

    Random random = new Random(20261124L);
    Map<String, String> acknowledged = new LinkedHashMap<>(); // receipt number -> chain hash
    int killedWhileRunning = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      Process child = ChildJvm.start(tmp, "--data-dir", data.toString(), "receipt", "issue",
          "--file", request.toString(), "--repeat", "1000000", "--concurrency", Integer.toString(1 + random.nextInt(32)));
      int killAfter = 1 + random.nextInt(400);
      CountDownLatch enough = new CountDownLatch(killAfter);
      Thread reader = new Thread(() -> readAcknowledged(child, acknowledged, enough));
      reader.start();
      enough.await(60, TimeUnit.SECONDS);
      assertThat(child.isAlive()).as("child of cycle %d still issuing (see child-stderr.log)", cycle).isTrue();
      child.destroyForcibly(); // SIGKILL on POSIX: no shutdown hooks, no flush
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL
      reader.join();
      killedWhileRunning++;
    }
    assertThat(killedWhileRunning).isEqualTo(CYCLES);
    assertThat(acknowledged).hasSizeGreaterThan(CYCLES);

    try (Connection c = Database.openReadOnly(data.resolve("fiscald.db"))) {
      for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
        ReceiptRecord row = Receipts.findByNumber(c, ack.getKey()).orElse(null);
        assertThat(row).as("acknowledged receipt %s is in the database", ack.getKey()).isNotNull();
        String hash = HexFormat.of().formatHex(Journal.get(c, row.journalSeq()).orElseThrow().hash());
        assertThat(hash).as("hash of %s", ack.getKey()).isEqualTo(ack.getValue());
      }
      assertThat(Receipts.count(c)).isGreaterThanOrEqualTo(acknowledged.size());
      AuditReport audit = JournalAuditor.audit(c);
      assertThat(audit.finding()).isNull();
      assertThat(Database.integrityCheck(c)).isEqualTo("ok");
    }
  }

  /** Collects the complete JSON lines the child printed; a line cut by the kill is not an acknowledgement. */
  private static void readAcknowledged(Process child, Map<String, String> acknowledged, CountDownLatch enough) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (Exception partial) {
          continue;
        }
        synchronized (acknowledged) {
          acknowledged.put(n.get("receiptNumber").asText(), n.get("hash").asText());
        }
        enough.countDown();
      }
    } catch (java.io.IOException e) {
      // the child died: its stdout closed
    }
  }
}
