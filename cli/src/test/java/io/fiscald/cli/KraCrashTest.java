package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.sim.kra.AcceptedInvoice;
import io.fiscald.sim.kra.BranchSnapshot;
import io.fiscald.sim.kra.EtimsEndpoint;
import io.fiscald.sim.kra.EtimsFaults;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.InvoiceLine;
import io.fiscald.sim.kra.StockMove;
import io.fiscald.sim.kra.Transport;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Counters;
import io.fiscald.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #4, "kill-and-restart in the middle of a backlog": a KRA device with a backlog of 40 receipts (one a
 * credit note) is drained by {@code fiscalctl sync} in a child JVM that is SIGKILLed again and again at chosen
 * points of the eTIMS conversation — while an item registration is held, while a sale is held before eTIMS
 * processed it (then eTIMS commits it after the client died, or a stale copy arrives after the number was
 * resent), while the answer of a committed sale is held, while the reconciliation lookup is held, while a
 * stock move is held, and at whatever point the drain has reached when eTIMS has accepted k invoices. The
 * simulator runs in this JVM; every kill is placed by waiting on its state, never by sleeping.
 *
 * <p>Afterwards eTIMS holds exactly invoices 1..N, each of our receipts exactly once and in issue order,
 * nothing is rejected or left pending, every local signature names the invoice eTIMS has, and the journal
 * audit passes.
 */
class KraCrashTest {
  private static final String PIN = "P051234567X";
  private static final String BHF = "00";
  private static final String SERIAL = "SN-KRA-CRASH-01";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path tmp;

  private EtimsSimulator sim;
  private String data;
  private int children;
  /** How many STALL shots the test has armed so far: the simulator's fired(STALL) reaches it once all are held. */
  private int stallsArmed;
  private final Map<Process, Path> workDirs = new java.util.HashMap<>();

