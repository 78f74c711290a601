package io.fiscald.agent.print;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.render.ReceiptText;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.port.PortSpec;
import io.fiscald.hal.port.SerialSettings;
import io.fiscald.hal.print.EscPosPrinter;
import io.fiscald.hal.print.PrinterStatus;
import io.fiscald.sim.printer.PrinterEmulator;
import io.fiscald.sim.printer.SocatPair;
import io.fiscald.store.Database;
import io.fiscald.store.PrintJob;
import io.fiscald.store.PrintJobs;
import io.fiscald.store.Receipts;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The print queue end to end: a real device issues receipts, the worker prints them through the ESC/POS
 * driver over a socat pseudo-terminal pair to the printer emulator, and every fault a shop sees is thrown
 * at it. In every case the fiscal record is intact and each receipt ends up on paper exactly once (plus
 * its marked copies).
 */
class PrintWorkerPtyTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path tmp;
  private final Clock clock = Clock.systemUTC();
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private DataDirectory dir;
  private Agent agent;
  private SocatPair cable;
  private PrinterEmulator emulator;
  private PrintWorker worker;

  @BeforeEach
  void setUp() {
    if (!SocatPair.available()) {
      System.err.println("*** SKIPPED: socat is not installed, so the print queue cannot be tested over"
          + " pseudo-terminals. Install it (apt-get install socat); .ci/run does. ***");
    }
    Assumptions.assumeTrue(SocatPair.available(), "socat is not installed");
    dir = TestDevice.create(tmp.resolve("data"), clock);
    agent = TestDevice.open(dir, clock);
    agent.core().openDay();
    cable = SocatPair.start(tmp.resolve("lp"), tmp.resolve("lp-emulator"));
    emulator = new PrinterEmulator().listenOnPty(cable.b());
  }

  @AfterEach
  void tearDown() {
    if (worker != null) {
      worker.close();
    }
    if (agent != null) {
      agent.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    if (cable != null) {
      cable.close();
    }
  }

  private void startWorker() {
    String path = cable.a().toString();
    EscPosPrinter printer = new EscPosPrinter(path, PortSpec.parse(path, SerialSettings.DEFAULT),
        PrinterProfiles.forColumns(48).withTimeouts(300, 5000));
    worker = PrintWorker.start(agent, printer,
        new PrintWorker.Settings(Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(200)),
        new PrintWorker.Listener() {
          @Override
          public void printed(PrintJob job, String receiptNumber) {
            events.add("printed " + receiptNumber + " copy " + job.copy());
          }

          @Override
          public void failed(PrintJob job, String receiptNumber, String error) {
            events.add("failed " + receiptNumber + ": " + error);
          }

          @Override
          public void paperNearEnd(PrinterStatus status) {
            events.add("paper near end");
          }
        });
  }

  private IssuedReceipt sell() {
    IssuedReceipt r = agent.core().issue(TestDevice.sugarSale());
    if (worker != null) {
      worker.wake();
    }
    return r;
  }

  /** The next event starting with {@code prefix}; other events on the way are skipped. */
  private String await(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      String e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(e).as("event '%s...' within %s", prefix, WAIT).isNotNull();
      if (e.startsWith(prefix)) {
        return e;
      }
    }
  }

  /** How many cut receipts show {@code number}: {@code [originals, copies]}. */
  private int[] onPaper(String number) {
    int originals = 0;
    int copies = 0;
    for (String r : emulator.receipts()) {
      if (r.contains("No: " + number + " ")) {
        if (r.contains("*** COPY ")) {
          copies++;
        } else {
          originals++;
        }
      }
    }
    return new int[] {originals, copies};
  }

  private void assertFiscalRecordIntact(int receipts) throws Exception {
    try (Connection c = Database.openReadOnly(dir.database())) {
      assertThat(Receipts.count(c)).isEqualTo(receipts);
      assertThat(JournalAuditor.audit(c).ok()).as("journal audit").isTrue();
    }
  }

  private long pending() throws Exception {
    try (Connection c = Database.openReadOnly(dir.database())) {
      return PrintJobs.pendingCount(c);
    }
  }

  @Test
  void printsEachReceiptOnceInOrderAsTheSameDocumentTheScreenShows() throws Exception {
    startWorker();
    IssuedReceipt first = sell();
    sell();
    sell();
    await("printed INV-000001");
    await("printed INV-000002");
    await("printed INV-000003");

    assertThat(emulator.cuts()).isEqualTo(3);
    List<String> paper = emulator.receipts();
    for (int i = 0; i < 3; i++) {
      assertThat(paper.get(i)).contains("No: INV-00000" + (i + 1) + " ");
    }
    String screen = ReceiptText.render(first.receipt(), agent.settings(),
        agent.core().profile().fiscalBlock(first.receipt(), first.seal()), 0, 48);
    assertThat(paper.get(0)).startsWith(screen)
        .contains("[QR FISCALD1|TEST-0001|INV-000001|")
        .contains(first.seal().verificationCode())
        .contains("[DRAWER PIN 2]");
    assertThat(pending()).isZero();
    assertThat(worker.state().ready()).isTrue();
    assertThat(worker.state().printedJobs()).isEqualTo(3);
  }

  @Test
  void paperOutMidJobTheJobWaitsSalesGoOnAndItPrintsOnceOnTheNewRoll() throws Exception {
    emulator.paperOutAfter(400);
    startWorker();
    sell();
    String failure = await("failed INV-000001");
    assertThat(failure).contains("[partly printed]").contains("paper out");
    assertThat(emulator.isPaperOut()).isTrue();
    assertThat(emulator.cuts()).isZero();

    // the shop keeps selling while the printer waits for paper
    sell();
    assertFiscalRecordIntact(2);
    assertThat(pending()).isEqualTo(2);
    assertThat(worker.state().ready()).isFalse();
    assertThat(worker.state().lastError()).contains("paper out");

    emulator.paperOut(false);
    // the torn-off start was the original: the retry is its marked copy, never a second original
    assertThat(await("printed INV-000001")).isEqualTo("printed INV-000001 copy 1");
    await("printed INV-000002");
    assertThat(emulator.cuts()).isEqualTo(2);
    assertThat(onPaper("INV-000001")).containsExactly(0, 1);
    assertThat(onPaper("INV-000002")).containsExactly(1, 0);
    assertThat(emulator.receipts().get(0)).contains("Attempt 2: an earlier print may be on paper")
        .contains("*** COPY 1 - NOT A FISCAL RECEIPT ***");
    assertThat(emulator.receipts().get(1)).doesNotContain("an earlier print");
    assertThat(pending()).isZero();
    assertFiscalRecordIntact(2);
  }

  @Test
  void aPrinterOfflineAtStartDoesNotHoldUpTheSaleAndPrintsWhenSwitchedOn() throws Exception {
    emulator.offline(true);
    startWorker();
    IssuedReceipt r = sell();
    assertThat(r.receipt().receiptNumber()).isEqualTo("INV-000001");
    assertThat(await("failed INV-000001")).contains("did not answer within 300 ms");
    assertThat(worker.state().status()).isEqualTo("unreachable");
    assertFiscalRecordIntact(1);

    emulator.offline(false);
    await("printed INV-000001");
    assertThat(onPaper("INV-000001")).containsExactly(1, 0);
    assertThat(emulator.cuts()).isEqualTo(1);
  }

  @Test
  void aPulledCableIsWaitedOutAndThePtyReopenedWhenItIsPluggedBackIn() throws Exception {
    startWorker();
    sell();
    await("printed INV-000001");

    cable.stop();
    sell();
    assertThat(await("failed INV-000002")).contains(cable.a().toString());
    assertFiscalRecordIntact(2);

    cable.restart();
    await("printed INV-000002");
    assertThat(onPaper("INV-000001")).containsExactly(1, 0);
    assertThat(onPaper("INV-000002")).containsExactly(1, 0);
    assertThat(emulator.connections()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aSlowPrinterStillPrintsEveryReceiptOnce() throws Exception {
    emulator.slow(Duration.ofNanos(200_000));
    startWorker();
    sell();
    sell();
    await("printed INV-000001");
    await("printed INV-000002");
    assertThat(emulator.cuts()).isEqualTo(2);
    assertThat(onPaper("INV-000002")).containsExactly(1, 0);
  }

  @Test
  void garbageOnTheLineDoesNotConfuseTheStatusReadBack() throws Exception {
    emulator.garbage(true);
    startWorker();
    sell();
    sell();
    await("printed INV-000001");
    await("printed INV-000002");
    assertThat(emulator.cuts()).isEqualTo(2);
    assertThat(pending()).isZero();
  }

  @Test
  void reprintsAreMarkedCopiesAndEveryJobPrintsExactlyOnce() throws Exception {
    startWorker();
    sell();
    sell();
    await("printed INV-000001");
    await("printed INV-000002");

    assertThat(worker.reprint("INV-000001")).isEqualTo(1);
    assertThat(worker.reprint("INV-000001")).isEqualTo(2);
    assertThat(worker.reprint("INV-000002")).isEqualTo(1);
    await("printed INV-000001 copy 1");
    await("printed INV-000001 copy 2");
    await("printed INV-000002 copy 1");

    assertThat(emulator.cuts()).isEqualTo(5);
    assertThat(onPaper("INV-000001")).containsExactly(1, 2);
    assertThat(onPaper("INV-000002")).containsExactly(1, 1);
    assertThat(emulator.receipts().get(3)).contains("*** COPY 2 - NOT A FISCAL RECEIPT ***")
        .doesNotContain("[DRAWER PIN");
    assertThat(pending()).isZero();
    assertThatThrownBy(() -> worker.reprint("INV-999999")).isInstanceOf(FiscalException.class)
        .hasMessageContaining("no receipt INV-999999");
    assertFiscalRecordIntact(2);
  }

  @Test
  void paperNearEndRaisesAnAlertAndStillPrints() throws Exception {
    emulator.paperNearEnd(true);
    startWorker();
    sell();
    await("paper near end");
    await("printed INV-000001");
    assertThat(worker.state().paperNearEnd()).isTrue();
    assertThat(worker.state().status()).isEqualTo("ready, paper near end");
  }

  @Test
  void throughEveryFaultInTurnEachReceiptIsPrintedExactlyOnce() throws Exception {
    startWorker();
    sell();
    await("printed INV-000001");

    emulator.paperOutAfter(300);
    sell();
    await("failed INV-000002");
    sell();
    emulator.paperOut(false);
    await("printed INV-000002");
    await("printed INV-000003");

    emulator.offline(true);
    sell();
    await("failed INV-000004");
    emulator.offline(false);
    await("printed INV-000004");

    emulator.coverOpen(true);
    sell();
    assertThat(await("failed INV-000005")).contains("cover open");
    emulator.coverOpen(false);
    await("printed INV-000005");

    cable.stop();
    sell();
    await("failed INV-000006");
    cable.restart();
    await("printed INV-000006");
    worker.reprint("INV-000006");
    await("printed INV-000006 copy 1");

    for (int i = 1; i <= 6; i++) {
      // INV-000002's original was torn off by the paper-out mid-job: its retry is a marked copy
      assertThat(onPaper("INV-00000" + i)).as("INV-00000%d on paper", i)
          .containsExactly(i == 2 ? 0 : 1, i == 6 || i == 2 ? 1 : 0);
    }
    assertThat(emulator.cuts()).isEqualTo(7);
    assertThat(pending()).isZero();
    assertFiscalRecordIntact(6);
  }
  @Test
  void aLinkLostAfterTheCutBeforeTheStatusAnswerPrintsTheRetryAsACopyNotASecondOriginal() throws Exception {
    startWorker();
    // the whole receipt is printed and cut, then the line drops before the printer answers the status query
    emulator.afterNextCut(cable::stop);
    sell();
    assertThat(await("failed INV-000001")).contains("[partly printed]");
    assertThat(onPaper("INV-000001")).containsExactly(1, 0);

    cable.restart();
    assertThat(await("printed INV-000001")).isEqualTo("printed INV-000001 copy 1");
    assertThat(onPaper("INV-000001")).containsExactly(1, 1);
    List<String> paper = emulator.receipts();
    assertThat(paper.get(0)).doesNotContain("*** COPY ").contains("[DRAWER PIN 2]");
    assertThat(paper.get(1)).contains("*** COPY 1 - NOT A FISCAL RECEIPT ***")
        .contains("Attempt 2: an earlier print may be on paper").doesNotContain("[DRAWER PIN");

    // later reprints number on from the retry's copy; new receipts print as originals again
    assertThat(worker.reprint("INV-000001")).isEqualTo(2);
    await("printed INV-000001 copy 2");
    sell();
    await("printed INV-000002 copy 0");
    assertThat(onPaper("INV-000001")).containsExactly(1, 2);
    assertThat(onPaper("INV-000002")).containsExactly(1, 0);
    assertThat(pending()).isZero();
    assertFiscalRecordIntact(2);
  }
  @Test
  void anAskedForCopyWhoseStatusAnswerIsLostIsNotPrintedAgain() throws Exception {
    startWorker();
    sell();
    await("printed INV-000001");
    emulator.afterNextCut(cable::stop);
    assertThat(worker.reprint("INV-000001")).isEqualTo(1);
    assertThat(await("failed INV-000001")).contains("copy 1 not sent again");

    cable.restart();
    sell();
    await("printed INV-000002");
    assertThat(onPaper("INV-000001")).containsExactly(1, 1);
    assertThat(onPaper("INV-000002")).containsExactly(1, 0);
    assertThat(pending()).isZero();
  }

  @Test
  void aJobTheWorkerWasSendingWhenItDiedIsRetriedAsACopy() throws Exception {
    sell();
    // what a worker killed between sending and the status answer leaves behind: the note made before sending
    try (Connection c = agent.newStateConnection()) {
      PrintJob job = PrintJobs.pending(c, 10).get(0);
      PrintJobs.recordSending(c, job.id(), PrintWorker.SENDING + "attempt 1");
    }
    startWorker();
    assertThat(await("printed INV-000001")).isEqualTo("printed INV-000001 copy 1");
    assertThat(onPaper("INV-000001")).containsExactly(0, 1);
    assertThat(pending()).isZero();
  }
}
