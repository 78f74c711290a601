package io.fiscald.agent.core.internal;

import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.DayReports;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Counters;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Receipts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Opening and closing fiscal days, and the X report, as writer commands. */
final class DayCommands {
  private DayCommands() {}

  static final class Open extends WriteCommand<FiscalDayRecord> {
    @Override
    Answer<FiscalDayRecord> apply(WriteContext ctx) {
      ChainState s = ctx.state;
      if (s.dayOpen()) {
        throw new FiscalException(ErrorCode.DAY_ALREADY_OPEN, "fiscal day " + s.day.dayNo()
            + " is already open (since " + s.day.openedAt() + "); close it before opening another",
            Map.of("dayNo", s.day.dayNo()));
      }
      long dayNo = s.dayNo + 1;
      String openedAt = WriteContext.format(ctx.now());
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("deviceId", ctx.deviceId);
      payload.put("dayNo", dayNo);
      payload.put("openedAt", openedAt);
      PendingEntry entry = ctx.append(JournalKind.DAY_OPENED, openedAt, CanonicalJson.write(payload));
      FiscalDays.open(ctx.connection, dayNo, openedAt, entry.seq());
      Counters.set(ctx.connection, Counters.DAY_NO, dayNo);
      s.dayNo = dayNo;
      s.day = new FiscalDayRecord(dayNo, "OPEN", openedAt, null, entry.seq(), null, null);
      s.dayCounter = 0;
      s.lastReceiptOfDay = null;
      return Answer.of(s.day);
    }
  }

  static final class Close extends WriteCommand<DayReport> {
    @Override
    Answer<DayReport> apply(WriteContext ctx) {
      ChainState s = ctx.state;
      requireOpen(s);
      String closedAt = WriteContext.format(ctx.now());
      DayReport computed = report(ctx, "Z", closedAt, closedAt);
      DayReport z = computed.withAuthorityFields(ctx.profile.dayCloseFields(computed, ctx));
      String body = CanonicalJson.write(z);
      PendingEntry entry = ctx.append(JournalKind.DAY_CLOSED, closedAt, body);
      FiscalDays.close(ctx.connection, s.day.dayNo(), closedAt, entry.seq(), body);
      s.day = new FiscalDayRecord(s.day.dayNo(), "CLOSED", s.day.openedAt(), closedAt, s.day.openSeq(),
          entry.seq(), body);
      return Answer.of(z);
    }
  }

  /** The X report goes through the writer too, so it sees every receipt acknowledged before it. */
  static final class XReport extends WriteCommand<DayReport> {
    @Override
    Answer<DayReport> apply(WriteContext ctx) {
      requireOpen(ctx.state);
      return Answer.of(report(ctx, "X", null, WriteContext.format(ctx.now())));
    }
  }

  private static void requireOpen(ChainState s) {
    if (!s.dayOpen()) {
      throw new FiscalException(ErrorCode.DAY_NOT_OPEN, "no fiscal day is open", Map.of());
    }
  }

  private static DayReport report(WriteContext ctx, String kind, String closedAt, String generatedAt) {
    FiscalDayRecord day = ctx.state.day;
    List<FiscalReceipt> receipts = Receipts.byDay(ctx.connection, day.dayNo()).stream()
        .map(r -> ReceiptCodec.receipt(r.body())).toList();
    return DayReports.build(kind, ctx.deviceId, day.dayNo(), day.openedAt(), closedAt, generatedAt, receipts);
  }
}
