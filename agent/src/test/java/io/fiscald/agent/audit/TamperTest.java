package io.fiscald.agent.audit;

import static io.fiscald.agent.audit.JournalFixture.entry;
import static io.fiscald.agent.audit.JournalFixture.raw;
import static io.fiscald.agent.audit.JournalFixture.rechain;
import static io.fiscald.agent.audit.JournalFixture.replaceOnce;
import static io.fiscald.agent.audit.JournalFixture.rewrite;
import static io.fiscald.agent.audit.JournalFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.Signer;
import io.fiscald.hal.sign.SoftwareSigner;
import io.fiscald.store.ChainHash;
import io.fiscald.store.Counters;
import io.fiscald.store.Database;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.Receipts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampers with a real journal database the way someone with the file and a SQLite shell would, and
 * checks that the audit names the exact entry and says what is wrong there.
 */
class TamperTest {
  @TempDir Path tmp;
  JournalFixture f;

  @BeforeEach
  void setUp() {
    f = JournalFixture.create(tmp);
    AuditReport untouched = f.audit();
    assertThat(untouched.ok()).as("the untouched fixture audits ok: %s", untouched.finding()).isTrue();
    assertThat(untouched.entriesChecked()).isEqualTo(12);
    assertThat(untouched.receiptsChecked()).isEqualTo(8);
    assertThat(untouched.headSeq()).isEqualTo(12);
  }

  private AuditFinding tamperAndAudit(Tampering tampering) throws Exception {
    try (Connection c = raw(f.db())) {
      tampering.apply(c);
    }
    AuditReport report = f.audit();
    assertThat(report.ok()).as("the tampered journal must fail the audit").isFalse();
    return report.finding();
  }

  private interface Tampering {
    void apply(Connection c) throws Exception;
  }

  // ---- the chain itself ------------------------------------------------------------------------

