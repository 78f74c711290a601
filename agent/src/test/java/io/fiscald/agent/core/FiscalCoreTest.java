package io.fiscald.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.agent.testing.MutableClock;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import io.fiscald.store.Outbox;
import io.fiscald.store.PrintJobs;
import io.fiscald.store.Receipts;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiscalCoreTest {
  @TempDir Path tmp;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T06:00:00Z"));
  DataDirectory dir;
  Agent agent;

  @BeforeEach
  void setUp() {
    dir = TestDevice.create(tmp, clock);
    agent = TestDevice.open(dir, clock);
  }

  @AfterEach
  void tearDown() {
    agent.close();
  }

  FiscalCore core() {
    return agent.core();
  }

  @Test
  void issuesANumberedTaxedReceiptAndStoresEverythingInOneGo() throws Exception {
    core().openDay();
    IssuedReceipt issued = core().issue(TestDevice.sugarSale());

    FiscalReceipt r = issued.receipt();
    assertThat(r.receiptNumber()).isEqualTo("INV-000001");
    assertThat(r.globalNo()).isEqualTo(1);
    assertThat(r.dayNo()).isEqualTo(1);
    assertThat(r.dayCounter()).isEqualTo(1);
    assertThat(r.totalMinor()).isEqualTo(104_400);
    assertThat(r.taxMinor()).isEqualTo(14_400);
    assertThat(r.issuedAt()).isEqualTo("2026-11-24T06:00:00.000Z");
    assertThat(issued.seal().journalSeq()).isEqualTo(3); // 1 device, 2 day opened, 3 receipt

    try (Connection c = Database.openReadOnly(dir.database())) {
      var row = Receipts.findByNumber(c, "INV-000001").orElseThrow();
      assertThat(row.journalSeq()).isEqualTo(3);
      assertThat(row.body()).isEqualTo(Journal.get(c, 3).orElseThrow().payload());
      assertThat(PrintJobs.latestFor(c, row.id()).orElseThrow().status()).isEqualTo("PENDING");
      assertThat(Outbox.pendingCount(c)).as("the local profile has no authority to submit to").isZero();
    }
  }

  @Test
  void refusesReceiptsWhileNoDayIsOpenAndChangesNothing() throws Exception {
    long before = journalCount();
    assertRefused(() -> core().issue(TestDevice.sugarSale()), ErrorCode.DAY_NOT_OPEN);
    assertThat(journalCount()).isEqualTo(before);

    core().openDay();
    core().closeDay();
    assertRefused(() -> core().issue(TestDevice.sugarSale()), ErrorCode.DAY_NOT_OPEN);
    assertRefused(() -> core().closeDay(), ErrorCode.DAY_NOT_OPEN);
  }

  @Test
  void refusesAOpenDayTwice() {
    core().openDay();
    assertRefused(() -> core().openDay(), ErrorCode.DAY_ALREADY_OPEN);
  }

  @Test
  void aDayOpenLongerThanAllowedRefusesReceiptsUntilClosed() {
    core().openDay();
    core().issue(TestDevice.sugarSale());
    clock.advance(Duration.ofHours(24).plusMinutes(5));
    FiscalException e = catchFiscal(() -> core().issue(TestDevice.sugarSale()));
    assertThat(e.code()).isEqualTo(ErrorCode.DAY_TOO_LONG);
    assertThat(e.getMessage()).contains("24h 05m").contains("fiscalctl day close");

    DayReport z = core().closeDay();
    assertThat(z.receiptCount()).isEqualTo(1);
    assertThat(core().openDay().dayNo()).isEqualTo(2);
    FiscalReceipt next = core().issue(TestDevice.sugarSale()).receipt();
    assertThat(next.dayNo()).isEqualTo(2);
    assertThat(next.dayCounter()).isEqualTo(1);
    assertThat(next.globalNo()).isEqualTo(2);
  }

  @Test
  void creditNotesNeverExceedWhatRemainsOfTheOriginal() {
    core().openDay();
    String inv = core().issue(TestDevice.sugarSale()).receipt().receiptNumber(); // 1044.00

    assertRefused(() -> core().issue(TestDevice.creditNote(inv, "3", "522.00", "1566.00")),
        ErrorCode.CREDIT_EXCEEDS_ORIGINAL);
    FiscalReceipt first = core().issue(TestDevice.creditNote(inv, "1", "522.00", "522.00")).receipt();
    assertThat(first.receiptNumber()).isEqualTo("CRN-000001");
    assertThat(first.originalNumber()).isEqualTo(inv);
    FiscalException e = catchFiscal(() -> core().issue(TestDevice.creditNote(inv, "1", "522.01", "522.01")));
    assertThat(e.code()).isEqualTo(ErrorCode.CREDIT_EXCEEDS_ORIGINAL);
    assertThat(e.getMessage()).contains("522.00 left");
    assertThat(core().issue(TestDevice.creditNote(inv, "1", "522.00", "522.00")).receipt().invoiceNo()).isEqualTo(2);
    assertRefused(() -> core().issue(TestDevice.creditNote(inv, "1", "0.01", "0.01")),
        ErrorCode.CREDIT_EXCEEDS_ORIGINAL);
  }

  @Test
  void notesMustReferenceAnExistingInvoice() {
    core().openDay();
    assertRefused(() -> core().issue(TestDevice.creditNote("INV-999999", "1", "1.00", "1.00")),
        ErrorCode.ORIGINAL_NOT_FOUND);
    String inv = core().issue(TestDevice.sugarSale()).receipt().receiptNumber();
    String crn = core().issue(TestDevice.creditNote(inv, "1", "1.00", "1.00")).receipt().receiptNumber();
    assertRefused(() -> core().issue(TestDevice.creditNote(crn, "1", "1.00", "1.00")),
        ErrorCode.ORIGINAL_NOT_AN_INVOICE);
    FiscalReceipt debit = core().issue(TestDevice.note(ReceiptType.DEBIT_NOTE, inv, "5", "522.00", "2610.00"))
        .receipt();
    assertThat(debit.receiptNumber()).isEqualTo("DBN-000001");
  }

  @Test
  void concurrentReceiptsShareCommitsAndGetGaplessNumbers() throws Exception {
    core().openDay();
    long commitsBefore = core().commits();
    List<CompletableFuture<IssuedReceipt>> futures = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      futures.add(core().submit(TestDevice.sugarSale()));
    }
    List<Long> numbers = new ArrayList<>();
    for (CompletableFuture<IssuedReceipt> f : futures) {
      numbers.add(f.get().receipt().globalNo());
    }
    assertThat(numbers).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
    assertThat(core().commits() - commitsBefore).as("300 receipts queued at once are grouped").isLessThan(300);
    try (Connection c = Database.openReadOnly(dir.database())) {
      assertThat(JournalAuditor.audit(c).ok()).isTrue();
    }
  }

  @Test
  void aRefusedReceiptInsideAGroupLeavesItsNeighboursIntact() throws Exception {
    core().openDay();
    String inv = core().issue(TestDevice.sugarSale()).receipt().receiptNumber();
    var good1 = core().submit(TestDevice.sugarSale());
    var bad = core().submit(TestDevice.creditNote(inv, "5", "522.00", "2610.00"));
    var good2 = core().submit(TestDevice.sugarSale());
    assertThat(good1.get().receipt().globalNo()).isEqualTo(2);
    assertThat(good2.get().receipt().globalNo()).isEqualTo(3);
    assertRefused(() -> FiscalCore.await(bad), ErrorCode.CREDIT_EXCEEDS_ORIGINAL);
    assertThat(good2.get().seal().journalSeq()).isEqualTo(good1.get().seal().journalSeq() + 1);
  }

  @Test
  void theZReportAddsUpTheDayAndIsJournalledWithTheClose() throws Exception {
    core().openDay();
    String inv = core().issue(TestDevice.sugarSale()).receipt().receiptNumber(); // 1044.00, tax 144.00
    core().issue(TestDevice.sale("1", "100.00", "A", "150.00")); // exempt, 50.00 change
    core().issue(TestDevice.creditNote(inv, "1", "522.00", "522.00")); // -522.00, tax -72.00
    DayReport x = core().xReport();
    DayReport z = core().closeDay();

    assertThat(x.kind()).isEqualTo("X");
    assertThat(z.kind()).isEqualTo("Z");
    assertThat(z.receiptCount()).isEqualTo(3);
    assertThat(z.countsByType()).containsEntry("INVOICE", 2L).containsEntry("CREDIT_NOTE", 1L);
    DayReport.CurrencyTotals kes = z.currencies().get(0);
    assertThat(kes.salesMinor()).isEqualTo(114_400);
    assertThat(kes.creditNotesMinor()).isEqualTo(52_200);
    assertThat(kes.totalMinor()).isEqualTo(62_200);
    assertThat(kes.taxMinor()).isEqualTo(14_400 - 7_200);
    assertThat(kes.byTax()).extracting(DayReport.TaxTotals::code, DayReport.TaxTotals::grossMinor)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("A", 10_000L),
            org.assertj.core.groups.Tuple.tuple("B", 52_200L));
    assertThat(kes.byPayment()).containsExactly(new DayReport.PaymentTotals("CASH", 62_200));
    assertThat(x.currencies()).isEqualTo(z.currencies());
    try (Connection c = Database.openReadOnly(dir.database())) {
      var day = io.fiscald.store.FiscalDays.get(c, 1).orElseThrow();
      assertThat(ReceiptCodec.dayReport(day.zReport())).isEqualTo(z);
      assertThat(Journal.get(c, day.closeSeq()).orElseThrow().kind()).isEqualTo(JournalKind.DAY_CLOSED);
    }
  }

  @Test
  void countersAndChainContinueAfterARestart() throws Exception {
    core().openDay();
    core().issue(TestDevice.sugarSale());
    core().issue(TestDevice.sugarSale());
    agent.close();
    agent = TestDevice.open(dir, clock);
    IssuedReceipt third = core().issue(TestDevice.sugarSale());
    assertThat(third.receipt().globalNo()).isEqualTo(3);
    assertThat(third.receipt().dayCounter()).isEqualTo(3);
    assertThat(third.receipt().receiptNumber()).isEqualTo("INV-000003");
    try (Connection c = Database.openReadOnly(dir.database())) {
      assertThat(JournalAuditor.audit(c).ok()).isTrue();
    }
  }

  @Test
  void aSecondWriterOnTheSameDataDirectoryIsRefused() {
    assertThatThrownBy(() -> TestDevice.open(dir, clock))
        .isInstanceOf(io.fiscald.store.DataDirLockedException.class)
        .hasMessageContaining("in use by another fiscald process");
  }

  private long journalCount() throws Exception {
    try (Connection c = Database.openReadOnly(dir.database())) {
      return Journal.count(c);
    }
  }

  private static FiscalException catchFiscal(ThrowingCallable call) {
    try {
      call.call();
    } catch (FiscalException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a FiscalException, got " + t, t);
    }
    throw new AssertionError("expected a FiscalException, nothing was thrown");
  }

  private static void assertRefused(ThrowingCallable call, ErrorCode code) {
    assertThat(catchFiscal(call).code()).isEqualTo(code);
  }
}
