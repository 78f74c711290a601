package io.fiscald.agent.audit;

import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.DayReports;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Counters;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import io.fiscald.store.StatementCache;
import io.fiscald.store.StoreException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The integrity audit of a data directory: re-derives every hash and signature of the chain, then
 * checks that the receipts, days and counters tables say exactly what the journal says. Stops at
 * the first mismatch and names the journal {@code seq} it concerns.
 *
 * <p>The chain is followed in order on the caller's thread while the signatures, which do not depend
 * on each other, are verified on all cores. Should any signature fail, the audit is run again
 * sequentially, so the finding (and the counts) are exactly what a one-thread audit reports.
 */
public final class JournalAuditor {
  private final Connection c;
  private final ChainVerifier chain;
  private final ParallelSignatureCheck signatures; // null: signatures checked in order by the chain
  private boolean signatureFailed;
  private final List<FiscalReceipt> dayReceipts = new ArrayList<>();
  private final Map<ReceiptType, Long> lastInvoiceNo = new EnumMap<>(ReceiptType.class);
  private long receipts;
  private long lastGlobalNo;
  private long lastDayNo;
  private long lastDayCounter;
  private long openDayNo = -1;
  private String openDayOpenedAt;

  private final DeviceRecord device;

  private JournalAuditor(Connection c, DeviceRecord device, ParallelSignatureCheck signatures) {
    this.c = c;
    this.device = device;
    this.chain = new ChainVerifier(PublicKeys.fromDer(device.publicKey()));
    this.signatures = signatures;
  }

  public static AuditReport audit(Connection c) {
    return audit(c, Runtime.getRuntime().availableProcessors());
  }

  /** The audit with {@code threads} signature verifiers (1: everything in order on the caller's thread). */
  public static AuditReport audit(Connection c, int threads) {
    DeviceRecord device = Devices.find(c).orElseThrow(() -> new StoreException("no device in this database"));
    // the per-entry lookups run a million times: prepare them once
    try (StatementCache statements = StatementCache.on(c, 16)) {
      if (threads > 1) {
        try (ParallelSignatureCheck check = new ParallelSignatureCheck(PublicKeys.fromDer(device.publicKey()),
            threads)) {
          JournalAuditor parallel = new JournalAuditor(statements.connection(), device, check);
          AuditReport report = parallel.run();
          if (!parallel.signatureFailed) {
            return report;
          }
        }
      }
      return new JournalAuditor(statements.connection(), device, null).run();
    }
  }

  private AuditReport run() {
    AuditFinding[] found = {null};
    long[] lastSeq = {0};
    try {
      Journal.forEach(c, 1, entry -> {
        if (found[0] != null) {
          throw new Stop();
        }
        found[0] = check(entry);
        lastSeq[0] = entry.seq();
      });
    } catch (Stop stop) {
      // first finding is in found[0]
    }
    if (signatures != null && (signatureFailed || !signatures.allValid())) {
      signatureFailed = true;
      return null; // the caller runs the exact sequential audit
    }
    AuditFinding finding = found[0];
    if (finding == null) {
      finding = checkHead(lastSeq[0]);
    }
    if (finding == null) {
      finding = checkTotals(lastSeq[0]);
    }
    return new AuditReport(chain.verified(), receipts, lastSeq[0], finding);
  }

