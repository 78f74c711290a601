package io.fiscald.store;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/** Webhook subscriptions and their durable delivery queue. */
public final class Webhooks {
  private static final String DELIVERY_COLUMNS = "id, subscription_id, event_id, event_type, payload, status,"
      + " attempts, next_attempt_at, last_error, created_at, delivered_at";

  private Webhooks() {}

  public static long subscribe(Connection c, String url, String events, String createdAt) {
    return Sql.insert(c, "subscribe " + url,
        "INSERT INTO webhook_subscriptions (url, events, created_at) VALUES (?, ?, ?)", url, events, createdAt);
  }

  public static List<WebhookSubscription> subscriptions(Connection c) {
    return Sql.list(c, "read webhook subscriptions", Webhooks::mapSubscription,
        "SELECT id, url, events, created_at FROM webhook_subscriptions WHERE deleted_at IS NULL ORDER BY id");
  }

  public static Optional<WebhookSubscription> subscription(Connection c, long id) {
    return Sql.one(c, "read webhook subscription " + id, Webhooks::mapSubscription,
        "SELECT id, url, events, created_at FROM webhook_subscriptions WHERE id = ? AND deleted_at IS NULL", id);
  }

  /** Stops deliveries to a subscription; pending ones are dropped. False when there is none. */
  public static boolean unsubscribe(Connection c, long id, String at) {
    int n = Sql.update(c, "delete webhook subscription " + id,
        "UPDATE webhook_subscriptions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", at, id);
    Sql.update(c, "drop deliveries of subscription " + id,
        "UPDATE webhook_deliveries SET status = 'DEAD', last_error = 'unsubscribed'"
            + " WHERE subscription_id = ? AND status = 'PENDING'", id);
    return n == 1;
  }

  /** Queues an event for a subscription, due now; a second enqueue of the same event id is ignored. */
  public static void enqueue(Connection c, long subscriptionId, String eventId, String eventType, String payload,
      String createdAt) {
    Sql.update(c, "queue webhook event " + eventId,
        "INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, payload, status, next_attempt_at,"
            + " created_at) VALUES (?, ?, ?, ?, 'PENDING', ?, ?) ON CONFLICT (subscription_id, event_id) DO NOTHING",
        subscriptionId, eventId, eventType, payload, createdAt, createdAt);
  }

  /** Pending deliveries whose time has come, oldest first. */
  public static List<WebhookDelivery> due(Connection c, String now, int limit) {
    return Sql.list(c, "read webhook queue", Webhooks::mapDelivery, "SELECT " + DELIVERY_COLUMNS
        + " FROM webhook_deliveries WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
        now, limit);
  }

  /** The earliest time a pending delivery is due, if any. */
  public static Optional<String> nextDue(Connection c) {
    return Sql.one(c, "read webhook queue", rs -> rs.getString(1),
        "SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'PENDING' HAVING count(*) > 0");
  }

  public static List<WebhookDelivery> byStatus(Connection c, String status, int limit) {
    return Sql.list(c, "read webhook deliveries", Webhooks::mapDelivery, "SELECT " + DELIVERY_COLUMNS
        + " FROM webhook_deliveries WHERE status = ? ORDER BY id LIMIT ?", status, limit);
  }

  public static void markDelivered(Connection c, long id, String at) {
    Sql.update(c, "mark webhook delivery " + id + " delivered",
        "UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = attempts + 1, delivered_at = ?,"
            + " last_error = NULL WHERE id = ?", at, id);
  }

  public static void recordFailure(Connection c, long id, String error, String nextAttemptAt) {
    Sql.update(c, "record webhook failure " + id,
        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
        error, nextAttemptAt, id);
  }

  /** Gives up on a delivery: it stays visible as dead-lettered. */
  public static void markDead(Connection c, long id, String error) {
    Sql.update(c, "dead-letter webhook delivery " + id,
        "UPDATE webhook_deliveries SET status = 'DEAD', attempts = attempts + 1, last_error = ? WHERE id = ?",
        error, id);
  }

  public static long count(Connection c, String status) {
    return Sql.scalarLong(c, "count webhook deliveries",
        "SELECT count(*) FROM webhook_deliveries WHERE status = ?", status);
  }

  private static WebhookSubscription mapSubscription(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new WebhookSubscription(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
  }

  private static WebhookDelivery mapDelivery(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new WebhookDelivery(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11));
  }
}