  @Test
  void sigkilledSyncMidBacklogNeitherSkipsNorReusesAnInvoiceNumberAndLosesNothing() throws Exception {
    try (EtimsSimulator s = EtimsSimulator.start(EtimsSimulator.Options.defaults())) {
      sim = s;
      sim.registerDevice(PIN, BHF, SERIAL);
      sim.registerTaxpayer(PIN, "Demo Shop Ltd");
      data = tmp.resolve("till").toString();

      cli("--data-dir", data, "device", "register", "--authority", "kra", "--pin", PIN, "--branch", BHF,
          "--serial", SERIAL, "--transport", "vscu", "--url", sim.baseUrl(Transport.VSCU), "--track-stock", "--json");
      cli("--data-dir", data, "day", "open");

      // The backlog: 40 receipts issued before any sync, a credit note among them.
      List<String> receipts = new ArrayList<>();
      receipts.addAll(issue(request("Sugar 1kg", "2", "522.00", "B", "SKU-1", true, null), 1));
      receipts.addAll(issue(request("Rice 5kg", "1", "780.00", "B", "SKU-10", false, null), 12));
      receipts.addAll(issue(request("Fresh milk 500ml", "3", "60.00", "A", "SKU-11", false, null), 12));
      receipts.addAll(issue(request("Sugar 1kg", "1", "522.00", "B", "SKU-1", true, receipts.get(0)), 1));
      receipts.addAll(issue(request("Phone charger", "1", "1160.00", "B", "SKU-20", false, null), 7));
      receipts.addAll(issue(request("Rice 5kg", "2", "780.00", "B", "SKU-10", false, null), 7));
      int n = receipts.size();
      assertThat(n).isEqualTo(40);
      assertThat(receipts).doesNotHaveDuplicates();

      // eTIMS out of reach: the sync says so and everything waits.
      sim.faults().refuseConnections(true);
      JsonNode offline = sync(1);
      assertThat(offline.path("error").path("details").path("pending").asInt()).isEqualTo(n);
      sim.faults().refuseConnections(false);
      assertThat(accepted()).isZero();

      EtimsFaults f = sim.faults();
      int kills = 0;

      // 1. The first call of the drain, an item's saveItem, is held; killed; then eTIMS commits it anyway.
      armStall(EtimsEndpoint.SAVE_ITEM);
      Process p = startSync();
      heldStall(p);
      kills += kill(p);
      releaseAndSettle();
      assertThat(accepted()).isZero();

      // 2. Three sales go through one by one; the fourth is held before eTIMS processed it; killed; eTIMS
      //    then commits it behind the dead client's back: the restart must find it, not send it again.
      armStall(EtimsEndpoint.SAVE_SALE);
      p = startSync();
      step(p, 3);
      kills += kill(p);
      releaseAndSettle();
      // The simulator stops counting a call as held before it processes it: wait for the commit itself.
      await(null, "eTIMS committing the held sale", () -> accepted() == 4);
      assertThat(accepted()).isEqualTo(4);

      // 3. The restart begins by reconciling that number: killed while the lookup is held.
      armStall(EtimsEndpoint.INVOICE_DETAILS);
      p = startSync();
      heldStall(p);
      kills += kill(p);
      releaseAndSettle();
      assertThat(accepted()).isEqualTo(4);

      // 4. Two more sales step through, the held one goes on, and the next is committed by eTIMS with its answer
      //    held: killed right after the server committed.
      armStall(EtimsEndpoint.SAVE_SALE);
      p = startSync();
      step(p, 2);
      int before = accepted();
      f.timeoutAfterCommit(EtimsEndpoint.SAVE_SALE, 1);
      f.releaseStalled();
      await(p, "a committed sale whose answer is held",
          () -> f.fired(EtimsFaults.Kind.TIMEOUT_AFTER_COMMIT) == 1 && f.stalledNow() >= 1);
      assertThat(accepted()).isEqualTo(before + 2);
      kills += kill(p);
      releaseAndSettle();
      assertThat(accepted()).isEqualTo(8);

      // 5. One sale steps through, the next is held before processing and killed; this time the stale request
      //    stays held while the next run resends the number, and reaches eTIMS only afterwards.
      armStall(EtimsEndpoint.SAVE_SALE);
      p = startSync();
      step(p, 1);
      int staleNumber = accepted() + 1;
      kills += kill(p);
      assertThat(f.stalledNow()).isEqualTo(1);

      // 6. A run without faults, killed wherever it is once eTIMS has accepted three more than the stale number.
      int target = staleNumber + 3;
      p = startSync();
      await(p, "eTIMS accepting invoice " + target, () -> accepted() >= target);
      kills += kill(p);
      int beforeStale = accepted();
      releaseAndSettle(); // the stale copy of invoice staleNumber arrives now: eTIMS must refuse it
      assertThat(accepted()).isEqualTo(beforeStale);

      // 7. A stock movement (sent after an accepted sale) is held and killed, then committed by eTIMS.
      armStall(EtimsEndpoint.SAVE_STOCK_IO);
      p = startSync();
      heldStall(p);
      kills += kill(p);
      releaseAndSettle();

      // 8. A committed sale whose connection drops: the run gives up by itself (exit 1) keeping the number.
      f.dropAfterCommit(EtimsEndpoint.SAVE_SALE, 1);
      int beforeDrop = accepted();
      JsonNode dropped = sync(1);
      assertThat(dropped.path("error").path("code").asText()).isEqualTo("AUTHORITY_UNAVAILABLE");
      assertThat(accepted()).isGreaterThan(beforeDrop);

      // 9. One more run killed wherever it is once eTIMS accepted four more.
      int k = accepted() + 4;
      assertThat(k).as("kill point %d is inside the backlog", k).isLessThan(n);
      p = startSync();
      await(p, "eTIMS accepting invoice " + k, () -> accepted() >= k);
      kills += kill(p);
      assertThat(kills).as("runs SIGKILLed while draining").isEqualTo(8);
      assertThat(accepted()).isLessThan(n);
      assertThat(f.remaining(EtimsFaults.Kind.STALL) + f.remaining(EtimsFaults.Kind.TIMEOUT_AFTER_COMMIT)
          + f.remaining(EtimsFaults.Kind.DROP_AFTER_COMMIT)).isZero();
      assertThat(f.stalledNow()).isZero();

      // The final sync runs to completion (in this JVM, from what the killed runs left on disk).
      JsonNode done = sync(0);
      assertThat(done.path("pending").asInt()).isZero();
      assertThat(done.path("rejected").asInt()).isZero();

      // eTIMS: exactly 1..N, no gap, no reuse, each receipt once and in issue order, the credit note included.
      BranchSnapshot branch = sim.branch(PIN, BHF);
      assertThat(branch.invcNos()).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
      assertThat(branch.lastInvcNo()).isEqualTo(n);
      assertThat(branch.invoices()).extracting(AcceptedInvoice::trdInvcNo).containsExactlyElementsOf(receipts);
      AcceptedInvoice note = branch.invoices().get(25);
      assertThat(note.rcptTyCd()).isEqualTo("R");
      assertThat(note.orgInvcNo()).isEqualTo(1);

      // Stock (sheet §14, §16): per item exactly one opening stock in, a sale-out (11) for every unit sold, a
      // return-in (03) for every unit credited, so eTIMS's stock is the opening less the net quantity sold.
      Map<String, java.math.BigDecimal> sold = new java.util.TreeMap<>();
      Map<String, java.math.BigDecimal> credited = new java.util.TreeMap<>();
      for (AcceptedInvoice inv : branch.invoices()) {
        for (InvoiceLine l : inv.items()) {
          (inv.rcptTyCd().equals("R") ? credited : sold).merge(l.itemCd(), l.qty(), java.math.BigDecimal::add);
        }
      }
      assertThat(sold.values().stream().reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add))
          .isEqualByComparingTo("71");
      assertThat(credited.values().stream().reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add))
          .isEqualByComparingTo("1");
      assertThat(sold).hasSize(4);
      for (String itemCd : sold.keySet()) {
        java.math.BigDecimal out = moved(branch, itemCd, "11");
        java.math.BigDecimal in = moved(branch, itemCd, "03");
        java.math.BigDecimal creditedQty = credited.getOrDefault(itemCd, java.math.BigDecimal.ZERO);
        assertThat(out).as("stock out of %s", itemCd).isEqualByComparingTo(sold.get(itemCd));
        assertThat(in).as("return in of %s", itemCd).isEqualByComparingTo(creditedQty);
        assertThat(out.subtract(in)).as("net stock out of %s", itemCd)
            .isEqualByComparingTo(sold.get(itemCd).subtract(creditedQty));
        assertThat(branch.stockMoves().stream().filter(m -> m.sarTyCd().equals("06"))
            .flatMap(m -> m.items().stream()).filter(l -> l.itemCd().equals(itemCd)).toList())
            .as("opening stock in of %s", itemCd).singleElement()
            .satisfies(l -> assertThat(l.qty()).isEqualByComparingTo("1000"));
        assertThat(branch.stockQuantities().get(itemCd)).as("eTIMS stock of %s", itemCd)
            .isEqualByComparingTo(new java.math.BigDecimal("1000").subtract(sold.get(itemCd)).add(creditedQty));
      }
      assertThat(branch.stockMoves()).extracting(StockMove::sarNo)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, branch.stockMoves().size()).boxed().toList());

      // Local state: nothing pending or refused, each receipt's signature names eTIMS's invoice for it.
      Map<String, Long> invcNoByReceipt = new LinkedHashMap<>();
      for (AcceptedInvoice inv : branch.invoices()) {
        invcNoByReceipt.put(inv.trdInvcNo(), inv.invcNo());
      }
      try (Connection c = Database.openReadOnly(Path.of(data).resolve("fiscald.db"))) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT status, count(*) FROM outbox GROUP BY status");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            byStatus.put(rs.getString(1), rs.getLong(2));
          }
        }
        assertThat(byStatus).containsOnlyKeys("SENT").containsEntry("SENT", (long) n);
        try (PreparedStatement ps = c.prepareStatement("SELECT r.receipt_number, o.response FROM outbox o"
            + " JOIN receipts r ON r.id = o.receipt_id ORDER BY o.id");
            ResultSet rs = ps.executeQuery()) {
          List<String> order = new ArrayList<>();
          while (rs.next()) {
            String number = rs.getString(1);
            order.add(number);
            assertThat(CanonicalJson.read(rs.getString(2)).path("invcNo").asLong()).as("invcNo stored for %s", number)
                .isEqualTo(invcNoByReceipt.get(number));
          }
          assertThat(order).containsExactlyElementsOf(receipts);
        }
        assertThat(Counters.get(c, "kra.invcNo." + PIN + "." + BHF)).isEqualTo(n);
        assertThat(Database.integrityCheck(c)).isEqualTo("ok");
      }
      JsonNode audit = Cli.runWithKeyFile(tmp.resolve("audit"), "--data-dir", data, "audit", "verify", "--json")
          .ok().json();
      assertThat(audit.path("ok").asBoolean()).as("audit: %s", audit).isTrue();
    }
  }

  // --- the backlog ---

  private String request(String name, String qty, String price, String band, String code, boolean buyer,
      String originalNumber) throws IOException {
    String amount = new java.math.BigDecimal(qty).multiply(new java.math.BigDecimal(price))
        .setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    StringBuilder json = new StringBuilder("{");
    if (originalNumber != null) {
      json.append("\"type\":\"CREDIT_NOTE\",\"original\":{\"receiptNumber\":\"").append(originalNumber)
          .append("\"},\"reason\":\"Damaged packet returned\",");
    }
    json.append("\"currency\":\"KES\",\"lines\":[{\"name\":\"").append(name).append("\",\"quantity\":\"").append(qty)
        .append("\",\"unitPrice\":\"").append(price).append("\",\"taxCode\":\"").append(band).append("\",\"code\":\"")
        .append(code).append("\"}],\"payments\":[{\"method\":\"CASH\",\"amount\":\"").append(amount).append("\"}]");
    if (buyer) {
      json.append(",\"buyer\":{\"name\":\"Acme Ltd\",\"tin\":\"P051111111A\"}");
    }
    json.append('}');
    Path file = tmp.resolve("request-" + (++children) + ".json");
    Files.writeString(file, json);
    return file.toString();
  }

  /** Issues the request {@code times} times, one after the other; the receipt numbers in issue order. */
  private List<String> issue(String file, int times) {
    List<String> numbers = new ArrayList<>();
    for (JsonNode line : cli("--data-dir", data, "receipt", "issue", "--file", file, "--repeat",
        Integer.toString(times), "--concurrency", "1").jsonLines()) {
      numbers.add(line.get("receiptNumber").asText());
    }
    assertThat(numbers).hasSize(times);
    return numbers;
  }

  private Cli.Result cli(String... args) {
    return Cli.runWithKeyFile(tmp.resolve("cli-" + (++children)), args).ok();
  }

  // --- the child fiscalctl sync ---

  private Process startSync() throws IOException {
    Path work = tmp.resolve("sync-" + (++children));
    Files.createDirectories(work);
    Process p = ChildJvm.start(work, "--data-dir", data, "--json", "sync");
    workDirs.put(p, work);
    p.getOutputStream().close();
    return p;
  }

  /** A sync run that ends by itself with {@code exitCode} (in this JVM: nothing to kill); its JSON document. */
  private JsonNode sync(int exitCode) {
    return Cli.runWithKeyFile(tmp.resolve("sync-" + (++children)), "--data-dir", data, "--json", "sync")
        .exits(exitCode).json();
  }

  /** SIGKILL (no shutdown hooks, no flush) a run that must still be draining; 1 for the count. */
  private int kill(Process p) throws Exception {
    assertThat(p.isAlive()).as("sync still running when killed; stderr:%n%s", stderr(p)).isTrue();
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137); // 128 + SIGKILL
    return 1;
  }

  // --- placing the kills on the simulator's state ---

  private void armStall(EtimsEndpoint endpoint) {
    sim.faults().stall(endpoint, 1);
    stallsArmed++;
  }

  /** Waits until every stall armed so far has fired and a call is being held. */
  private void heldStall(Process p) {
    EtimsFaults f = sim.faults();
    int expected = stallsArmed;
    await(p, "stall #" + expected + " holding a call", () -> f.fired(EtimsFaults.Kind.STALL) == expected
        && f.stalledNow() >= 1);
  }

  /**
   * With a sale held, lets {@code sales} sales through one at a time (each release arms the stall for the
   * next); returns with the following sale held before eTIMS processed it.
   */
  private void step(Process p, int sales) {
    heldStall(p);
    for (int i = 0; i < sales; i++) {
      int acceptedBefore = accepted();
      armStall(EtimsEndpoint.SAVE_SALE);
      sim.faults().releaseStalled();
      heldStall(p);
      assertThat(accepted()).isEqualTo(acceptedBefore + 1);
    }
  }

  /** Lets held calls go on (their client is dead) and waits until the simulator has dealt with them. */
  private void releaseAndSettle() {
    EtimsFaults f = sim.faults();
    f.releaseStalled();
    await(null, "held calls to finish", () -> f.stalledNow() == 0);
  }

  /** The quantity of {@code itemCd} in eTIMS's accepted stock moves of type {@code sarTyCd}. */
  private static java.math.BigDecimal moved(BranchSnapshot branch, String itemCd, String sarTyCd) {
    return branch.stockMoves().stream().filter(m -> m.sarTyCd().equals(sarTyCd)).flatMap(m -> m.items().stream())
        .filter(l -> l.itemCd().equals(itemCd)).map(StockMove.Line::qty)
        .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
  }

  private int accepted() {
    return sim.branch(PIN, BHF).invcNos().size();
  }

  /** Polls a condition on the simulator (a condition wait, not a timed sleep); fails early if the child died. */
  private void await(Process p, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (p != null && !p.isAlive()) {
        fail("sync exited (" + p.exitValue() + ") before " + what + "; stderr:\n" + stderr(p));
      }
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private String stderr(Process p) {
    try {
      return Files.readString(workDirs.get(p).resolve("child-stderr.log"), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "(no stderr: " + e + ")";
    }
  }
}
