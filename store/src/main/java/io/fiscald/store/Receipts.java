package io.fiscald.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The {@code receipts} table. */
public final class Receipts {
  private static final String COLUMNS = "id, receipt_number, type, day_no, day_counter, global_no,"
      + " invoice_no, currency, total_minor, tax_minor, issued_at, journal_seq, original_number, body";

  private Receipts() {}

  /** Inserts and returns the row id. */
  public static long insert(Connection c, ReceiptRecord r) {
    return Sql.insert(c, "store receipt " + r.receiptNumber(),
        "INSERT INTO receipts (receipt_number, type, day_no, day_counter, global_no, invoice_no, currency,"
            + " total_minor, tax_minor, issued_at, journal_seq, original_number, body)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.receiptNumber(), r.type(), r.dayNo(), r.dayCounter(), r.globalNo(), r.invoiceNo(),
        r.currency(), r.totalMinor(), r.taxMinor(), r.issuedAt(), r.journalSeq(), r.originalNumber(),
        r.body());
  }

  public static Optional<ReceiptRecord> findById(Connection c, long id) {
    return Sql.one(c, "read receipt row " + id, Receipts::map, "SELECT " + COLUMNS + " FROM receipts WHERE id = ?", id);
  }

  public static Optional<ReceiptRecord> findByNumber(Connection c, String receiptNumber) {
    return Sql.one(c, "read receipt " + receiptNumber, Receipts::map,
        "SELECT " + COLUMNS + " FROM receipts WHERE receipt_number = ?", receiptNumber);
  }

  public static Optional<ReceiptRecord> findByJournalSeq(Connection c, long seq) {
    return Sql.one(c, "read receipt at journal seq " + seq, Receipts::map,
        "SELECT " + COLUMNS + " FROM receipts WHERE journal_seq = ?", seq);
  }

  /** Sum of the totals of notes of {@code type} that reference {@code originalNumber}. */
  public static long sumOfNotes(Connection c, String originalNumber, String type) {
    return Sql.scalarLong(c, "sum notes of " + originalNumber,
        "SELECT coalesce(sum(total_minor), 0) FROM receipts WHERE original_number = ? AND type = ?",
        originalNumber, type);
  }

  public static Optional<ReceiptRecord> byDayAndCounter(Connection c, long dayNo, long dayCounter) {
    return Sql.one(c, "read receipt " + dayNo + "/" + dayCounter, Receipts::map,
        "SELECT " + COLUMNS + " FROM receipts WHERE day_no = ? AND day_counter = ?", dayNo, dayCounter);
  }

  public static List<ReceiptRecord> byDay(Connection c, long dayNo) {
    return Sql.list(c, "read receipts of day " + dayNo, Receipts::map,
        "SELECT " + COLUMNS + " FROM receipts WHERE day_no = ? ORDER BY day_counter", dayNo);
  }

  /** The highest per-day counter used on {@code dayNo}, 0 when the day has no receipt yet. */
  public static long byDayMaxCounter(Connection c, long dayNo) {
    return Sql.scalarLong(c, "read counter of day " + dayNo,
        "SELECT coalesce(max(day_counter), 0) FROM receipts WHERE day_no = ?", dayNo);
  }

  public static List<ReceiptRecord> all(Connection c) {
    return Sql.list(c, "read receipts", Receipts::map, "SELECT " + COLUMNS + " FROM receipts ORDER BY global_no");
  }

  public static long count(Connection c) {
    return Sql.scalarLong(c, "count receipts", "SELECT count(*) FROM receipts");
  }

  private static ReceiptRecord map(ResultSet rs) throws SQLException {
    return new ReceiptRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getLong(9), rs.getLong(10),
        rs.getString(11), rs.getLong(12), rs.getString(13), rs.getString(14));
  }
}