  @Test
  void anEditedReceiptPayloadIsNamedAtItsSeq() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      JournalEntry e = entry(c, 5);
      long total = ReceiptCodec.receipt(e.payload()).totalMinor();
      sql(c, "UPDATE journal SET payload = replace(payload, ?, ?) WHERE seq = 5",
          "\"totalMinor\":" + total + ",", "\"totalMinor\":" + (total - 100_00) + ",");
      assertThat(entry(c, 5).payload()).isNotEqualTo(e.payload());
    });
    assertThat(finding.seq()).isEqualTo(5);
    assertThat(finding.problem()).contains("hash does not match");
  }

  @Test
  void anEditedPayloadWithARecomputedHashFailsOnTheSignature() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      JournalEntry e = entry(c, 5);
      String payload = replaceOnce(e.payload(), "\"totalMinor\":75000", "\"totalMinor\":7500");
      byte[] hash = ChainHash.compute(e.prevHash(), 5, e.kind(), e.createdAt(), payload);
      rewrite(c, new JournalEntry(5, e.kind(), e.createdAt(), payload, e.prevHash(), hash, e.signature()));
      JournalEntry next = entry(c, 6);
      byte[] nextHash = ChainHash.compute(hash, 6, next.kind(), next.createdAt(), next.payload());
      rewrite(c, new JournalEntry(6, next.kind(), next.createdAt(), next.payload(), hash, nextHash,
          next.signature()));
    });
    assertThat(finding.seq()).isEqualTo(5);
    assertThat(finding.problem()).contains("signature does not verify");
  }

  @Test
  void anEditedKindIsNamedAtItsSeq() throws Exception {
    AuditFinding finding = tamperAndAudit(c ->
        assertThat(sql(c, "UPDATE journal SET kind = ? WHERE seq = 7", JournalKind.DAY_OPENED)).isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(7);
    assertThat(finding.problem()).contains("hash does not match");
  }

  @Test
  void anEditedTimeIsNamedAtItsSeq() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      String createdAt = entry(c, 8).createdAt();
      String earlier = createdAt.substring(0, 11) + "05" + createdAt.substring(13); // an hour or so back
      assertThat(earlier).isNotEqualTo(createdAt);
      sql(c, "UPDATE journal SET created_at = ? WHERE seq = 8", earlier);
    });
    assertThat(finding.seq()).isEqualTo(8);
    assertThat(finding.problem()).contains("hash does not match");
  }

  @Test
  void aDeletedEntryInTheMiddleIsReportedAtTheMissingSeq() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> assertThat(sql(c, "DELETE FROM journal WHERE seq = 6")).isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(6);
    assertThat(finding.problem()).contains("missing").contains("from seq 5 to seq 7");
  }

  @Test
  void anInsertedEntrySignedWithAnotherKeyIsNamedWhereItWasInserted() throws Exception {
    Signer forger = SoftwareSigner.generate(KeyAlgorithm.EC_P256);
    AuditFinding finding = tamperAndAudit(c -> {
      // make room: 7..12 become 8..13 (in two steps so the primary key never collides)
      sql(c, "UPDATE journal SET seq = -seq WHERE seq >= 7");
      sql(c, "UPDATE journal SET seq = 1 - seq WHERE seq < 0");
      sql(c, "UPDATE receipts SET journal_seq = -journal_seq WHERE journal_seq >= 7");
      sql(c, "UPDATE receipts SET journal_seq = 1 - journal_seq WHERE journal_seq < 0");
      JournalEntry six = entry(c, 6);
      JournalEntry model = entry(c, 8); // the old 7, a receipt
      byte[] hash = ChainHash.compute(six.hash(), 7, model.kind(), model.createdAt(), model.payload());
      sql(c, "INSERT INTO journal (seq, kind, created_at, payload, prev_hash, hash, signature)"
              + " VALUES (7, ?, ?, ?, ?, ?, ?)",
          model.kind(), model.createdAt(), model.payload(), six.hash(), hash, forger.sign(hash));
    });
    assertThat(finding.seq()).isEqualTo(7);
    assertThat(finding.problem()).contains("signature does not verify");
  }

  @Test
  void aRowAppendedAfterTheHeadWithABogusHashIsNamed() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      JournalEntry last = entry(c, 12);
      sql(c, "INSERT INTO journal (seq, kind, created_at, payload, prev_hash, hash, signature)"
              + " VALUES (13, ?, ?, ?, ?, ?, ?)",
          last.kind(), last.createdAt(), last.payload(), last.hash(), new byte[32], last.signature());
    });
    assertThat(finding.seq()).isEqualTo(13);
    assertThat(finding.problem()).contains("hash does not match");
  }

  @Test
  void swappedContentsOfTwoEntriesAreNamedAtTheFirst() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      JournalEntry four = entry(c, 4);
      JournalEntry five = entry(c, 5);
      rewrite(c, new JournalEntry(4, five.kind(), five.createdAt(), five.payload(), four.prevHash(), four.hash(),
          four.signature()));
      rewrite(c, new JournalEntry(5, four.kind(), four.createdAt(), four.payload(), five.prevHash(), five.hash(),
          five.signature()));
    });
    assertThat(finding.seq()).isEqualTo(4);
    assertThat(finding.problem()).contains("hash does not match");
  }

  @Test
  void swappedWholeRowsBreakTheLinkAtTheFirst() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      sql(c, "UPDATE journal SET seq = -1 WHERE seq = 4");
      sql(c, "UPDATE journal SET seq = 4 WHERE seq = 5");
      sql(c, "UPDATE journal SET seq = 5 WHERE seq = -1");
    });
    assertThat(finding.seq()).isEqualTo(4);
    assertThat(finding.problem()).contains("prev_hash does not match the hash of entry 3");
  }

  @Test
  void aTruncatedTailDisagreesWithTheRecordedHead() throws Exception {
    AuditFinding finding = tamperAndAudit(c ->
        assertThat(sql(c, "DELETE FROM journal WHERE seq IN (11, 12)")).isEqualTo(2));
    assertThat(finding.seq()).isEqualTo(11);
    assertThat(finding.problem()).contains("ends at seq 10").contains("recorded head is seq 12")
        .contains("cut off the end");
  }

  // ---- tables derived from the journal ---------------------------------------------------------

  @Test
  void aReceiptTotalChangedBehindTheJournalsBackIsNamed() throws Exception {
    AuditFinding finding = tamperAndAudit(c ->
        assertThat(sql(c, "UPDATE receipts SET total_minor = total_minor + 100 WHERE journal_seq = 5")).isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(5);
    assertThat(finding.problem()).contains("INV-000003").contains("total_minor is 75100 in the table but 75000");
  }

  @Test
  void aReceiptBodyChangedBehindTheJournalsBackIsNamed() throws Exception {
    AuditFinding finding = tamperAndAudit(c ->
        assertThat(sql(c, "UPDATE receipts SET body = replace(body, 'Sugar 1kg', 'Salt 1kg') WHERE journal_seq = 7"))
            .isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(7);
    assertThat(finding.problem()).contains("INV-000004").contains("differs from the journal: body");
  }

  @Test
  void aDeletedReceiptRowIsNamedAtItsEntry() throws Exception {
    AuditFinding finding = tamperAndAudit(c ->
        assertThat(sql(c, "DELETE FROM receipts WHERE journal_seq = 8")).isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(8);
    assertThat(finding.problem()).contains("INV-000005").contains("row is missing");
  }

  @Test
  void anExtraReceiptRowIsNamedAtTheEntryItClaims() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      // a copy of INV-000002 with fresh numbers, pinned to the day-close entry (journal_seq is UNIQUE,
      // so the only free seqs are those of non-receipt entries)
      int n = sql(c, "INSERT INTO receipts (receipt_number, type, day_no, day_counter, global_no, invoice_no,"
          + " currency, total_minor, tax_minor, issued_at, journal_seq, original_number, body)"
          + " SELECT 'INV-000099', type, day_no, 99, 99, 99, currency, total_minor, tax_minor, issued_at, 9,"
          + " original_number, body FROM receipts WHERE journal_seq = 4");
      assertThat(n).isEqualTo(1);
    });
    assertThat(finding.seq()).isEqualTo(9);
    assertThat(finding.problem()).contains("receipts row INV-000099 claims journal seq 9")
        .contains("DAY_CLOSED entry, not a receipt");
  }

  @Test
  void anExtraReceiptRowPointingPastTheJournalIsCounted() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      int n = sql(c, "INSERT INTO receipts (receipt_number, type, day_no, day_counter, global_no, invoice_no,"
          + " currency, total_minor, tax_minor, issued_at, journal_seq, original_number, body)"
          + " SELECT 'INV-000099', type, day_no, 99, 99, 99, currency, total_minor, tax_minor, issued_at, 99,"
          + " original_number, body FROM receipts WHERE journal_seq = 4");
      assertThat(n).isEqualTo(1);
    });
    assertThat(finding.seq()).isEqualTo(12);
    assertThat(finding.problem()).contains("receipts table has 9 rows but the journal holds 8 receipts");
  }

  @Test
  void anEditedStoredZReportIsNamedAtTheDayClose() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      String z = entry(c, 9).payload();
      assertThat(sql(c, "UPDATE fiscal_days SET z_report = ? WHERE day_no = 1",
          replaceOnce(z, "\"receiptCount\":6", "\"receiptCount\":5"))).isEqualTo(1);
    });
    assertThat(finding.seq()).isEqualTo(9);
    assertThat(finding.problem()).contains("fiscal_days row of day 1 does not match its Z report entry");
  }

  @Test
  void aZReportResignedWithTheRealKeyStillHasToAddUp() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> {
      JournalEntry close = entry(c, 9);
      DayReport z = ReceiptCodec.dayReport(close.payload());
      long total = z.currencies().get(0).totalMinor();
      String forged = replaceOnce(close.payload(), "\"totalMinor\":" + total + "}",
          "\"totalMinor\":" + (total - 500_00) + "}");
      rewrite(c, new JournalEntry(9, close.kind(), close.createdAt(), forged, close.prevHash(), close.hash(),
          close.signature()));
      sql(c, "UPDATE fiscal_days SET z_report = ? WHERE day_no = 1", forged);
      rechain(c, 9, f.realSigner(c)); // 9..12 re-hashed and re-signed, head moved: the chain itself is valid
    });
    assertThat(finding.seq()).isEqualTo(9);
    assertThat(finding.problem()).contains("Z report of day 1 does not add up");
  }

  @Test
  void aMovedCounterIsReported() throws Exception {
    AuditFinding finding = tamperAndAudit(c ->
        assertThat(sql(c, "UPDATE counters SET value = value + 1 WHERE name = ?", Counters.GLOBAL_NO)).isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(12);
    assertThat(finding.problem()).contains("counter " + Counters.GLOBAL_NO + " is 9")
        .contains("last receipt is number 8");
  }

  @Test
  void aMovedInvoiceCounterIsReported() throws Exception {
    AuditFinding finding = tamperAndAudit(c ->
        assertThat(sql(c, "UPDATE counters SET value = value - 1 WHERE name = ?",
            Counters.invoiceCounter("CREDIT_NOTE"))).isEqualTo(1));
    assertThat(finding.problem()).contains(Counters.invoiceCounter("CREDIT_NOTE") + " is 0");
  }

  // ---- the key ---------------------------------------------------------------------------------

  @Test
  void aSwappedDevicePublicKeyFailsAtTheFirstEntry() throws Exception {
    byte[] other = SoftwareSigner.generate(KeyAlgorithm.EC_P256).publicKey().getEncoded();
    AuditFinding finding = tamperAndAudit(c ->
        assertThat(sql(c, "UPDATE devices SET public_key = ?", other)).isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(1);
    assertThat(finding.problem()).contains("signature does not verify");
  }

  @Test
  void aChainResignedWithASwappedKeyStillDisagreesWithTheKeyRecordedAtInitialisation() throws Exception {
    Signer forger = SoftwareSigner.generate(KeyAlgorithm.EC_P256);
    AuditFinding finding = tamperAndAudit(c -> {
      sql(c, "UPDATE devices SET public_key = ?", forger.publicKey().getEncoded());
      rechain(c, 1, forger);
    });
    assertThat(finding.seq()).isEqualTo(1);
    assertThat(finding.problem()).contains("key recorded at initialisation");
  }

  @Test
  void aTaxTableChangedInTheDevicesRowIsNamedAtTheInitialisation() throws Exception {
    // found by fiscalctl bench tamper: a bit flip in devices.settings (the tax table) went unnoticed
    AuditFinding finding = tamperAndAudit(c -> assertThat(sql(c,
        "UPDATE devices SET settings = replace(settings, '\"percent\":16', '\"percent\":6')")).isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(1);
    assertThat(finding.problem()).contains("devices row differs from the initialisation entry: settings");
  }

  @Test
  void anEnvironmentOrCreationTimeChangedInTheDevicesRowIsNamedAtTheInitialisation() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> assertThat(sql(c,
        "UPDATE devices SET environment = 'production', created_at = '2020-01-01T00:00:00Z'")).isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(1);
    assertThat(finding.problem()).contains("environment, created_at");
  }

  @Test
  void aDeviceIdChangedInTheDevicesRowIsNamedAtTheInitialisation() throws Exception {
    AuditFinding finding = tamperAndAudit(c -> assertThat(sql(c, "UPDATE devices SET device_id = 'OTHER-1'"))
        .isEqualTo(1));
    assertThat(finding.seq()).isEqualTo(1);
    assertThat(finding.problem()).contains("device_id");
  }

  // ---- the file ----------------------------------------------------------------------------------

  @Test
  void aBitFlippedInsideStoredDataIsDetected() throws Exception {
    String payload;
    try (Connection c = Database.openReadOnly(f.db())) {
      payload = entry(c, 5).payload();
    }
    assertAllClosedAndCheckpointed();
    long at = JournalFixture.flipLiveCopy(f.db(), payload, 5);
    assertThat(at).isGreaterThan(4096); // past the header page: inside a data page
    assertThat(detected(f.db())).as("a flipped bit inside a receipt is detected").isTrue();
  }

  @Test
  void aBitFlippedInAPageHeaderIsDetected() throws Exception {
    long pageSize;
    long pages;
    try (Connection c = Database.openReadOnly(f.db())) {
      pageSize = JournalFixture.scalar(c, "PRAGMA page_size");
      pages = JournalFixture.scalar(c, "PRAGMA page_count");
      assertThat(JournalFixture.scalar(c, "PRAGMA freelist_count")).as("every page is in use").isZero();
    }
    assertAllClosedAndCheckpointed();
    long middlePage = pages / 2 + 1; // 1-based, never page 1 (the file header)
    assertThat(middlePage).isGreaterThan(1);
    try (var ch = java.nio.channels.FileChannel.open(f.db(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      var b = java.nio.ByteBuffer.allocate(1);
      long pos = (middlePage - 1) * pageSize; // first byte: the b-tree page type
      ch.read(b, pos);
      b.put(0, (byte) (b.get(0) ^ 0xFF));
      b.rewind();
      ch.write(b, pos);
    }
    assertThat(detected(f.db())).as("a damaged page is detected").isTrue();
  }

  private void assertAllClosedAndCheckpointed() throws Exception {
    Path wal = f.db().resolveSibling(Database.FILE_NAME + "-wal");
    assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("everything is in the main file").isTrue();
  }

  /** integrity_check, then the audit; any refusal to read counts as detection. */
  private static boolean detected(Path db) {
    try (Connection c = Database.openReadOnly(db)) {
      if (!"ok".equals(Database.integrityCheck(c))) {
        return true;
      }
      return !JournalAuditor.audit(c).ok();
    } catch (Exception e) {
      return true;
    }
  }

  @Test
  void theAuditReadsTheTablesItChecks() throws Exception {
    // guards the fixture: the rows the tests above tamper with are where they are expected
    try (Connection c = Database.openReadOnly(f.db())) {
      assertThat(Receipts.findByJournalSeq(c, 5).orElseThrow().receiptNumber()).isEqualTo("INV-000003");
      assertThat(Receipts.findByJournalSeq(c, 5).orElseThrow().totalMinor()).isEqualTo(75_000);
      assertThat(Receipts.findByJournalSeq(c, 6).orElseThrow().receiptNumber()).isEqualTo("CRN-000001");
      assertThat(Receipts.findByJournalSeq(c, 7).orElseThrow().receiptNumber()).isEqualTo("INV-000004");
      assertThat(Receipts.findByJournalSeq(c, 8).orElseThrow().receiptNumber()).isEqualTo("INV-000005");
      assertThat(Receipts.findByJournalSeq(c, 12).orElseThrow().receiptNumber()).isEqualTo("INV-000007");
      assertThat(HexFormat.of().formatHex(entry(c, 12).hash()))
          .isEqualTo(io.fiscald.store.Journal.recordedHead(c).orElseThrow().hashHex());
      assertThat(ReceiptCodec.dayReport(entry(c, 9).payload()).receiptCount()).isEqualTo(6);
    }
  }
}
