package io.fiscald.store;

import java.util.Arrays;
import java.util.List;

/**
 * A URL that receives events; its signing secret is sealed in {@code secrets} under {@link #secretName()}.
 *
 * @param events comma-separated event types, or {@code *} for all
 */
public record WebhookSubscription(long id, String url, String events, String createdAt) {
  public List<String> eventList() {
    return Arrays.stream(events.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  public boolean wants(String eventType) {
    List<String> list = eventList();
    return list.contains("*") || list.contains(eventType);
  }

  public String secretName() {
    return secretName(id);
  }

  public static String secretName(long id) {
    return "webhook." + id;
  }
}
