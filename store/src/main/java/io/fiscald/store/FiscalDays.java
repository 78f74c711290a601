package io.fiscald.store;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/** The {@code fiscal_days} table. */
public final class FiscalDays {
  private static final String COLUMNS = "day_no, status, opened_at, closed_at, open_seq, close_seq, z_report";

  private FiscalDays() {}

  public static void open(Connection c, long dayNo, String openedAt, long openSeq) {
    Sql.update(c, "open fiscal day " + dayNo,
        "INSERT INTO fiscal_days (day_no, status, opened_at, open_seq) VALUES (?, 'OPEN', ?, ?)",
        dayNo, openedAt, openSeq);
  }

  public static void close(Connection c, long dayNo, String closedAt, long closeSeq, String zReport) {
    int n = Sql.update(c, "close fiscal day " + dayNo,
        "UPDATE fiscal_days SET status = 'CLOSED', closed_at = ?, close_seq = ?, z_report = ?"
            + " WHERE day_no = ? AND status = 'OPEN'",
        closedAt, closeSeq, zReport, dayNo);
    if (n != 1) {
      throw new StoreException("fiscal day " + dayNo + " is not open");
    }
  }

  /** The latest day, open or closed. */
  public static Optional<FiscalDayRecord> latest(Connection c) {
    return Sql.one(c, "read fiscal day", FiscalDays::map,
        "SELECT " + COLUMNS + " FROM fiscal_days ORDER BY day_no DESC LIMIT 1");
  }

  public static Optional<FiscalDayRecord> get(Connection c, long dayNo) {
    return Sql.one(c, "read fiscal day " + dayNo, FiscalDays::map,
        "SELECT " + COLUMNS + " FROM fiscal_days WHERE day_no = ?", dayNo);
  }

  public static List<FiscalDayRecord> all(Connection c) {
    return Sql.list(c, "read fiscal days", FiscalDays::map,
        "SELECT " + COLUMNS + " FROM fiscal_days ORDER BY day_no");
  }

  private static FiscalDayRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
    long closeSeq = rs.getLong(6);
    Long close = rs.wasNull() ? null : closeSeq;
    return new FiscalDayRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getLong(5), close, rs.getString(7));
  }
}
