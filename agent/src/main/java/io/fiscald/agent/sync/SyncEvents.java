package io.fiscald.agent.sync;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.OutboxMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code receipt.synced} and {@code receipt.rejected} event bodies, from a settled outbox row. */
final class SyncEvents {
  static final String SYNCED = "receipt.synced";
  static final String REJECTED = "receipt.rejected";

  private SyncEvents() {}

  /** The event for {@code row} once it left PENDING, or null while it is still pending (or not a receipt). */
  static SyncDriver.Event of(String authority, OutboxMessage row) {
    if (row == null || row.receiptId() == null || "PENDING".equals(row.status())) {
      return null;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    try {
      FiscalReceipt r = ReceiptCodec.receipt(row.payload());
      data.put("receiptNumber", r.receiptNumber());
      data.put("type", r.type().name());
      data.put("dayNo", r.dayNo());
      data.put("globalNo", r.globalNo());
    } catch (RuntimeException e) {
      data.put("receiptNumber", null);
    }
    data.put("authority", authority);
    data.put("outboxId", row.id());
    data.put("attempts", row.attempts());
    Object answer = null;
    if (row.response() != null) {
      try {
        answer = CanonicalJson.mapper().convertValue(CanonicalJson.read(row.response()), Map.class);
      } catch (RuntimeException e) {
        answer = row.response();
      }
    }
    if ("SENT".equals(row.status())) {
      data.put("sentAt", row.sentAt());
      data.put("answer", answer);
      return new SyncDriver.Event(SYNCED, data);
    }
    data.put("error", row.lastError());
    data.put("answer", answer);
    return new SyncDriver.Event(REJECTED, data);
  }
}
