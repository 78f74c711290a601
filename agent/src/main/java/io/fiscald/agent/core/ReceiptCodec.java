package io.fiscald.agent.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.StoreException;

/** Reads journalled JSON (receipt bodies, day reports) back into their value types. */
public final class ReceiptCodec {
  private ReceiptCodec() {}

  public static FiscalReceipt receipt(String body) {
    return read(body, FiscalReceipt.class);
  }

  public static DayReport dayReport(String body) {
    return read(body, DayReport.class);
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return CanonicalJson.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored " + type.getSimpleName() + " is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
