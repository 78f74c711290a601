package io.fiscald.bench.reliability;

import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.receipt.OriginalReference;
import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptLine;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.Signer;
import io.fiscald.hal.sign.SoftwareSigner;
import io.fiscald.store.ChainHash;
import io.fiscald.store.Counters;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Tampers with copies of a real journal the way someone with the file and a SQLite shell would — every
 * case the audit's tests cover — and flips single bits at random offsets of the file; each tampered copy
 * must be detected by the audit, by PRAGMA integrity_check, or refused on open.
 */
public final class TamperHarness {
  /** Random bit flips to try (on top of the named cases), their seed, scratch directory. */
  public record Settings(int bitFlips, long seed, Path work) {}

  /** One way of tampering, applied to a plain JDBC connection on a fresh copy. */
  private interface Tampering {
    void apply(Connection c, Fixture f) throws Exception;
  }

  /** The untouched device: its database bytes and its real signer (a careful forger's best tool). */
  private record Fixture(byte[] pristine, Signer realSigner, Map<String, String> dump) {}

  /** Tables whose content is fiscal record: a silent change there is a miss; elsewhere it is operational state. */
  private static final List<String> FISCAL_TABLES = List.of("journal", "receipts", "fiscal_days", "counters",
      "devices", "meta");

  private TamperHarness() {}

