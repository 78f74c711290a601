package io.fiscald.agent.audit;

import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.DayReports;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Counters;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the audit carries from one journal entry to the next besides the chain: the numbering of
 * receipts and days, the open day and its running totals. Its checks are the audit's, entry by entry
 * ({@link #receipt}) or a whole run of receipts at once ({@link #receipts}, for a run checked on
 * another thread), and the days, the devices row, the head and the counters against the database.
 */
final class AuditState {
  private final DeviceRecord device;
  private DayReports.Tally dayTally = new DayReports.Tally();
  private final Map<ReceiptType, Long> lastInvoiceNo = new EnumMap<>(ReceiptType.class);
  private long receipts;
  private long lastGlobalNo;
  private long lastDayNo;
  private long lastDayCounter;
  private long openDayNo = -1;
  private String openDayOpenedAt;

  AuditState(DeviceRecord device) {
    this.device = device;
  }

  /** An independent copy, to try a run of entries on and keep only if all of them pass. */
  AuditState copy() {
    AuditState c = new AuditState(device);
    c.dayTally.addAll(dayTally);
    c.lastInvoiceNo.putAll(lastInvoiceNo);
    c.receipts = receipts;
    c.lastGlobalNo = lastGlobalNo;
    c.lastDayNo = lastDayNo;
    c.lastDayCounter = lastDayCounter;
    c.openDayNo = openDayNo;
    c.openDayOpenedAt = openDayOpenedAt;
    return c;
  }

  long receiptsChecked() {
    return receipts;
  }

  /** The checks of a non-receipt entry that need the database: devices row, fiscal_days rows, Z report. */
  AuditFinding event(Connection c, JournalEntry e) {
    return switch (e.kind()) {
      case JournalKind.DEVICE_INITIALISED -> checkDeviceRow(e);
      case JournalKind.DAY_OPENED -> checkDayOpened(c, e);
      case JournalKind.DAY_CLOSED -> checkDayClosed(c, e);
      default -> null;
    };
  }

  /** The next receipt in journal order: its day and numbers follow on; it joins the day's totals. */
  AuditFinding receipt(long seq, FiscalReceipt r) {
    receipts++;
    if (r.dayNo() != openDayNo) {
      return new AuditFinding(seq, "receipt " + r.receiptNumber() + " belongs to day " + r.dayNo()
          + " but day " + (openDayNo < 0 ? "none" : openDayNo) + " is open at this point");
    }
    if (r.globalNo() != lastGlobalNo + 1) {
      return new AuditFinding(seq, "receipt global number " + r.globalNo() + " does not follow " + lastGlobalNo);
    }
    if (r.dayCounter() != lastDayCounter + 1) {
      return new AuditFinding(seq, "receipt day counter " + r.dayCounter() + " does not follow " + lastDayCounter);
    }
    long lastInvoice = lastInvoiceNo.getOrDefault(r.type(), 0L);
    if (r.invoiceNo() != lastInvoice + 1) {
      return new AuditFinding(seq, r.type() + " number " + r.invoiceNo() + " does not follow " + lastInvoice);
    }
    lastGlobalNo = r.globalNo();
    lastDayCounter = r.dayCounter();
    lastInvoiceNo.put(r.type(), r.invoiceNo());
    dayTally.add(r);
    return null;
  }

  /**
   * A run of consecutive receipts checked among themselves ({@link ReceiptRun}): passes exactly when
   * {@link #receipt} would pass each of them in turn, and leaves the same state behind.
   */
  boolean receipts(ReceiptRun run) {
    if (run.dayNo() != openDayNo || run.firstGlobalNo() != lastGlobalNo + 1
        || run.firstDayCounter() != lastDayCounter + 1) {
      return false;
    }
    for (Map.Entry<ReceiptType, long[]> inv : run.invoiceNumbers().entrySet()) {
      if (inv.getValue()[0] != lastInvoiceNo.getOrDefault(inv.getKey(), 0L) + 1) {
        return false;
      }
    }
    receipts += run.count();
    lastGlobalNo = run.lastGlobalNo();
    lastDayCounter = run.lastDayCounter();
    run.invoiceNumbers().forEach((type, firstLast) -> lastInvoiceNo.put(type, firstLast[1]));
    dayTally.addAll(run.tally());
    return true;
  }

  /**
   * The devices row must still say what the signed initialisation entry says: its id, authority,
   * environment, key algorithm, creation time and settings (the tax table every receipt is taxed with)
   * never change after init.
   */
  private AuditFinding checkDeviceRow(JournalEntry e) {
    var init = CanonicalJson.read(e.payload());
    List<String> differing = new ArrayList<>();
    if (!init.path("deviceId").asText().equals(device.deviceId())) {
      differing.add("device_id");
    }
    if (!init.path("authority").asText().equals(device.authority())) {
      differing.add("authority");
    }
    if (!init.path("keyAlgorithm").asText().equals(device.keyAlgorithm())) {
      differing.add("key_algorithm");
    }
    if (init.has("environment") && !init.path("environment").asText().equals(device.environment())) {
      differing.add("environment");
    }
    if (!e.createdAt().equals(device.createdAt())) {
      differing.add("created_at");
    }
    if (init.has("settings") && !init.path("settings").equals(settingsOrNull())) {
      differing.add("settings");
    }
    return differing.isEmpty() ? null : new AuditFinding(e.seq(), "the devices row differs from the initialisation"
        + " entry: " + String.join(", ", differing));
  }

  private com.fasterxml.jackson.databind.JsonNode settingsOrNull() {
    try {
      return CanonicalJson.read(device.settings());
    } catch (RuntimeException unreadable) {
      return null; // damaged beyond JSON: it differs
    }
  }

  /** The column of a receipts row that disagrees with its journalled receipt, or null. */
  static String rowMismatch(ReceiptRecord row, FiscalReceipt r, String payload) {
    if (!row.body().equals(payload)) {
      return "body";
    }
    Object[][] columns = {
        {"receipt_number", row.receiptNumber(), r.receiptNumber()},
        {"type", row.type(), r.type().name()},
        {"day_no", row.dayNo(), r.dayNo()},
        {"day_counter", row.dayCounter(), r.dayCounter()},
        {"global_no", row.globalNo(), r.globalNo()},
        {"invoice_no", row.invoiceNo(), r.invoiceNo()},
        {"currency", row.currency(), r.currency()},
        {"total_minor", row.totalMinor(), r.totalMinor()},
        {"tax_minor", row.taxMinor(), r.taxMinor()},
        {"issued_at", row.issuedAt(), r.issuedAt()},
        {"original_number", row.originalNumber(), r.originalNumber()},
    };
    for (Object[] col : columns) {
      if (!Objects.equals(col[1], col[2])) {
        return col[0] + " is " + col[1] + " in the table but " + col[2] + " in the journal";
      }
    }
    return null;
  }

  private AuditFinding checkDayOpened(Connection c, JournalEntry e) {
    var payload = CanonicalJson.read(e.payload());
    long dayNo = payload.path("dayNo").asLong();
    if (openDayNo >= 0) {
      return new AuditFinding(e.seq(), "day " + dayNo + " opened while day " + openDayNo + " was still open");
    }
    if (dayNo != lastDayNo + 1) {
      return new AuditFinding(e.seq(), "day number " + dayNo + " does not follow " + lastDayNo);
    }
    Optional<FiscalDayRecord> row = FiscalDays.get(c, dayNo);
    if (row.isEmpty() || row.get().openSeq() != e.seq()
        || !row.get().openedAt().equals(payload.path("openedAt").asText())) {
      return new AuditFinding(e.seq(), "fiscal_days row of day " + dayNo + " does not match its opening entry");
    }
    lastDayNo = dayNo;
    openDayNo = dayNo;
    openDayOpenedAt = row.get().openedAt();
    lastDayCounter = 0;
    dayTally = new DayReports.Tally();
    return null;
  }

  private AuditFinding checkDayClosed(Connection c, JournalEntry e) {
    DayReport journalled = ReceiptCodec.dayReport(e.payload());
    if (journalled.dayNo() != openDayNo) {
      return new AuditFinding(e.seq(), "closes day " + journalled.dayNo() + " but the open day is " + openDayNo);
    }
    DayReport recomputed = dayTally.report("Z", journalled.deviceId(), openDayNo, openDayOpenedAt,
        journalled.closedAt(), journalled.generatedAt());
    if (!recomputed.equals(journalled.withAuthorityFields(Map.of()))) {
      return new AuditFinding(e.seq(), "the Z report of day " + openDayNo
          + " does not add up to the receipts journalled that day");
    }
    Optional<FiscalDayRecord> row = FiscalDays.get(c, openDayNo);
    if (row.isEmpty() || !Objects.equals(row.get().closeSeq(), e.seq()) || !e.payload().equals(row.get().zReport())) {
      return new AuditFinding(e.seq(), "fiscal_days row of day " + openDayNo + " does not match its Z report entry");
    }
    openDayNo = -1;
    return null;
  }

  /** A tail cut off the journal leaves the head recorded beside it pointing past the end. */
  AuditFinding checkHead(Connection c, long lastSeq, byte[] lastHash) {
    Optional<Journal.Head> head = Journal.recordedHead(c);
    if (head.isEmpty()) {
      return lastSeq == 0 ? null : new AuditFinding(lastSeq, "the recorded chain head is missing");
    }
    if (head.get().seq() != lastSeq) {
      return new AuditFinding(Math.min(lastSeq + 1, head.get().seq()), "the journal ends at seq " + lastSeq
          + " but its recorded head is seq " + head.get().seq() + " (entries cut off the end)");
    }
    if (!head.get().hashHex().equals(HexFormat.of().formatHex(lastHash))) {
      return new AuditFinding(lastSeq, "the last entry's hash differs from the recorded chain head");
    }
    return null;
  }

  /** Rows the chain does not account for, and counters that disagree with it. */
  AuditFinding checkTotals(Connection c, long lastSeq) {
    long rows = Receipts.count(c);
    if (rows != receipts) {
      return new AuditFinding(lastSeq, "the receipts table has " + rows + " rows but the journal holds "
          + receipts + " receipts");
    }
    long global = Counters.get(c, Counters.GLOBAL_NO);
    if (global != lastGlobalNo) {
      return new AuditFinding(lastSeq, "counter " + Counters.GLOBAL_NO + " is " + global
          + " but the journal's last receipt is number " + lastGlobalNo);
    }
    long day = Counters.get(c, Counters.DAY_NO);
    if (day != lastDayNo) {
      return new AuditFinding(lastSeq, "counter " + Counters.DAY_NO + " is " + day + " but the journal's last day is "
          + lastDayNo);
    }
    for (ReceiptType t : ReceiptType.values()) {
      long stored = Counters.get(c, Counters.invoiceCounter(t.name()));
      long journalled = lastInvoiceNo.getOrDefault(t, 0L);
      if (stored != journalled) {
        return new AuditFinding(lastSeq, "counter " + Counters.invoiceCounter(t.name()) + " is " + stored
            + " but the journal's last " + t + " is number " + journalled);
      }
    }
    return null;
  }
}
