package io.fiscald.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.api.internal.Json;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.tax.Money;
import io.fiscald.agent.sync.SyncWorker;
import io.fiscald.store.Meta;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import io.fiscald.store.WebhookDelivery;
import io.fiscald.store.WebhookSubscription;
import io.fiscald.store.Webhooks;
import io.fiscald.store.secret.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to subscribed URLs at least once, from the durable {@code webhook_deliveries}
 * queue, with exponential backoff and a dead-letter state. Receipt and day events are read from the
 * journal behind a cursor that moves in the same transaction as the deliveries it queues, so an
 * event is never lost across a crash; receipt.synced and receipt.rejected come the same way from the
 * outbox rows the authority settled (behind {@code webhooks.outbox_cursor}); other parts publish
 * events with {@link #publish}.
 *
 * <p>While there is no subscription the cursors stand still and nothing is read per receipt (most tills
 * never subscribe); the first subscription moves them to the heads in its own transaction
 * ({@link #subscribing}), so it gets exactly the events of what is committed after it.
 *
 * <p>Each delivery is a POST of {@code {"id","type","createdAt","deviceId","data"}} with headers
 * {@code Fiscald-Event-Id}, {@code Fiscald-Event-Type} and
 * {@code Fiscald-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}. The
 * event id is stable across retries, so a receiver detects replays by it.
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  public static final List<String> EVENT_TYPES = List.of("receipt.issued", "receipt.synced", "receipt.rejected",
      "receipt.printed", "day.closed", "alert.raised", "alert.cleared");
  static final String CURSOR = "webhooks.journal_cursor";
  /** Highest outbox id already turned into receipt.synced / receipt.rejected events. */
  static final String OUTBOX_CURSOR = "webhooks.outbox_cursor";
  private static final int BATCH = 200;

  private final Agent agent;
  private final ApiConfig config;
  private final Clock clock;
  /** Retries and checks run on wall-clock time, whatever clock stamps the fiscal events. */
  private final Clock scheduling = Clock.systemUTC();
  private final Connection conn; // guarded by this
  private HttpClient http; // built on the first delivery: most tills never subscribe, and it costs start-up time
  private final AlertMonitor alerts;
  private final Map<Long, Secret> secrets = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  /** Whether a subscription exists: the journal and the outbox are read only then. */
  private volatile boolean subscribed;
  private boolean woken; // guarded by signal
  private Instant nextAlertCheck = Instant.MIN;

  private WebhookDispatcher(Agent agent, ApiConfig config, ApiHooks hooks, Clock clock) {
    this.agent = agent;
    this.config = config;
    this.clock = clock;
    this.conn = agent.newStateConnection();
    this.alerts = new AlertMonitor(agent, config.alerts(), hooks, clock, this::publish);
    this.thread = new Thread(this::run, "webhooks");
    this.thread.setDaemon(true);
  }

  /** The webhook client; its TLS set-up (the JDK's trust store) is paid only by a till that has subscribers. */
  private synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout())
          .followRedirects(HttpClient.Redirect.NEVER).build();
    }
    return http;
  }

  /** Starts delivering; the journal cursor starts at the head on first use (no backlog of old events). */
  public static WebhookDispatcher start(Agent agent, ApiConfig config, ApiHooks hooks, Clock clock) {
    WebhookDispatcher d = new WebhookDispatcher(agent, config, hooks, clock);
    synchronized (d) {
      if (Meta.get(d.conn, CURSOR).isEmpty()) {
        Meta.put(d.conn, CURSOR, Long.toString(journalHead(d.conn)));
      }
      if (Meta.get(d.conn, OUTBOX_CURSOR).isEmpty()) { // settled rows from before webhooks existed: no backlog
        Meta.put(d.conn, OUTBOX_CURSOR, Long.toString(settledHead(d.conn)));
      }
      d.subscribed = !Webhooks.subscriptions(d.conn).isEmpty();
      if (d.subscribed) {
        d.feedFromOutbox(); // what was settled while no daemon ran (fiscalctl sync, a crash after the answer)
      }
    }
    d.thread.start();
    return d;
  }

  public AlertMonitor alerts() {
    return alerts;
  }

  /**
   * Queues {@code type} with {@code data} for every subscription that wants it, durably, and returns
   * the event id. For events that are neither in the journal nor in the outbox: receipt.printed, alerts.
   */
  public String publish(String type, Map<String, ?> data) {
    String id = "evt-" + UUID.randomUUID();
    String body = eventBody(id, type, Timestamps.format(clock.instant()), data);
    synchronized (this) {
      inTransaction(() -> enqueue(id, type, body));
    }
    wake();
    return id;
  }

  /** Looks at the journal and the queue now rather than at the next tick. */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /**
   * New journal entries or settled outbox rows may be there (a receipt, a day close, a sync): looks at
   * them now when someone is subscribed, else does nothing (the cursors wait for the first subscription).
   */
  public void eventsAppended() {
    if (subscribed) {
      wake();
    }
  }

  /**
   * Runs {@code change}, a transaction that adds a subscription, with the feeds paused: before it adds
   * the first one, {@link #moveCursorsToHeads} must run in it, and no feed may move a cursor meanwhile.
   */
  synchronized <T> T subscribing(java.util.function.Supplier<T> change) {
    return change.get();
  }

  /**
   * In the transaction on {@code c} that adds a subscription: when there is none yet, the cursors (which
   * stood still while nobody was subscribed) move to the journal head and the settled outbox head, so the
   * new subscriber gets the events of what is committed after its subscription, and no backlog.
   */
  static void moveCursorsToHeads(Connection c) {
    if (Webhooks.subscriptions(c).isEmpty()) {
      Meta.put(c, CURSOR, Long.toString(journalHead(c)));
      Meta.put(c, OUTBOX_CURSOR, Long.toString(settledHead(c)));
    }
  }

  /** Forgets cached subscription secrets (after a subscription changed). */
  void refresh() {
    secrets.clear();
    synchronized (this) {
      subscribed = !Webhooks.subscriptions(conn).isEmpty();
    }
    wake();
  }

  private void run() {
    while (running) {
      long waitMillis = 1000;
      try {
        if (subscribed) {
          feedFromJournal();
          feedFromOutbox();
        }
        waitMillis = deliverDue();
        Instant now = scheduling.instant();
        if (!now.isBefore(nextAlertCheck)) {
          synchronized (this) {
            alerts.evaluate(conn);
          }
          nextAlertCheck = now.plus(config.alerts().checkInterval());
        }
      } catch (RuntimeException e) {
        log.warn("webhook dispatcher: {}", e.getMessage());
      }
      synchronized (signal) {
        if (!woken && running) {
          try {
            signal.wait(Math.max(10, Math.min(waitMillis, 1000)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        woken = false;
      }
    }
  }

  /** Turns new RECEIPT and DAY_CLOSED journal entries into deliveries and moves the cursor, in one transaction. */
  private synchronized void feedFromJournal() {
    long cursor = Long.parseLong(Meta.get(conn, CURSOR).orElse("0"));
    List<Object[]> entries = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT seq, kind, payload, created_at, hash FROM journal WHERE seq > ? ORDER BY seq LIMIT ?")) {
      ps.setLong(1, cursor);
      ps.setInt(2, BATCH);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          entries.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5)});
        }
      }
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot read the journal: " + e.getMessage());
    }
    if (entries.isEmpty()) {
      return;
    }
    inTransaction(() -> {
      for (Object[] e : entries) {
        long seq = (Long) e[0];
        String kind = (String) e[1];
        String id = "evt-" + agent.device().deviceId() + "-" + seq;
        if (JournalKind.RECEIPT.equals(kind)) {
          FiscalReceipt r = ReceiptCodec.receipt((String) e[2]);
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("receiptNumber", r.receiptNumber());
          data.put("type", r.type().name());
          data.put("dayNo", r.dayNo());
          data.put("globalNo", r.globalNo());
          data.put("issuedAt", r.issuedAt());
          data.put("currency", r.currency());
          data.put("total", Money.format(r.totalMinor(), r.minorDigits()));
          data.put("tax", Money.format(r.taxMinor(), r.minorDigits()));
          data.put("journalSeq", seq);
          data.put("hash", HexFormat.of().formatHex((byte[]) e[4]));
          enqueue(id, "receipt.issued", eventBody(id, "receipt.issued", (String) e[3], data));
        } else if (JournalKind.DAY_CLOSED.equals(kind)) {
          DayReport z = ReceiptCodec.dayReport((String) e[2]);
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("dayNo", z.dayNo());
          data.put("openedAt", z.openedAt());
          data.put("closedAt", z.closedAt());
          data.put("receiptCount", z.receiptCount());
          data.put("firstReceipt", z.firstReceipt());
          data.put("lastReceipt", z.lastReceipt());
          data.put("journalSeq", seq);
          enqueue(id, "day.closed", eventBody(id, "day.closed", (String) e[3], data));
        }
        Meta.put(conn, CURSOR, Long.toString(seq));
      }
    });
  }

  private static long journalHead(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM journal");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0L;
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot read the journal: " + e.getMessage());
    }
  }

  /** The id below the first pending outbox row (or the last row when none is pending). */
  private static long settledHead(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE((SELECT min(id) - 1 FROM outbox"
        + " WHERE status = 'PENDING'), (SELECT max(id) FROM outbox), 0)");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0L;
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot read the outbox: " + e.getMessage());
    }
  }

  /**
   * Turns outbox rows the authority settled (SENT, REJECTED) into receipt.synced / receipt.rejected
   * deliveries and moves the outbox cursor, in one transaction, in id order, stopping at the first row
   * still pending. The event id is derived from the outbox id, so it never changes.
   */
  private synchronized void feedFromOutbox() {
    long cursor = Long.parseLong(Meta.get(conn, OUTBOX_CURSOR).orElse("0"));
    List<OutboxMessage> rows = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT id FROM outbox WHERE id > ? ORDER BY id LIMIT ?")) {
      ps.setLong(1, cursor);
      ps.setInt(2, BATCH);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OutboxMessage m = Outbox.get(conn, rs.getLong(1)).orElse(null);
          if (m == null || "PENDING".equals(m.status())) {
            break; // authorities settle in order: later rows wait for this one
          }
          rows.add(m);
        }
      }
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot read the outbox: " + e.getMessage());
    }
    if (rows.isEmpty()) {
      return;
    }
    inTransaction(() -> {
      for (OutboxMessage m : rows) {
        Map.Entry<String, Map<String, Object>> e = SyncWorker.eventOf(m);
        if (e != null) {
          String id = outboxEventId(agent.device().deviceId(), m.id());
          String at = m.sentAt() != null ? m.sentAt() : Timestamps.format(clock.instant());
          enqueue(id, e.getKey(), eventBody(id, e.getKey(), at, e.getValue()));
        }
        Meta.put(conn, OUTBOX_CURSOR, Long.toString(m.id()));
      }
    });
  }

  /** The id of the receipt.synced / receipt.rejected event of outbox row {@code outboxId}: the same on every replay. */
  static String outboxEventId(String deviceId, long outboxId) {
    return "evt-" + deviceId + "-outbox-" + outboxId;
  }

  private void enqueue(String id, String type, String body) {
    String now = Timestamps.format(scheduling.instant());
    for (WebhookSubscription s : Webhooks.subscriptions(conn)) {
      if (s.wants(type)) {
        Webhooks.enqueue(conn, s.id(), id, type, body, now);
      }
    }
  }

  private String eventBody(String id, String type, String createdAt, Map<String, ?> data) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", id);
    event.put("type", type);
    event.put("createdAt", createdAt);
    event.put("deviceId", agent.device().deviceId());
    event.put("data", data);
    return Json.write(event);
  }

  /** Sends what is due; returns how long until the next delivery is due (at most a second). */
  private long deliverDue() {
    List<WebhookDelivery> due;
    synchronized (this) {
      due = Webhooks.due(conn, Timestamps.format(scheduling.instant()), BATCH);
    }
    for (WebhookDelivery d : due) {
      if (!running) {
        break;
      }
      deliver(d);
    }
    synchronized (this) {
      return Webhooks.nextDue(conn).map(t -> Duration.between(scheduling.instant(), Instant.parse(t)).toMillis())
          .orElse(1000L);
    }
  }

  private void deliver(WebhookDelivery d) {
    WebhookSubscription sub;
    Secret secret;
    synchronized (this) {
      sub = Webhooks.subscription(conn, d.subscriptionId()).orElse(null);
      if (sub == null) {
        Webhooks.markDead(conn, d.id(), "subscription deleted");
        return;
      }
      secret = secrets.computeIfAbsent(sub.id(), id -> agent.secrets().get(conn, WebhookSubscription.secretName(id))
          .orElse(null));
    }
    String error;
    try {
      if (secret == null) {
        throw new IllegalStateException("the subscription's secret is missing");
      }
      long t = scheduling.instant().getEpochSecond();
      HttpRequest request = HttpRequest.newBuilder(URI.create(sub.url()))
          .timeout(config.webhookTimeout())
          .header("Content-Type", "application/json")
          .header("User-Agent", "fiscald-webhooks/1")
          .header("Fiscald-Event-Id", d.eventId())
          .header("Fiscald-Event-Type", d.eventType())
          .header("Fiscald-Delivery-Attempt", Integer.toString(d.attempts() + 1))
          .header("Fiscald-Signature", "t=" + t + ",v1=" + sign(secret, t, d.payload()))
          .POST(HttpRequest.BodyPublishers.ofString(d.payload(), StandardCharsets.UTF_8))
          .build();
      HttpResponse<Void> response = http().send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        synchronized (this) {
          Webhooks.markDelivered(conn, d.id(), Timestamps.format(scheduling.instant()));
        }
        return;
      }
      error = "HTTP " + response.statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } catch (Exception e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    synchronized (this) {
      int attempts = d.attempts() + 1;
      if (attempts >= config.webhookMaxAttempts()) {
        Webhooks.markDead(conn, d.id(), error);
        log.warn("webhook {} to {} dead after {} attempts: {}", d.eventId(), sub.url(), attempts, error);
      } else {
        Duration backoff = backoff(d.attempts());
        Webhooks.recordFailure(conn, d.id(), error, Timestamps.format(scheduling.instant().plus(backoff)));
      }
    }
  }

  /** initial × 2^attempts, capped. */
  Duration backoff(int attemptsBefore) {
    Duration b = config.webhookInitialBackoff();
    for (int i = 0; i < attemptsBefore && b.compareTo(config.webhookMaxBackoff()) < 0; i++) {
      b = b.multipliedBy(2);
    }
    return b.compareTo(config.webhookMaxBackoff()) > 0 ? config.webhookMaxBackoff() : b;
  }

  /** Hex HMAC-SHA256 of {@code t + "." + body} under the subscription's secret. */
  public static String sign(Secret secret, long t, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] key = secret.revealBytes();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      java.util.Arrays.fill(key, (byte) 0);
      return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  private void inTransaction(Runnable work) {
    try {
      conn.setAutoCommit(false);
      try {
        work.run();
        conn.commit();
      } catch (RuntimeException e) {
        conn.rollback();
        throw e;
      } finally {
        conn.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "webhook queue not written: " + e.getMessage());
    }
  }

  static Map<String, Object> view(WebhookSubscription s) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", s.id());
    v.put("url", s.url());
    v.put("events", s.eventList());
    v.put("createdAt", s.createdAt());
    return v;
  }

  static String checkUrl(JsonNode url) {
    if (!url.isTextual()) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "url is required: the http(s) address to POST events to",
          Map.of("field", "url"));
    }
    try {
      URI u = URI.create(url.asText());
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException("not http(s)");
      }
      return u.toString();
    } catch (IllegalArgumentException e) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "url must be an absolute http or https URL, got '"
          + url.asText() + "'", Map.of("field", "url"));
    }
  }

  static List<String> checkEvents(JsonNode events) {
    if (!events.isArray() || events.isEmpty()) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "events must be a non-empty array of event types ("
          + String.join(", ", EVENT_TYPES) + ") or [\"*\"]", Map.of("field", "events"));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      if (!e.isTextual() || !(EVENT_TYPES.contains(e.asText()) || "*".equals(e.asText()))) {
        throw new FiscalException(ErrorCode.INVALID_FIELD, "events[" + i + "] is not an event type; use one of "
            + String.join(", ", EVENT_TYPES) + " or *", Map.of("field", "events[" + i + "]"));
      }
      out.add(e.asText());
    }
    return out;
  }

  /** Stops the delivery thread (deliveries not yet made stay queued for the next start). */
  @Override
  public void close() {
    running = false;
    wake();
    try {
      thread.join(config.webhookTimeout().toMillis() + 2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // stopping
      }
    }
  }
}
