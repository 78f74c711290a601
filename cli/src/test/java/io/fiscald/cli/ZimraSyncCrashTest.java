package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.authority.zimra.ZimraReceipts;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.sim.zimra.FdmsDayView;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsReceiptView;
import io.fiscald.sim.zimra.FdmsRoute;
import io.fiscald.sim.zimra.FdmsSimulator;
import io.fiscald.store.Database;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZIMRA sync survives SIGKILL: a backlog of receipts is sent by {@code fiscalctl sync} in a child JVM, which is
 * killed at random moments (after the simulator has received k more receipts, and, every other time, right after
 * FDMS committed a receipt whose answer it holds back). After a final sync FDMS has every receiptGlobalNo 1..N
 * exactly once, each with the hash the till journalled (a resend with another hash would be refused with RCPT012
 * and block the queue), and the day closes on FDMS.
 */
class ZimraSyncCrashTest {
  private static final int DEVICE = 30199;
  private static final int RECEIPTS = 40;
  private static final int CYCLES = 6;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path tmp;
  FdmsSimulator sim;
  Path data;

  @BeforeEach
  void start() throws Exception {
    sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(Clock.system(ZoneId.of("Africa/Harare")))
        .closeDelay(Duration.ofMillis(50)).build());
    sim.addDevice(FdmsDevice.builder(DEVICE, "SN-001", "ABC12345").build());
    data = tmp.resolve("till");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void killedMidSyncItSendsNothingTwiceWithAnotherHashSkipsNothingAndTheDayCloses() throws Exception {
    Path ca = tmp.resolve("fdms-ca.pem");
    Files.writeString(ca, sim.caCertificatePem());
    Cli.run("--data-dir", data.toString(), "device", "register", "--authority", "zimra", "--device-id",
        Integer.toString(DEVICE), "--serial", "SN-001", "--activation-key", "ABC12345", "--env", "sandbox", "--url",
        sim.baseUrl(), "--ca-cert", ca.toString()).ok();
    Cli.run("--data-dir", data.toString(), "day", "open").ok();
    Path sale = tmp.resolve("sale.json");
    Files.writeString(sale, """
        {"currency": "USD", "lines": [{"name": "Bread 700g", "quantity": "1", "unitPrice": "1.20", "taxCode": "2",
          "hsCode": "19059000"}], "payments": [{"method": "CASH", "amount": "1.20"}]}""");
    Cli.run("--data-dir", data.toString(), "receipt", "issue", "--file", sale.toString(), "--repeat",
        Integer.toString(RECEIPTS), "--concurrency", "4").ok();
    Cli.run("--data-dir", data.toString(), "day", "close").ok();
    assertThat(sim.receipts(DEVICE)).isEmpty();

    Random random = new Random(20261124L);
    int answerHeldKills = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      int before = sim.receipts(DEVICE).size();
      Process child = ChildJvm.start(tmp, "--data-dir", data.toString(), "sync", "--once");
      try {
        if (cycle % 2 == 0) {
          // a random moment: after k more receipts reached FDMS, wherever the child is then
          int target = Math.min(RECEIPTS - 1, before + 1 + random.nextInt(5));
          awaitOrDied(child, () -> sim.receipts(DEVICE).size() >= target, cycle);
        } else {
          // the worst moment: FDMS committed the receipt, the till has not had the answer
          awaitOrDied(child, () -> sim.receipts(DEVICE).size() > before, cycle); // past any resend
          int fired = sim.faults().fired();
          sim.faults().stallAfterCommitNext(FdmsRoute.SUBMIT_RECEIPT, 1, Duration.ofMinutes(5));
          awaitOrDied(child, () -> sim.faults().fired() > fired && onServer(inFlightGlobalNo()), cycle);
          answerHeldKills++;
        }
        assertThat(child.isAlive()).as("child of cycle %d still syncing (see child-stderr.log)", cycle).isTrue();
      } finally {
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no rollback of what was in flight
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        sim.faults().clear();
      }
      assertThat(child.exitValue()).isEqualTo(137);
      if (cycle % 2 == 1) {
        // the held receipt is on FDMS but still pending on the till: the next run must resend it identically
        OptionalLong pending = inFlightGlobalNo();
        assertThat(pending).isPresent();
        assertThat(onServer(pending)).isTrue();
      }
    }
    assertThat(answerHeldKills).isEqualTo(CYCLES / 2);
    assertThat(sim.receipts(DEVICE).size()).isLessThan(RECEIPTS);