  public static Report run(Settings s, PrintStream progress) throws Exception {
    Report report = new Report("tamper");
    report.put("namedCases", 0).put("namedDetected", 0).put("bitFlips", 0).put("bitFlipsInUnusedBytes", 0)
        .put("bitFlipsChangingData", 0).put("bitFlipsDetected", 0).put("bitFlipsUndetectedOperationalOnly", 0);
    DataDirectory dir = new DataDirectory(s.work().resolve("data"));
    BenchDevice.create(dir.root());
    try (Agent agent = Agent.open(dir, BenchDevice.ENV, Clock.systemUTC())) {
      writeTwoDays(agent.core());
    }
    byte[] pristine = Files.readAllBytes(dir.database());
    Path wal = dir.database().resolveSibling(Database.FILE_NAME + "-wal");
    if (Files.exists(wal) && Files.size(wal) > 0) {
      throw new IllegalStateException("the fixture's WAL was not checkpointed into the main file");
    }
    Path caseDir = s.work().resolve("case");
    Files.createDirectories(caseDir);
    Files.copy(dir.root().resolve("master.key"), caseDir.resolve("master.key"));
    Path copy = caseDir.resolve(Database.FILE_NAME);
    Files.write(copy, pristine);
    Map<String, String> pristineDump = dump(copy);
    if (detected(copy) != null) {
      throw new IllegalStateException("the untouched fixture does not audit clean: " + detected(copy));
    }
    try (Agent agent = Agent.open(dir, BenchDevice.ENV, Clock.systemUTC())) {
      Fixture f = new Fixture(pristine, agent.signer(), pristineDump);
      Map<String, String> cases = new LinkedHashMap<>();
      for (Map.Entry<String, Tampering> c : namedCases().entrySet()) {
        Files.write(copy, pristine);
        deleteSidecars(copy);
        Long flipAt = null;
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath())) {
          c.getValue().apply(raw, f);
        } catch (FlipAt flip) {
          flipAt = flip.pos;
        }
        if (flipAt != null) { // a file-level case: flip the byte once SQLite has let go of the file
          byte[] bytes = Files.readAllBytes(copy);
          bytes[(int) (long) flipAt] ^= (byte) 0xFF;
          Files.write(copy, bytes);
        }
        String how = detected(copy);
        report.add("namedCases", 1);
        if (how != null) {
          report.add("namedDetected", 1);
          cases.put(c.getKey(), how);
        } else {
          cases.put(c.getKey(), "NOT DETECTED");
          report.violation("tamper case '" + c.getKey() + "' was not detected");
        }
      }
      report.put("cases", cases);
      bitFlips(s, f, copy, report);
    }
    long named = report.count("namedCases");
    long changing = report.count("bitFlipsChangingData") - report.count("bitFlipsUndetectedOperationalOnly");
    long detectedAll = report.count("namedDetected") + report.count("bitFlipsDetected");
    report.put("detectedPercent", named + changing == 0 ? 0
        : Math.floor(1000.0 * detectedAll / (named + changing)) / 10.0);
    if (progress != null) {
      progress.printf("tamper: %d named cases, %d bit flips%n", named, report.count("bitFlips"));
    }
    return report;
  }

  // ---- the fixture: two days with invoices, a credit note and a Z report ---------------------------

  private static void writeTwoDays(FiscalCore core) {
    core.openDay();
    String first = core.issue(sale("2", "522.00", "B", "1044.00")).receipt().receiptNumber();
    core.issue(sale("1", "100.00", "A", "150.00"));
    core.issue(sale("3", "250.00", "B", "750.00"));
    core.issue(new ReceiptRequest(ReceiptType.CREDIT_NOTE, "KES", true,
        List.of(new ReceiptLine("Sugar 1kg", new BigDecimal("1"), new BigDecimal("522.00"), "B")),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal("522.00"), null)), new Buyer("Acme Ltd", null),
        new OriginalReference(first), "returned goods"));
    core.issue(sale("1", "99.99", "B", "100.00"));
    core.issue(sale("2", "522.00", "B", "1044.00"));
    core.closeDay();
    core.openDay();
    core.issue(sale("4", "12.50", "B", "50.00"));
    core.issue(sale("1", "7.00", "A", "7.00"));
  }

  private static ReceiptRequest sale(String quantity, String unitPrice, String taxCode, String cash) {
    return new ReceiptRequest(ReceiptType.INVOICE, "KES", true,
        List.of(new ReceiptLine("Sugar 1kg", new BigDecimal(quantity), new BigDecimal(unitPrice), taxCode)),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal(cash), null)), null, null, null);
  }

  // ---- the named cases (the same as the audit's tamper tests) --------------------------------------
  // journal layout: 1 init, 2 day open, 3-8 receipts (6 the credit note), 9 day close, 10 day open, 11-12 receipts

  private static Map<String, Tampering> namedCases() {
    Map<String, Tampering> m = new LinkedHashMap<>();
    m.put("edited receipt payload", (c, f) -> {
      long total = ReceiptCodec.receipt(entry(c, 5).payload()).totalMinor();
      sql(c, "UPDATE journal SET payload = replace(payload, ?, ?) WHERE seq = 5",
          "\"totalMinor\":" + total + ",", "\"totalMinor\":" + (total - 100_00) + ",");
    });
    m.put("edited payload with recomputed hash", (c, f) -> {
      JournalEntry e = entry(c, 5);
      String payload = e.payload().replaceFirst("\"totalMinor\":(\\d+)", "\"totalMinor\":1$1");
      byte[] hash = ChainHash.compute(e.prevHash(), 5, e.kind(), e.createdAt(), payload);
      rewrite(c, new JournalEntry(5, e.kind(), e.createdAt(), payload, e.prevHash(), hash, e.signature()));
      JournalEntry next = entry(c, 6);
      rewrite(c, new JournalEntry(6, next.kind(), next.createdAt(), next.payload(), hash,
          ChainHash.compute(hash, 6, next.kind(), next.createdAt(), next.payload()), next.signature()));
    });
    m.put("edited kind", (c, f) -> sql(c, "UPDATE journal SET kind = ? WHERE seq = 7", JournalKind.DAY_OPENED));
    m.put("edited time", (c, f) -> {
      String t = entry(c, 8).createdAt();
      sql(c, "UPDATE journal SET created_at = ? WHERE seq = 8", t.substring(0, 11) + "00" + t.substring(13));
    });
    m.put("deleted entry in the middle", (c, f) -> sql(c, "DELETE FROM journal WHERE seq = 6"));
    m.put("inserted entry signed with another key", (c, f) -> {
      Signer forger = SoftwareSigner.generate(KeyAlgorithm.EC_P256);
      sql(c, "UPDATE journal SET seq = -seq WHERE seq >= 7");
      sql(c, "UPDATE journal SET seq = 1 - seq WHERE seq < 0");
      sql(c, "UPDATE receipts SET journal_seq = -journal_seq WHERE journal_seq >= 7");
      sql(c, "UPDATE receipts SET journal_seq = 1 - journal_seq WHERE journal_seq < 0");
      JournalEntry six = entry(c, 6);
      JournalEntry model = entry(c, 8);
      byte[] hash = ChainHash.compute(six.hash(), 7, model.kind(), model.createdAt(), model.payload());
      sql(c, "INSERT INTO journal (seq, kind, created_at, payload, prev_hash, hash, signature)"
          + " VALUES (7, ?, ?, ?, ?, ?, ?)", model.kind(), model.createdAt(), model.payload(), six.hash(), hash,
          forger.sign(hash));
    });
    m.put("row appended after the head with a bogus hash", (c, f) -> {
      JournalEntry last = entry(c, 12);
      sql(c, "INSERT INTO journal (seq, kind, created_at, payload, prev_hash, hash, signature)"
          + " VALUES (13, ?, ?, ?, ?, ?, ?)", last.kind(), last.createdAt(), last.payload(), last.hash(),
          new byte[32], last.signature());
    });
    m.put("swapped contents of two entries", (c, f) -> {
      JournalEntry four = entry(c, 4);
      JournalEntry five = entry(c, 5);
      rewrite(c, new JournalEntry(4, five.kind(), five.createdAt(), five.payload(), four.prevHash(), four.hash(),
          four.signature()));
      rewrite(c, new JournalEntry(5, four.kind(), four.createdAt(), four.payload(), five.prevHash(), five.hash(),
          five.signature()));
    });
    m.put("swapped whole rows", (c, f) -> {
      sql(c, "UPDATE journal SET seq = -1 WHERE seq = 4");
      sql(c, "UPDATE journal SET seq = 4 WHERE seq = 5");
      sql(c, "UPDATE journal SET seq = 5 WHERE seq = -1");
    });
    m.put("truncated tail", (c, f) -> sql(c, "DELETE FROM journal WHERE seq IN (11, 12)"));
    m.put("receipt total changed behind the journal",
        (c, f) -> sql(c, "UPDATE receipts SET total_minor = total_minor + 100 WHERE journal_seq = 5"));
    m.put("receipt body changed behind the journal", (c, f) ->
        sql(c, "UPDATE receipts SET body = replace(body, 'Sugar 1kg', 'Salt 1kg') WHERE journal_seq = 7"));
    m.put("deleted receipt row", (c, f) -> sql(c, "DELETE FROM receipts WHERE journal_seq = 8"));
    m.put("extra receipt row on a non-receipt entry", (c, f) -> sql(c, "INSERT INTO receipts (receipt_number, type,"
        + " day_no, day_counter, global_no, invoice_no, currency, total_minor, tax_minor, issued_at, journal_seq,"
        + " original_number, body) SELECT 'INV-000099', type, day_no, 99, 99, 99, currency, total_minor, tax_minor,"
        + " issued_at, 9, original_number, body FROM receipts WHERE journal_seq = 4"));
    m.put("extra receipt row past the journal", (c, f) -> sql(c, "INSERT INTO receipts (receipt_number, type,"
        + " day_no, day_counter, global_no, invoice_no, currency, total_minor, tax_minor, issued_at, journal_seq,"
        + " original_number, body) SELECT 'INV-000099', type, day_no, 99, 99, 99, currency, total_minor, tax_minor,"
        + " issued_at, 99, original_number, body FROM receipts WHERE journal_seq = 4"));
    m.put("edited stored Z report", (c, f) -> sql(c, "UPDATE fiscal_days SET z_report = ? WHERE day_no = 1",
        entry(c, 9).payload().replaceFirst("\"receiptCount\":(\\d+)", "\"receiptCount\":9$1")));
    m.put("Z report re-signed with the real key that does not add up", (c, f) -> {
      JournalEntry close = entry(c, 9);
      DayReport z = ReceiptCodec.dayReport(close.payload());
      long total = z.currencies().get(0).totalMinor();
      String forged = close.payload().replace("\"totalMinor\":" + total + "}", "\"totalMinor\":" + (total - 500_00)
          + "}");
      if (forged.equals(close.payload())) {
        throw new IllegalStateException("the Z report's total was not found to forge");
      }
      rewrite(c, new JournalEntry(9, close.kind(), close.createdAt(), forged, close.prevHash(), close.hash(),
          close.signature()));
      sql(c, "UPDATE fiscal_days SET z_report = ? WHERE day_no = 1", forged);
      rechain(c, 9, f.realSigner());
    });
    m.put("moved global counter",
        (c, f) -> sql(c, "UPDATE counters SET value = value + 1 WHERE name = ?", Counters.GLOBAL_NO));
    m.put("moved invoice counter", (c, f) -> sql(c, "UPDATE counters SET value = value - 1 WHERE name = ?",
        Counters.invoiceCounter("CREDIT_NOTE")));
    m.put("swapped device public key", (c, f) -> sql(c, "UPDATE devices SET public_key = ?",
        SoftwareSigner.generate(KeyAlgorithm.EC_P256).publicKey().getEncoded()));
    m.put("tax table changed in the devices row", (c, f) -> sql(c,
        "UPDATE devices SET settings = replace(settings, '\"percent\":16', '\"percent\":6')"));
    m.put("chain re-signed with a swapped key", (c, f) -> {
      Signer forger = SoftwareSigner.generate(KeyAlgorithm.EC_P256);
      sql(c, "UPDATE devices SET public_key = ?", forger.publicKey().getEncoded());
      rechain(c, 1, forger);
    });
    m.put("bit flipped in a page header", (c, f) -> {
      long pageSize;
      long pages;
      try (Statement st = c.createStatement()) {
        pageSize = scalar(st, "PRAGMA page_size");
        pages = scalar(st, "PRAGMA page_count");
      }
      flipByte((pages / 2) * pageSize); // first byte of a middle page: its b-tree page type
    });
    return m;
  }

  // ---- random bit flips ----------------------------------------------------------------------------

  private static void bitFlips(Settings s, Fixture f, Path copy, Report report) throws Exception {
    Random random = new Random(s.seed());
    Map<String, Long> undetectedTables = new TreeMap<>();
    for (int i = 0; i < s.bitFlips(); i++) {
      byte[] flipped = f.pristine().clone();
      int at = random.nextInt(flipped.length);
      flipped[at] ^= (byte) (1 << random.nextInt(8));
      Files.write(copy, flipped);
      deleteSidecars(copy);
      report.add("bitFlips", 1);
      Map<String, String> now;
      try {
        now = dump(copy); // before detection: opening as the agent may write to the file
      } catch (Exception e) {
        now = null; // unreadable
      }
      String how = detected(copy);
      if (how != null || now == null) {
        report.add("bitFlipsChangingData", 1);
        report.add("bitFlipsDetected", 1);
        continue;
      }
      Map<String, String> readBack = now;
      List<String> changed = new ArrayList<>();
      f.dump().forEach((table, hash) -> {
        if (!hash.equals(readBack.get(table))) {
          changed.add(table);
        }
      });
      if (changed.isEmpty()) {
        report.add("bitFlipsInUnusedBytes", 1); // free space, stale cell copies: nothing SQLite reads changed
        continue;
      }
      report.add("bitFlipsChangingData", 1);
      changed.forEach(t -> undetectedTables.merge(t, 1L, Long::sum));
      if (changed.stream().anyMatch(FISCAL_TABLES::contains)) {
        report.violation("bit flip at offset " + at + " (seed " + s.seed() + ", flip " + i + ") changed " + changed
            + " and was not detected");
      } else {
        report.add("bitFlipsUndetectedOperationalOnly", 1);
      }
    }
    report.put("undetectedChangesByTable", undetectedTables);
  }

  // ---- detection ---------------------------------------------------------------------------------

  /** How the tampering was caught (integrity_check, audit, or refused on open), or null if it was not. */
  static String detected(Path db) {
    try (Connection c = Database.openReadOnly(db)) {
      String integrity = Database.integrityCheck(c);
      if (!"ok".equals(integrity)) {
        return "integrity_check";
      }
      AuditReport audit = JournalAuditor.audit(c);
      if (!audit.ok()) {
        return "audit (seq " + audit.finding().seq() + ")";
      }
    } catch (Exception e) {
      return "refused on open";
    }
    // last, open it as the agent does: the sealed signing key must unseal and match
    try (Agent agent = Agent.open(new DataDirectory(db.getParent()), BenchDevice.ENV, Clock.systemUTC())) {
      return null;
    } catch (Exception e) {
      return "refused on open (agent)";
    } finally {
      try {
        deleteSidecars(db);
      } catch (Exception ignored) {
        // best effort: the next case rewrites the file anyway
      }
    }
  }

  /** A digest of every table's rows: what SQLite reads back, to tell harmless flips from silent changes. */
  private static Map<String, String> dump(Path db) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db.toAbsolutePath() + "?mode=ro");
        Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + t + "\" ORDER BY rowid")) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
              byte[] v = rs.getBytes(i);
              d.update(v == null ? new byte[] {0} : v);
              d.update((byte) 0x1f);
            }
          }
        } catch (SQLException e) {
          if (!e.getMessage().contains("no such column: rowid")) {
            throw e;
          }
        }
        out.put(t, HexFormat.of().formatHex(d.digest()));
      }
    }
    return out;
  }

  // ---- helpers for the forger ----------------------------------------------------------------------

  private static void flipByte(long pos) {
    throw new FlipAt(pos);
  }

  /** Thrown by a case that tampers with the file rather than through SQL; the case loop flips the byte after closing. */
  private static final class FlipAt extends RuntimeException {
    final long pos;

    FlipAt(long pos) {
      super(null, null, false, false);
      this.pos = pos;
    }
  }

  private static JournalEntry entry(Connection c, long seq) {
    return Journal.get(c, seq).orElseThrow(() -> new IllegalStateException("no journal entry " + seq));
  }

  private static int sql(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      int n = ps.executeUpdate();
      if (n == 0) {
        throw new IllegalStateException("tampering changed nothing: " + sql);
      }
      return n;
    }
  }

  private static long scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static void rewrite(Connection c, JournalEntry e) throws SQLException {
    sql(c, "UPDATE journal SET kind = ?, created_at = ?, payload = ?, prev_hash = ?, hash = ?, signature = ?"
        + " WHERE seq = ?", e.kind(), e.createdAt(), e.payload(), e.prevHash(), e.hash(), e.signature(), e.seq());
  }

  /** Re-links, re-hashes and re-signs entries from {@code fromSeq} on and moves the recorded head. */
  private static void rechain(Connection c, long fromSeq, Signer signer) throws SQLException {
    byte[] prev = fromSeq == 1 ? ChainHash.genesis() : entry(c, fromSeq - 1).hash();
    long last = Journal.last(c).orElseThrow().seq();
    for (long seq = fromSeq; seq <= last; seq++) {
      JournalEntry old = entry(c, seq);
      byte[] hash = ChainHash.compute(prev, seq, old.kind(), old.createdAt(), old.payload());
      rewrite(c, new JournalEntry(seq, old.kind(), old.createdAt(), old.payload(), prev, hash, signer.sign(hash)));
      prev = hash;
    }
    sql(c, "UPDATE meta SET value = ? WHERE key = 'journal.head.hash'", HexFormat.of().formatHex(prev));
  }

  private static void deleteSidecars(Path db) throws Exception {
    Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-wal"));
    Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-shm"));
  }
}
