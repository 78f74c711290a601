package io.fiscald.agent.core.internal;

import io.fiscald.store.CanonicalJson;
import io.fiscald.store.JournalEntry;
import java.util.LinkedHashMap;
import java.util.Map;

/** Journals a fiscal event that is neither a receipt nor a day change. */
final class RecordEventCommand extends WriteCommand<JournalEntry> {
  private final String kind;
  private final Map<String, Object> payload;

  RecordEventCommand(String kind, Map<String, ?> payload) {
    this.kind = kind;
    this.payload = new LinkedHashMap<>(payload);
  }

  @Override
  Answer<JournalEntry> apply(WriteContext ctx) {
    Map<String, Object> body = new LinkedHashMap<>(payload);
    body.put("deviceId", ctx.deviceId);
    return ctx.append(kind, WriteContext.format(ctx.now()), CanonicalJson.write(body))::entry;
  }
}
