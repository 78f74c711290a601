package io.fiscald.agent.audit;

import io.fiscald.agent.core.DayReports;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.ReceiptType;
import java.util.EnumMap;
import java.util.Map;

/**
 * Consecutive receipts of the journal (no other entry between them) checked among themselves on a
 * verifier thread: one day, global numbers, day counters and each type's numbers without a gap. What
 * came before the run ({@link AuditState#receipts}) checks only its first numbers and takes its totals.
 */
final class ReceiptRun {
  private final long dayNo;
  private final long firstGlobalNo;
  private final long firstDayCounter;
  private long lastGlobalNo;
  private long lastDayCounter;
  private long count;
  private final Map<ReceiptType, long[]> invoiceNumbers = new EnumMap<>(ReceiptType.class); // type: first, last
  private final DayReports.Tally tally = new DayReports.Tally();

  ReceiptRun(FiscalReceipt first) {
    this.dayNo = first.dayNo();
    this.firstGlobalNo = first.globalNo();
    this.firstDayCounter = first.dayCounter();
    this.lastGlobalNo = first.globalNo() - 1;
    this.lastDayCounter = first.dayCounter() - 1;
  }

  /** Adds the next receipt; false when it does not follow on from the run (the run is then unusable). */
  boolean add(FiscalReceipt r) {
    if (r.dayNo() != dayNo || r.globalNo() != lastGlobalNo + 1 || r.dayCounter() != lastDayCounter + 1) {
      return false;
    }
    long[] numbers = invoiceNumbers.get(r.type());
    if (numbers == null) {
      invoiceNumbers.put(r.type(), new long[] {r.invoiceNo(), r.invoiceNo()});
    } else if (r.invoiceNo() != numbers[1] + 1) {
      return false;
    } else {
      numbers[1] = r.invoiceNo();
    }
    lastGlobalNo = r.globalNo();
    lastDayCounter = r.dayCounter();
    count++;
    tally.add(r);
    return true;
  }

  long dayNo() {
    return dayNo;
  }

  long firstGlobalNo() {
    return firstGlobalNo;
  }

  long lastGlobalNo() {
    return lastGlobalNo;
  }

  long firstDayCounter() {
    return firstDayCounter;
  }

  long lastDayCounter() {
    return lastDayCounter;
  }

  long count() {
    return count;
  }

  Map<ReceiptType, long[]> invoiceNumbers() {
    return invoiceNumbers;
  }

  DayReports.Tally tally() {
    return tally;
  }
}
