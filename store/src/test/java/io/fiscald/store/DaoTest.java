package io.fiscald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaoTest {

  @TempDir Path dir;

  private Path file;
  private Connection c;

  @BeforeEach
  void open() {
    file = dir.resolve(Database.FILE_NAME);
    c = Database.openForWriting(file);
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  /** Reopens the file so a round trip really went through SQLite. */
  private Connection reopened() {
    return Database.openReadOnly(file);
  }

  @Nested
  class CountersAndMeta {
    @Test
    void setGetAndAll() throws SQLException {
      assertThat(Counters.get(c, Counters.GLOBAL_NO)).isZero();
      assertThat(Counters.all(c)).isEmpty();

      Counters.set(c, Counters.GLOBAL_NO, 41);
      Counters.set(c, Counters.GLOBAL_NO, 42);
      Counters.set(c, Counters.invoiceCounter("CREDIT_NOTE"), 3);
      Counters.set(c, Counters.DAY_NO, 7);
      Counters.set(c, "big", Long.MAX_VALUE);

      try (Connection r = reopened()) {
        assertThat(Counters.get(r, Counters.GLOBAL_NO)).isEqualTo(42);
        assertThat(Counters.get(r, "receipt.invoice.CREDIT_NOTE")).isEqualTo(3);
        assertThat(Counters.get(r, "big")).isEqualTo(Long.MAX_VALUE);
        assertThat(Counters.all(r)).containsExactly(
            Map.entry("big", Long.MAX_VALUE),
            Map.entry("day.number", 7L),
            Map.entry("receipt.global", 42L),
            Map.entry("receipt.invoice.CREDIT_NOTE", 3L));
      }
    }

    @Test
    void metaPutOverwritesAndGetIsEmptyWhenMissing() {
      assertThat(Meta.get(c, "last.backup")).isEmpty();
      Meta.put(c, "last.backup", "a");
      Meta.put(c, "last.backup", "b");
      assertThat(Meta.get(c, "last.backup")).contains("b");
      assertThat(TestRows.scalar(c, "SELECT count(*) FROM meta WHERE key = 'last.backup'")).isEqualTo(1);
    }
  }

  @Nested
  class Days {
    @Test
    void openCloseAndLatest() {
      assertThat(FiscalDays.latest(c)).isEmpty();

      JournalEntry opened = TestRows.openDay(c, 1);
      FiscalDayRecord day1 = FiscalDays.latest(c).orElseThrow();
      assertThat(day1).isEqualTo(new FiscalDayRecord(1, "OPEN", opened.createdAt(), null, opened.seq(), null, null));
      assertThat(day1.isOpen()).isTrue();

      JournalEntry closed = TestRows.closeDay(c, 1);
      FiscalDayRecord closedDay = FiscalDays.get(c, 1).orElseThrow();
      assertThat(closedDay.isOpen()).isFalse();
      assertThat(closedDay.status()).isEqualTo("CLOSED");
      assertThat(closedDay.closedAt()).isEqualTo(closed.createdAt());
      assertThat(closedDay.closeSeq()).isEqualTo(closed.seq());
      assertThat(closedDay.zReport()).isEqualTo("{\"dayNo\":1}");
      assertThat(closedDay.openSeq()).isEqualTo(opened.seq());

      TestRows.openDay(c, 2);
      assertThat(FiscalDays.latest(c)).get().extracting(FiscalDayRecord::dayNo).isEqualTo(2L);
      assertThat(FiscalDays.all(c)).extracting(FiscalDayRecord::dayNo).containsExactly(1L, 2L);
      assertThat(FiscalDays.get(c, 3)).isEmpty();
    }

    @Test
    void closingADayThatIsNotOpenIsRefusedAndChangesNothing() {
      TestRows.openDay(c, 1);
      JournalEntry close = TestRows.closeDay(c, 1);
      JournalEntry again = TestRows.append(c, "DAY_CLOSED", Map.of("dayNo", 1));

      assertThatThrownBy(() -> FiscalDays.close(c, 1, again.createdAt(), again.seq(), "{\"other\":1}"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("fiscal day 1 is not open");
      assertThatThrownBy(() -> FiscalDays.close(c, 9, again.createdAt(), again.seq(), "{}"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("fiscal day 9 is not open");

      FiscalDayRecord day = FiscalDays.get(c, 1).orElseThrow();
      assertThat(day.closeSeq()).isEqualTo(close.seq());
      assertThat(day.zReport()).isEqualTo("{\"dayNo\":1}");
      assertThat(FiscalDays.all(c)).hasSize(1);
    }

    @Test
    void openingTheSameDayTwiceIsRefused() {
      TestRows.openDay(c, 1);
      JournalEntry e = TestRows.append(c, "DAY_OPENED", Map.of("dayNo", 1));
      assertThatThrownBy(() -> FiscalDays.open(c, 1, e.createdAt(), e.seq()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("open fiscal day 1");
    }
  }

  @Nested
  class ReceiptRows {
    @BeforeEach
    void day() {
      TestRows.openDay(c, 1);
    }

    @Test
    void insertAndFindRoundTrip() throws SQLException {
      ReceiptRecord r = TestRows.receipt(c, 1, 1, 1, 11500);
      assertThat(r.id()).isPositive();

      try (Connection ro = reopened()) {
        assertThat(Receipts.findByNumber(ro, r.receiptNumber())).contains(r);
        assertThat(Receipts.findByJournalSeq(ro, r.journalSeq())).contains(r);
        assertThat(Receipts.count(ro)).isEqualTo(1);
      }
      assertThat(Receipts.findByNumber(c, "nope")).isEmpty();
      assertThat(Receipts.findByJournalSeq(c, 1)).isEmpty(); // seq 1 is the day opening
      assertThat(Receipts.findByNumber(c, r.receiptNumber())).get()
          .extracting(ReceiptRecord::originalNumber).isNull();
    }

    @Test
    void byDayIsOrderedByDayCounterAndMaxCounterFollows() {
      TestRows.openDay(c, 2);
      assertThat(Receipts.byDayMaxCounter(c, 1)).isZero();
      assertThat(Receipts.byDay(c, 1)).isEmpty();

      TestRows.receipt(c, 1, 3, 3, 300);
      TestRows.receipt(c, 1, 1, 1, 100);
      TestRows.receipt(c, 2, 1, 4, 400);
      TestRows.receipt(c, 1, 2, 2, 200);

      assertThat(Receipts.byDay(c, 1)).extracting(ReceiptRecord::dayCounter).containsExactly(1L, 2L, 3L);
      assertThat(Receipts.byDay(c, 1)).extracting(ReceiptRecord::totalMinor).containsExactly(100L, 200L, 300L);
      assertThat(Receipts.byDay(c, 2)).extracting(ReceiptRecord::globalNo).containsExactly(4L);
      assertThat(Receipts.byDayMaxCounter(c, 1)).isEqualTo(3);
      assertThat(Receipts.byDayMaxCounter(c, 2)).isEqualTo(1);
      assertThat(Receipts.byDayMaxCounter(c, 3)).isZero();
      assertThat(Receipts.all(c)).extracting(ReceiptRecord::globalNo).containsExactly(1L, 2L, 3L, 4L);
      assertThat(Receipts.count(c)).isEqualTo(4);
    }

    @Test
    void sumOfNotesCountsOnlyNotesOfThatTypeForThatOriginal() {
      ReceiptRecord a = TestRows.receipt(c, 1, 1, 1, 10000);
      ReceiptRecord b = TestRows.receipt(c, 1, 2, 2, 5000);
      TestRows.note(c, "CREDIT_NOTE", 1, 3, 3, 2500, a.receiptNumber());
      TestRows.note(c, "CREDIT_NOTE", 1, 4, 4, 1000, a.receiptNumber());
      TestRows.note(c, "DEBIT_NOTE", 1, 5, 5, 700, a.receiptNumber());
      TestRows.note(c, "CREDIT_NOTE", 1, 6, 6, 400, b.receiptNumber());

      assertThat(Receipts.sumOfNotes(c, a.receiptNumber(), "CREDIT_NOTE")).isEqualTo(3500);
      assertThat(Receipts.sumOfNotes(c, a.receiptNumber(), "DEBIT_NOTE")).isEqualTo(700);
      assertThat(Receipts.sumOfNotes(c, b.receiptNumber(), "CREDIT_NOTE")).isEqualTo(400);
      assertThat(Receipts.sumOfNotes(c, b.receiptNumber(), "DEBIT_NOTE")).isZero();
      assertThat(Receipts.sumOfNotes(c, "unknown", "CREDIT_NOTE")).isZero();
    }

    @Test
    void noteMustReferToAnExistingReceipt() {
      assertThatThrownBy(() -> TestRows.note(c, "CREDIT_NOTE", 1, 1, 1, 100, "DEV1-999999"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("FOREIGN KEY");
    }

    @Test
    void sameReceiptNumberTwiceIsRefused() {
      ReceiptRecord r = TestRows.receipt(c, 1, 1, 1, 100);
      JournalEntry e = TestRows.append(c, "RECEIPT", Map.of("n", 2));
      ReceiptRecord clash = new ReceiptRecord(0, r.receiptNumber(), "INVOICE", 1, 2, 2, 2, "USD", 200, 26,
          e.createdAt(), e.seq(), null, e.payload());

      assertThatThrownBy(() -> Receipts.insert(c, clash))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(r.receiptNumber())
          .hasMessageContaining("UNIQUE")
          .hasMessageContaining("receipts.receipt_number");
      assertThat(Receipts.count(c)).isEqualTo(1);
      assertThat(Receipts.findByNumber(c, r.receiptNumber())).contains(r);
    }

    @Test
    void sameDayCounterTwiceIsRefused() {
      TestRows.receipt(c, 1, 1, 1, 100);

      assertThatThrownBy(() -> TestRows.receipt(c, 1, 1, 2, 200))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("UNIQUE")
          .hasMessageContaining("receipts.day_no, receipts.day_counter");
      assertThat(Receipts.count(c)).isEqualTo(1);

      // the same counter on another day is fine
      TestRows.openDay(c, 2);
      TestRows.receipt(c, 2, 1, 2, 200);
      assertThat(Receipts.count(c)).isEqualTo(2);
    }

    @Test
    void sameGlobalNumberOrJournalSeqTwiceIsRefused() {
      ReceiptRecord r = TestRows.receipt(c, 1, 1, 1, 100);
      JournalEntry e = TestRows.append(c, "RECEIPT", Map.of("n", 2));
      ReceiptRecord sameGlobal = new ReceiptRecord(0, "OTHER-1", "INVOICE", 1, 2, r.globalNo(), 2, "USD", 1, 0,
          e.createdAt(), e.seq(), null, e.payload());
      ReceiptRecord sameSeq = new ReceiptRecord(0, "OTHER-2", "INVOICE", 1, 3, 3, 3, "USD", 1, 0,
          e.createdAt(), r.journalSeq(), null, e.payload());

      assertThatThrownBy(() -> Receipts.insert(c, sameGlobal)).isInstanceOf(StoreException.class)
          .hasMessageContaining("receipts.global_no");
      assertThatThrownBy(() -> Receipts.insert(c, sameSeq)).isInstanceOf(StoreException.class)
          .hasMessageContaining("receipts.journal_seq");
      assertThat(Receipts.count(c)).isEqualTo(1);
    }
  }

  @Nested
  class OutboxRows {
    @Test
    void enqueuePendingCountAndOldestPending() {
      assertThat(Outbox.pendingCount(c)).isZero();
      assertThat(Outbox.oldestPending(c)).isEmpty();

      JournalEntry day = TestRows.openDay(c, 1);
      long dayMsg = Outbox.enqueue(c, null, day.seq(), "zimra", "OpenDay", "{\"dayNo\":1}", "2026-01-01T08:00:00Z");
      ReceiptRecord r = TestRows.receipt(c, 1, 1, 1, 100);
      long receiptMsg = Outbox.enqueue(c, r.id(), r.journalSeq(), "zimra", "SubmitReceipt", r.body(),
          "2026-01-01T08:05:00Z");

      assertThat(receiptMsg).isGreaterThan(dayMsg);
      assertThat(Outbox.pendingCount(c)).isEqualTo(2);
      assertThat(Outbox.oldestPending(c)).contains("2026-01-01T08:00:00Z");
      assertThat(TestRows.query(c, "SELECT receipt_id, journal_seq, authority, message_type, status, attempts"
          + " FROM outbox ORDER BY id")).containsExactly(
          java.util.Arrays.asList(null, day.seq(), "zimra", "OpenDay", "PENDING", 0L),
          List.of(r.id(), r.journalSeq(), "zimra", "SubmitReceipt", "PENDING", 0L));

      // once the oldest is sent, the next one is the oldest pending
      TestRows.exec(c, "UPDATE outbox SET status = 'SENT' WHERE id = " + dayMsg);
      assertThat(Outbox.pendingCount(c)).isEqualTo(1);
      assertThat(Outbox.oldestPending(c)).contains("2026-01-01T08:05:00Z");
    }

    @Test
    void outboxRowMustReferToAJournalEntryAndReceipt() {
      assertThatThrownBy(() -> Outbox.enqueue(c, null, 5, "zimra", "OpenDay", "{}", TestRows.T0))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("FOREIGN KEY");
      JournalEntry e = TestRows.append(c, "X", Map.of());
      assertThatThrownBy(() -> Outbox.enqueue(c, 77L, e.seq(), "zimra", "SubmitReceipt", "{}", TestRows.T0))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("FOREIGN KEY");
      assertThat(Outbox.pendingCount(c)).isZero();
    }
  }

  @Nested
  class PrintQueue {
    private ReceiptRecord r1;
    private ReceiptRecord r2;

    @BeforeEach
    void receipts() {
      TestRows.openDay(c, 1);
      r1 = TestRows.receipt(c, 1, 1, 1, 100);
      r2 = TestRows.receipt(c, 1, 2, 2, 200);
    }

    @Test
    void enqueuePendingAndMarkPrinted() {
      assertThat(PrintJobs.pendingCount(c)).isZero();
      assertThat(PrintJobs.latestFor(c, r1.id())).isEmpty();
      assertThat(PrintJobs.maxCopy(c, r1.id())).isZero();

      long j1 = PrintJobs.enqueue(c, r1.id(), 0, TestRows.T0);
      long j2 = PrintJobs.enqueue(c, r2.id(), 0, TestRows.T0);
      long j3 = PrintJobs.enqueue(c, r1.id(), 1, TestRows.T0);

      assertThat(PrintJobs.pendingCount(c)).isEqualTo(3);
      assertThat(PrintJobs.pending(c, 10)).containsExactly(
          new PrintJob(j1, r1.id(), 0, "PENDING", 0, null),
          new PrintJob(j2, r2.id(), 0, "PENDING", 0, null),
          new PrintJob(j3, r1.id(), 1, "PENDING", 0, null));
      assertThat(PrintJobs.pending(c, 2)).extracting(PrintJob::id).containsExactly(j1, j2);

      PrintJobs.markPrinted(c, j1, "2026-01-01T00:00:05Z");

      assertThat(PrintJobs.pendingCount(c)).isEqualTo(2);
      assertThat(PrintJobs.pending(c, 10)).extracting(PrintJob::id).containsExactly(j2, j3);
      assertThat(TestRows.query(c, "SELECT status, attempts, printed_at FROM print_jobs WHERE id = " + j1))
          .containsExactly(List.of("PRINTED", 1L, "2026-01-01T00:00:05Z"));
      assertThat(PrintJobs.latestFor(c, r1.id())).contains(new PrintJob(j3, r1.id(), 1, "PENDING", 0, null));
      assertThat(PrintJobs.maxCopy(c, r1.id())).isEqualTo(1);
      assertThat(PrintJobs.maxCopy(c, r2.id())).isZero();
    }

    @Test
    void failureKeepsTheJobPendingCountsAttemptsAndKeepsTheError() {
      long j = PrintJobs.enqueue(c, r1.id(), 0, TestRows.T0);

      PrintJobs.recordFailure(c, j, "paper out");
      assertThat(PrintJobs.latestFor(c, r1.id())).contains(new PrintJob(j, r1.id(), 0, "PENDING", 1, "paper out"));

      PrintJobs.recordFailure(c, j, "cover open");
      assertThat(PrintJobs.latestFor(c, r1.id())).contains(new PrintJob(j, r1.id(), 0, "PENDING", 2, "cover open"));
      assertThat(PrintJobs.pendingCount(c)).isEqualTo(1);
      assertThat(PrintJobs.pending(c, 10)).extracting(PrintJob::id).containsExactly(j);

      PrintJobs.markPrinted(c, j, "2026-01-01T00:01:00Z");
      PrintJob done = PrintJobs.latestFor(c, r1.id()).orElseThrow();
      assertThat(done.status()).isEqualTo("PRINTED");
      assertThat(done.attempts()).isEqualTo(3);
      assertThat(done.lastError()).isEqualTo("cover open");
      assertThat(PrintJobs.pendingCount(c)).isZero();
    }

    @Test
    void reprintsAreCopiesOfTheSameReceipt() {
      PrintJobs.enqueue(c, r1.id(), 0, TestRows.T0);
      PrintJobs.enqueue(c, r1.id(), PrintJobs.maxCopy(c, r1.id()) + 1, TestRows.T0);
      PrintJobs.enqueue(c, r1.id(), PrintJobs.maxCopy(c, r1.id()) + 1, TestRows.T0);

      assertThat(PrintJobs.maxCopy(c, r1.id())).isEqualTo(2);
      assertThat(PrintJobs.latestFor(c, r1.id())).get().extracting(PrintJob::copy).isEqualTo(2);
    }

    @Test
    void printJobMustReferToAReceipt() {
      assertThatThrownBy(() -> PrintJobs.enqueue(c, 999, 0, TestRows.T0))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("FOREIGN KEY");
      assertThat(PrintJobs.pendingCount(c)).isZero();
    }
  }

  @Nested
  class DeviceRows {
    @Test
    void roundTripIncludingBytes() throws SQLException {
      assertThat(Devices.find(c)).isEmpty();
      DeviceRecord d = TestRows.device();
      Devices.insert(c, d);

      try (Connection ro = reopened()) {
        DeviceRecord read = Devices.find(ro).orElseThrow();
        assertThat(read.deviceId()).isEqualTo("DEV1");
        assertThat(read.authority()).isEqualTo("zimra");
        assertThat(read.environment()).isEqualTo("sandbox");
        assertThat(read.keyAlgorithm()).isEqualTo("EC_P256");
        assertThat(read.publicKey()).containsExactly(0, 1, 2, 0xff, 0x7f, 0x80);
        assertThat(read.certificate()).containsExactly(0x30, 0x82, 0, 0, 0xfe);
        assertThat(read.settings()).isEqualTo(d.settings());
        assertThat(read.createdAt()).isEqualTo(d.createdAt());
      }
    }

    @Test
    void deviceWithoutCertificate() {
      Devices.insert(c, new DeviceRecord("KRA1", "kra", "production", "NONE", new byte[0], null, "{}", TestRows.T0));
      DeviceRecord read = Devices.find(c).orElseThrow();
      assertThat(read.certificate()).isNull();
      assertThat(read.publicKey()).isEmpty();
      assertThat(read.environment()).isEqualTo("production");
    }

    @Test
    void unknownEnvironmentAndDuplicateIdAreRefused() {
      assertThatThrownBy(() -> Devices.insert(c,
          new DeviceRecord("D", "zimra", "staging", "EC_P256", new byte[1], null, "{}", TestRows.T0)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("CHECK");
      Devices.insert(c, TestRows.device());
      assertThatThrownBy(() -> Devices.insert(c, TestRows.device()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("UNIQUE");
      assertThat(TestRows.scalar(c, "SELECT count(*) FROM devices")).isEqualTo(1);
    }

    @Test
    void recordCopiesItsByteArrays() {
      byte[] key = {1, 2, 3};
      DeviceRecord d = new DeviceRecord("D", "zimra", "sandbox", "EC_P256", key, key, "{}", TestRows.T0);
      key[0] = 9;
      d.publicKey()[1] = 9;
      assertThat(d.publicKey()).containsExactly(1, 2, 3);
      assertThat(d.certificate()).containsExactly(1, 2, 3);
    }
  }

  @Nested
  class Canonical {
    record Line(String name, long qty, long priceMinor) {}

    record Sale(List<Line> lines, String currency, Map<String, Object> buyer) {}

    @Test
    void sortsNestedKeysAndHasNoWhitespace() {
      Map<String, Object> inner = new LinkedHashMap<>();
      inner.put("zeta", 1);
      inner.put("alpha", List.of(Map.of("y", 2, "b", 1), "text with spaces"));
      Map<String, Object> outer = new LinkedHashMap<>();
      outer.put("b", inner);
      outer.put("a", true);
      outer.put("c", null);

      assertThat(CanonicalJson.write(outer))
          .isEqualTo("{\"a\":true,\"b\":{\"alpha\":[{\"b\":1,\"y\":2},\"text with spaces\"],\"zeta\":1},\"c\":null}");
    }

    @Test
    void recordsAreSortedLikeMaps() {
      Sale sale = new Sale(List.of(new Line("Bread", 2, 150)), "USD", Map.of("tin", "123", "name", "Acme"));

      assertThat(CanonicalJson.write(sale)).isEqualTo(
          "{\"buyer\":{\"name\":\"Acme\",\"tin\":\"123\"},\"currency\":\"USD\","
              + "\"lines\":[{\"name\":\"Bread\",\"priceMinor\":150,\"qty\":2}]}");
    }

    @Test
    void readingAndWritingAgainIsStable() {
      String messy = "{ \"z\" : [ 3, 2, {\"b\":\"x y\", \"a\": -12} ],\n\t\"a\" : {\"n\": 9007199254740993},"
          + " \"é\": \"Café ☕\" }";

      String canonical = CanonicalJson.write(CanonicalJson.read(messy));

      assertThat(canonical).isEqualTo(
          "{\"a\":{\"n\":9007199254740993},\"z\":[3,2,{\"a\":-12,\"b\":\"x y\"}],\"é\":\"Café ☕\"}");
      assertThat(CanonicalJson.write(CanonicalJson.read(canonical))).isEqualTo(canonical);
      JsonNode tree = CanonicalJson.read(canonical);
      assertThat(tree.get("a").get("n").asLong()).isEqualTo(9007199254740993L);
    }

    @Test
    void unreadableJsonIsAStoreError() {
      assertThatThrownBy(() -> CanonicalJson.read("{\"a\":"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("not readable");
    }
  }
}
