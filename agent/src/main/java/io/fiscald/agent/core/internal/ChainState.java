package io.fiscald.agent.core.internal;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.store.Receipts;
import io.fiscald.store.ChainHash;
import io.fiscald.store.Counters;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import java.sql.Connection;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The writer's in-memory copy of what the next fiscal event depends on: chain head, counters and
 * the current day. Loaded once at start, advanced per event, restored from a snapshot when an event
 * is refused inside a group commit, and reloaded from the database when a commit fails.
 */
final class ChainState {
  long lastSeq;
  byte[] lastHash;
  long globalNo;
  long dayNo;
  final Map<ReceiptType, Long> invoiceNo = new EnumMap<>(ReceiptType.class);
  FiscalDayRecord day; // latest day, open or closed; null before the first
  long dayCounter;
  FiscalReceipt lastReceiptOfDay; // null before the day's first receipt
  private FiscalDayRecord parsedDay; // the day whose opening time was last parsed (a cache, not state)
  private Instant parsedOpenedAt;

  static ChainState load(Connection c) {
    ChainState s = new ChainState();
    JournalEntry last = Journal.last(c).orElse(null);
    s.lastSeq = last == null ? 0 : last.seq();
    s.lastHash = last == null ? ChainHash.genesis() : last.hash();
    s.globalNo = Counters.get(c, Counters.GLOBAL_NO);
    s.dayNo = Counters.get(c, Counters.DAY_NO);
    for (ReceiptType t : ReceiptType.values()) {
      s.invoiceNo.put(t, Counters.get(c, Counters.invoiceCounter(t.name())));
    }
    s.day = FiscalDays.latest(c).orElse(null);
    s.dayCounter = s.day == null ? 0 : Receipts.byDayMaxCounter(c, s.day.dayNo());
    s.lastReceiptOfDay = s.day == null || s.dayCounter == 0 ? null
        : Receipts.byDayAndCounter(c, s.day.dayNo(), s.dayCounter).map(r -> ReceiptCodec.receipt(r.body())).orElse(null);
    return s;
  }

  ChainState copy() {
    ChainState s = new ChainState();
    s.restore(this);
    return s;
  }

  void restore(ChainState from) {
    lastSeq = from.lastSeq;
    lastHash = from.lastHash;
    globalNo = from.globalNo;
    dayNo = from.dayNo;
    invoiceNo.clear();
    invoiceNo.putAll(from.invoiceNo);
    day = from.day;
    dayCounter = from.dayCounter;
    lastReceiptOfDay = from.lastReceiptOfDay;
  }

  /** When the current day opened, parsed once per day rather than once per receipt. */
  Instant dayOpenedAt() {
    if (parsedDay != day) {
      parsedOpenedAt = Instant.parse(day.openedAt());
      parsedDay = day;
    }
    return parsedOpenedAt;
  }

  boolean dayOpen() {
    return day != null && day.isOpen();
  }
}
