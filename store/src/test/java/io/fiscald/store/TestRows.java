package io.fiscald.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Valid rows for store tests, inserted in the order the foreign keys need: a journal entry before
 * the day that refers to it, the day before its receipts, a receipt before its outbox rows and
 * print jobs. Journal entries are real links of the hash chain.
 */
final class TestRows {
  static final String T0 = "2026-01-01T00:00:00.000Z";

  private TestRows() {}

  /** A correctly hashed entry after {@code prev} (or the first one when {@code prev} is null). */
  static JournalEntry entry(JournalEntry prev, String kind, String createdAt, String payload) {
    long seq = prev == null ? 1 : prev.seq() + 1;
    byte[] prevHash = prev == null ? ChainHash.genesis() : prev.hash();
    byte[] hash = ChainHash.compute(prevHash, seq, kind, createdAt, payload);
    byte[] signature = ("sig-" + seq).getBytes(UTF_8);
    return new JournalEntry(seq, kind, createdAt, payload, prevHash, hash, signature);
  }

  /** Appends the next link of the chain stored in {@code c}. */
  static JournalEntry append(Connection c, String kind, Object payload) {
    JournalEntry prev = Journal.last(c).orElse(null);
    long seq = prev == null ? 1 : prev.seq() + 1;
    JournalEntry e = entry(prev, kind, time(seq), CanonicalJson.write(payload));
    Journal.append(c, e);
    return e;
  }

  /** A distinct, ordered timestamp per sequence number. */
  static String time(long n) {
    return String.format("2026-01-01T00:%02d:%02d.000Z", (n / 60) % 60, n % 60);
  }

  /** Journals DAY_OPENED and opens the day; returns the journal entry. */
  static JournalEntry openDay(Connection c, long dayNo) {
    JournalEntry e = append(c, "DAY_OPENED", Map.of("dayNo", dayNo));
    FiscalDays.open(c, dayNo, e.createdAt(), e.seq());
    Counters.set(c, Counters.DAY_NO, dayNo);
    return e;
  }

  /** Journals DAY_CLOSED and closes the day. */
  static JournalEntry closeDay(Connection c, long dayNo) {
    JournalEntry e = append(c, "DAY_CLOSED", Map.of("dayNo", dayNo));
    FiscalDays.close(c, dayNo, e.createdAt(), e.seq(), "{\"dayNo\":" + dayNo + "}");
    return e;
  }

  /** An invoice on an open day. */
  static ReceiptRecord receipt(Connection c, long dayNo, long dayCounter, long globalNo, long totalMinor) {
    return note(c, "INVOICE", dayNo, dayCounter, globalNo, totalMinor, null);
  }

  /** Journals RECEIPT and stores the receipt row whose body is that journal payload; returns it with its id. */
  static ReceiptRecord note(Connection c, String type, long dayNo, long dayCounter, long globalNo,
      long totalMinor, String originalNumber) {
    String number = number(globalNo);
    Map<String, Object> body = new java.util.TreeMap<>();
    body.put("number", number);
    body.put("type", type);
    body.put("total", totalMinor);
    if (originalNumber != null) {
      body.put("original", originalNumber);
    }
    JournalEntry e = append(c, "RECEIPT", body);
    ReceiptRecord r = new ReceiptRecord(0, number, type, dayNo, dayCounter, globalNo, globalNo, "USD",
        totalMinor, totalMinor * 15 / 115, e.createdAt(), e.seq(), originalNumber, e.payload());
    long id = Receipts.insert(c, r);
    Counters.set(c, Counters.GLOBAL_NO, globalNo);
    return withId(r, id);
  }

  static String number(long globalNo) {
    return String.format("DEV1-%06d", globalNo);
  }

  static ReceiptRecord withId(ReceiptRecord r, long id) {
    return new ReceiptRecord(id, r.receiptNumber(), r.type(), r.dayNo(), r.dayCounter(), r.globalNo(),
        r.invoiceNo(), r.currency(), r.totalMinor(), r.taxMinor(), r.issuedAt(), r.journalSeq(),
        r.originalNumber(), r.body());
  }

  static DeviceRecord device() {
    return new DeviceRecord("DEV1", "zimra", "sandbox", "EC_P256",
        new byte[] {0, 1, 2, (byte) 0xff, 0x7f, (byte) 0x80},
        new byte[] {0x30, (byte) 0x82, 0, 0, (byte) 0xfe},
        "{\"taxes\":[{\"code\":\"A\",\"rate\":1500}]}", T0);
  }

  /** Names of the tables of {@code c} (without SQLite's own). */
  static TreeSet<String> tables(Connection c) {
    return names(c, "table");
  }

  /** Names of the explicitly created indexes of {@code c}. */
  static TreeSet<String> indexes(Connection c) {
    return names(c, "index");
  }

  private static TreeSet<String> names(Connection c, String type) {
    TreeSet<String> out = new TreeSet<>();
    for (List<Object> row : query(c, "SELECT name FROM sqlite_master WHERE type = '" + type
        + "' AND name NOT LIKE 'sqlite_%'")) {
      out.add((String) row.get(0));
    }
    return out;
  }

  static long scalar(Connection c, String sql) {
    return ((Number) query(c, sql).get(0).get(0)).longValue();
  }

  static String text(Connection c, String sql) {
    return String.valueOf(query(c, sql).get(0).get(0));
  }

  /** All rows of a query, each as a list of column values (integers as Long, blobs as hex). */
  static List<List<Object>> query(Connection c, String sql) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          if (v instanceof byte[] b) {
            v = java.util.HexFormat.of().formatHex(b);
          } else if (v instanceof Integer small) {
            v = small.longValue(); // SQLite INTEGER, however small, is a long here
          }
          row.add(v);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  static void exec(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("statement failed: " + sql + ": " + e.getMessage(), e);
    }
  }
}