    JsonNode done = Cli.run("--data-dir", data.toString(), "sync", "--once", "--json").ok().json();
    assertThat(done.path("pending").asLong()).isZero();
    assertThat(done.path("rejected").asLong()).isZero();
    assertThat(done.path("closedDayOnServer").asLong()).isEqualTo(1);
    assertThat(done.path("serverDayStatus").asText()).isEqualTo("FiscalDayClosed");

    // FDMS's side: every number once, 1..N, each with exactly one hash, the one the till journalled
    Map<Integer, Set<String>> hashesByGlobalNo = new TreeMap<>();
    for (FdmsReceiptView v : sim.receipts(DEVICE)) {
      hashesByGlobalNo.computeIfAbsent(v.receiptGlobalNo(), k -> new HashSet<>()).add(v.hash());
      assertThat(v.validationErrors()).as("validation errors of global %d", v.receiptGlobalNo()).isEmpty();
    }
    assertThat(sim.receipts(DEVICE)).hasSize(RECEIPTS);
    assertThat(hashesByGlobalNo.keySet()).containsExactlyElementsOf(
        LongStream.rangeClosed(1, RECEIPTS).mapToObj(n -> (int) n).toList());
    assertThat(hashesByGlobalNo.values()).allSatisfy(h -> assertThat(h).hasSize(1));
    Map<Integer, String> journalled = journalledHashes();
    Map<Integer, String> received = new LinkedHashMap<>();
    hashesByGlobalNo.forEach((n, h) -> received.put(n, h.iterator().next()));
    assertThat(received).isEqualTo(journalled);
    // resends happened (the held answers), and FDMS recognised them as the same receipts
    assertThat(sim.calls(FdmsRoute.SUBMIT_RECEIPT)).isGreaterThan(RECEIPTS);
    FdmsDayView day = sim.day(DEVICE, 1).orElseThrow();
    assertThat(day.status()).isEqualTo(FdmsDayView.Status.CLOSED);
    assertThat(day.receiptCount()).isEqualTo(RECEIPTS);
  }

  private void awaitOrDied(Process child, java.util.function.BooleanSupplier condition, int cycle) throws Exception {
    try {
      sim.await(() -> !child.isAlive() || condition.getAsBoolean(), WAIT);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("cycle " + cycle + ": the simulator never reached the kill point; child alive: "
          + child.isAlive() + " (see " + tmp.resolve("child-stderr.log") + ")", e);
    }
    assertThat(child.isAlive()).as("child of cycle %d died early (see %s)", cycle,
        tmp.resolve("child-stderr.log")).isTrue();
  }

  /** The receipt the child is sending now: the lowest globalNo still pending in the till's outbox. */
  private OptionalLong inFlightGlobalNo() {
    try (Connection c = Database.openReadOnly(data.resolve("fiscald.db"))) {
      List<OutboxMessage> next = Outbox.pending(c, "zimra", 1);
      return next.isEmpty() ? OptionalLong.empty()
          : OptionalLong.of(ReceiptCodec.receipt(next.get(0).payload()).globalNo());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean onServer(OptionalLong globalNo) {
    return globalNo.isPresent() && sim.receipts(DEVICE).stream()
        .anyMatch(v -> v.receiptGlobalNo() == globalNo.getAsLong());
  }

  private Map<Integer, String> journalledHashes() throws Exception {
    Map<Integer, String> out = new LinkedHashMap<>();
    List<FiscalReceipt> receipts = new ArrayList<>();
    try (Connection c = Database.openReadOnly(data.resolve("fiscald.db"))) {
      for (ReceiptRecord row : Receipts.byDay(c, 1)) {
        receipts.add(ReceiptCodec.receipt(row.body()));
      }
    }
    receipts.sort((a, b) -> Long.compare(a.globalNo(), b.globalNo()));
    for (FiscalReceipt r : receipts) {
      out.put((int) r.globalNo(), r.authorityFields().get(ZimraReceipts.HASH));
    }
    return out;
  }
}