  private AuditFinding check(JournalEntry e) {
    AuditFinding link;
    if (signatures == null) {
      link = chain.next(e);
    } else {
      link = chain.nextDeferringSignature(e);
      if (!signatures.add(e.hash(), e.signature())) {
        signatureFailed = true;
        throw new Stop();
      }
    }
    if (link != null) {
      return link;
    }
    if (!JournalKind.RECEIPT.equals(e.kind())) {
      // a receipts row pinned to a day or device entry is a row the journal does not account for;
      // name that entry rather than only noticing the extra row in the totals at the end
      Optional<ReceiptRecord> stray = Receipts.findByJournalSeq(c, e.seq());
      if (stray.isPresent()) {
        return new AuditFinding(e.seq(), "receipts row " + stray.get().receiptNumber() + " claims journal seq "
            + e.seq() + ", which is a " + e.kind() + " entry, not a receipt");
      }
    }
    return switch (e.kind()) {
      case JournalKind.DEVICE_INITIALISED -> checkDeviceRow(e);
      case JournalKind.RECEIPT -> checkReceipt(e);
      case JournalKind.DAY_OPENED -> checkDayOpened(e);
      case JournalKind.DAY_CLOSED -> checkDayClosed(e);
      default -> null;
    };
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

  private AuditFinding checkReceipt(JournalEntry e) {
    FiscalReceipt r = ReceiptCodec.receipt(e.payload());
    receipts++;
    if (r.dayNo() != openDayNo) {
      return new AuditFinding(e.seq(), "receipt " + r.receiptNumber() + " belongs to day " + r.dayNo()
          + " but day " + (openDayNo < 0 ? "none" : openDayNo) + " is open at this point");
    }
    if (r.globalNo() != lastGlobalNo + 1) {
      return new AuditFinding(e.seq(), "receipt global number " + r.globalNo() + " does not follow " + lastGlobalNo);
    }
    if (r.dayCounter() != lastDayCounter + 1) {
      return new AuditFinding(e.seq(), "receipt day counter " + r.dayCounter() + " does not follow " + lastDayCounter);
    }
    long lastInvoice = lastInvoiceNo.getOrDefault(r.type(), 0L);
    if (r.invoiceNo() != lastInvoice + 1) {
      return new AuditFinding(e.seq(), r.type() + " number " + r.invoiceNo() + " does not follow " + lastInvoice);
    }
    lastGlobalNo = r.globalNo();
    lastDayCounter = r.dayCounter();
    lastInvoiceNo.put(r.type(), r.invoiceNo());
    dayReceipts.add(r);

    Optional<ReceiptRecord> row = Receipts.findByJournalSeq(c, e.seq());
    if (row.isEmpty()) {
      return new AuditFinding(e.seq(), "receipt " + r.receiptNumber() + " is journalled but its receipts row is missing");
    }
    String mismatch = rowMismatch(row.get(), r, e.payload());
    return mismatch == null ? null : new AuditFinding(e.seq(), "receipts row of " + r.receiptNumber()
        + " differs from the journal: " + mismatch);
  }

  private static String rowMismatch(ReceiptRecord row, FiscalReceipt r, String payload) {
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

  private AuditFinding checkDayOpened(JournalEntry e) {
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
    dayReceipts.clear();
    return null;
  }

  private AuditFinding checkDayClosed(JournalEntry e) {
    DayReport journalled = ReceiptCodec.dayReport(e.payload());
    if (journalled.dayNo() != openDayNo) {
      return new AuditFinding(e.seq(), "closes day " + journalled.dayNo() + " but the open day is " + openDayNo);
    }
    DayReport recomputed = DayReports.build("Z", journalled.deviceId(), openDayNo, openDayOpenedAt,
        journalled.closedAt(), journalled.generatedAt(), dayReceipts);
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
  private AuditFinding checkHead(long lastSeq) {
    Optional<Journal.Head> head = Journal.recordedHead(c);
    if (head.isEmpty()) {
      return lastSeq == 0 ? null : new AuditFinding(lastSeq, "the recorded chain head is missing");
    }
    if (head.get().seq() != lastSeq) {
      return new AuditFinding(Math.min(lastSeq + 1, head.get().seq()), "the journal ends at seq " + lastSeq
          + " but its recorded head is seq " + head.get().seq() + " (entries cut off the end)");
    }
    if (!head.get().hashHex().equals(HexFormat.of().formatHex(chain.lastHash()))) {
      return new AuditFinding(lastSeq, "the last entry's hash differs from the recorded chain head");
    }
    return null;
  }

  /** Rows the chain does not account for, and counters that disagree with it. */
  private AuditFinding checkTotals(long lastSeq) {
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

  /** Unwinds the journal scan at the first finding. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }
}
