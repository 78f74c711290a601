package io.fiscald.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.api.ApiExchange.Request;
import io.fiscald.agent.api.ApiExchange.Response;
import io.fiscald.agent.api.ApiServer.Route;
import io.fiscald.agent.api.internal.Json;
import io.fiscald.agent.api.internal.Metrics;
import io.fiscald.agent.api.internal.ReadConnections;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.core.ReceiptView;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.agent.tax.Money;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import io.fiscald.store.PrintJob;
import io.fiscald.store.PrintJobs;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import io.fiscald.store.Webhooks;
import io.fiscald.store.secret.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The API's routes and their handlers; what each answers is documented in docs/API.md and openapi.json. */
final class ApiRoutes implements AutoCloseable {
  static final String OPENAPI_RESOURCE = "openapi.json";
  private static final int MAX_PAGE = 500;

  private final Agent agent;
  private final ApiConfig config;
  private final ApiHooks hooks;
  private final ReadConnections readers;
  private final Metrics metrics;
  private final WebhookDispatcher webhooks;
  private final Clock clock;
  private final ReceiptRequestParser parser = new ReceiptRequestParser();
  private final Instant startedAt;
  private final String openApi;
  private Connection state; // guarded by this
  private ApiServer server;

  ApiRoutes(Agent agent, ApiConfig config, ApiHooks hooks, ReadConnections readers, Metrics metrics,
      WebhookDispatcher webhooks, Clock clock) {
    this.agent = agent;
    this.config = config;
    this.hooks = hooks;
    this.readers = readers;
    this.metrics = metrics;
    this.webhooks = webhooks;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.openApi = openApiDocument();
  }

  void bind(ApiServer server) {
    this.server = server;
  }

  List<Route> routes() {
    return List.of(
        Route.of("GET", "/healthz", null, false, r -> Response.json(200, Map.of("status", "alive"))),
        Route.of("GET", "/readyz", null, false, this::ready),
        Route.of("GET", "/metrics", null, false, this::metrics),
        Route.of("GET", "/v1/openapi.json", null, false, r -> Response.raw(200, openApi)),
        Route.of("POST", "/v1/receipts", Role.CASHIER, true, this::issue),
        Route.of("GET", "/v1/receipts", Role.CASHIER, false, this::search),
        Route.of("GET", "/v1/receipts/{number}", Role.CASHIER, false, this::receipt),
        Route.of("POST", "/v1/receipts/{number}/reprint", Role.CASHIER, true, this::reprint),
        Route.of("POST", "/v1/receipts/{number}/cancel", Role.CASHIER, true, this::cancel),
        Route.of("GET", "/v1/day", Role.CASHIER, false, this::day),
        Route.of("POST", "/v1/day/open", Role.TECHNICIAN, true, this::openDay),
        Route.of("POST", "/v1/day/close", Role.TECHNICIAN, true, this::closeDay),
        Route.of("GET", "/v1/day/x-report", Role.TECHNICIAN, false,
            r -> Response.json(200, agent.core().xReport())),
        Route.of("GET", "/v1/status", Role.CASHIER, false, r -> Response.json(200, status())),
        Route.of("GET", "/v1/alerts", Role.CASHIER, false, this::alerts),
        Route.of("GET", "/v1/webhooks", Role.ADMIN, false, this::listWebhooks),
        Route.of("POST", "/v1/webhooks", Role.ADMIN, true, this::subscribe),
        Route.of("DELETE", "/v1/webhooks/{id}", Role.ADMIN, false, this::unsubscribe),
        Route.of("POST", "/v1/environment/switch", Role.ADMIN, false, this::switchEnvironment),
        Route.of("GET", "/v1/webhooks/deliveries", Role.ADMIN, false, this::deliveries));
  }

  // ---- receipts

  private Response issue(Request r) {
    ReceiptRequest request = parser.parse(r.body());
    IssuedReceipt issued = FiscalCore.await(agent.core().submit(request,
        r.idempotency().<IssuedReceipt>forCore(201, this::answerAtCommit)));
    hooks.printQueueChanged(); // wakes the print worker and the sync worker: transmit now, not at the next poll
    if (webhooks != null) {
      webhooks.eventsAppended();
    }
    // Durable already; a signature that comes after the commit (KRA OSCU) is waited for a little.
    Map<String, Object> after = hooks.signatures().afterCommit(readers.get(), issued);
    String stored = r.idempotency().committedAnswer();
    if (stored != null && after.isEmpty() && hooks.signatures().atCommit(issued).isEmpty()) {
      return Response.raw(201, stored); // the very document the writer stored for replays: not written twice
    }
    Map<String, Object> answer = new LinkedHashMap<>(ReceiptView.of(issued));
    answer.putAll(after);
    return Response.json(201, answer);
  }

  /** The answer stored with the receipt for replays: as at commit. */
  private Map<String, Object> answerAtCommit(IssuedReceipt issued) {
    Map<String, Object> answer = new LinkedHashMap<>(ReceiptView.of(issued));
    answer.putAll(hooks.signatures().atCommit(issued));
    return answer;
  }

  private Response receipt(Request r) {
    Connection c = readers.get();
    ReceiptRecord row = find(c, r.param("number"));
    JournalEntry entry = Journal.get(c, row.journalSeq()).orElseThrow(() -> new FiscalException(
        ErrorCode.AUDIT_FAILED, "receipt " + row.receiptNumber() + " has no journal entry; run fiscalctl audit verify"));
    FiscalReceipt receipt = ReceiptCodec.receipt(row.body());
    ReceiptSeal seal = new ReceiptSeal(entry.seq(), entry.hash(), entry.signature());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("receipt", receipt);
    view.put("journalSeq", seal.journalSeq());
    view.put("hash", seal.hashHex());
    view.put("verificationCode", seal.verificationCode());
    view.put("fiscalBlock", agent.core().profile().fiscalBlock(receipt, seal));
    view.put("print", printView(c, row.id()));
    view.put("sync", syncView(Outbox.latestForReceipt(c, row.id()).orElse(null)));
    view.putAll(hooks.signatures().current(c, row));
    return Response.json(200, view);
  }

  private static Map<String, Object> printView(Connection c, long receiptId) {
    PrintJob job = PrintJobs.latestFor(c, receiptId).orElse(null);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("state", job == null ? "NONE" : job.status());
    v.put("copies", job == null ? 0 : PrintJobs.maxCopy(c, receiptId));
    v.put("attempts", job == null ? 0 : job.attempts());
    v.put("lastError", job == null ? null : job.lastError());
    return v;
  }

  private static Map<String, Object> syncView(OutboxMessage m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("state", m == null ? "NOT_REQUIRED" : m.status());
    if (m != null) {
      v.put("authority", m.authority());
      v.put("attempts", m.attempts());
      v.put("nextAttemptAt", m.nextAttemptAt());
      v.put("lastError", m.lastError());
      v.put("sentAt", m.sentAt());
      v.put("authorityResponse", Json.tree(m.response()));
    }
    return v;
  }

  private static ReceiptRecord find(Connection c, String number) {
    return Receipts.findByNumber(c, number).orElseThrow(() -> new FiscalException(ErrorCode.RECEIPT_NOT_FOUND,
        "no receipt " + number + " on this device", Map.of("receiptNumber", number)));
  }

  /** {@code ?day=N}, {@code ?number=X}, {@code ?from=ISO&to=ISO}, {@code ?type=T}, paged by {@code after} (global number). */
  private Response search(Request r) throws SQLException {
    Map<String, String> q = r.query();
    for (String name : q.keySet()) {
      if (!List.of("day", "number", "from", "to", "type", "limit", "after").contains(name)) {
        throw new FiscalException(ErrorCode.INVALID_FIELD, "unknown query parameter '" + name
            + "'; use day, number, from, to, type, limit, after", Map.of("field", name));
      }
    }
    StringBuilder sql = new StringBuilder("SELECT receipt_number, type, day_no, day_counter, global_no, currency,"
        + " total_minor, tax_minor, issued_at, original_number FROM receipts WHERE global_no > ?");
    List<Object> args = new ArrayList<>();
    args.add(longParam(q, "after", 0));
    if (q.containsKey("day")) {
      sql.append(" AND day_no = ?");
      args.add(longParam(q, "day", 0));
    }
    if (q.containsKey("number")) {
      sql.append(" AND receipt_number = ?");
      args.add(q.get("number"));
    }
    if (q.containsKey("type")) {
      sql.append(" AND type = ?");
      args.add(q.get("type"));
    }
    if (q.containsKey("from")) {
      sql.append(" AND issued_at >= ?");
      args.add(instantParam(q, "from"));
    }
    if (q.containsKey("to")) {
      sql.append(" AND issued_at < ?");
      args.add(instantParam(q, "to"));
    }
    long limit = longParam(q, "limit", 100);
    if (limit < 1 || limit > MAX_PAGE) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "limit must be 1 to " + MAX_PAGE, Map.of("field", "limit"));
    }
    sql.append(" ORDER BY global_no LIMIT ?");
    args.add(limit);
    List<Map<String, Object>> rows = new ArrayList<>();
    long last = 0;
    try (PreparedStatement ps = readers.get().prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int digits = Money.minorDigits(rs.getString(6));
          Map<String, Object> v = new LinkedHashMap<>();
          v.put("receiptNumber", rs.getString(1));
          v.put("type", rs.getString(2));
          v.put("dayNo", rs.getLong(3));
          v.put("dayCounter", rs.getLong(4));
          v.put("globalNo", rs.getLong(5));
          v.put("currency", rs.getString(6));
          v.put("total", Money.format(rs.getLong(7), digits));
          v.put("tax", Money.format(rs.getLong(8), digits));
          v.put("issuedAt", rs.getString(9));
          v.put("originalNumber", rs.getString(10));
          last = rs.getLong(5);
          rows.add(v);
        }
      }
    }
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("receipts", rows);
    page.put("next", rows.size() == limit ? last : null);
    return Response.json(200, page);
  }

  private static long longParam(Map<String, String> q, String name, long dflt) {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, name + " must be a whole number, got '" + v + "'",
          Map.of("field", name));
    }
  }

  private static String instantParam(Map<String, String> q, String name) {
    try {
      return Timestamps.format(Instant.parse(q.get(name)));
    } catch (DateTimeParseException e) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, name + " must be an ISO-8601 UTC time such as"
          + " 2026-11-24T08:00:00Z, got '" + q.get(name) + "'", Map.of("field", name));
    }
  }

  /** Queues a copy (copy number = highest so far + 1) and stores the answer in the same transaction. */
  private Response reprint(Request r) {
    requireEmptyBody(r);
    Instant now = clock.instant();
    Response answer = inStateTransaction(c -> {
      ReceiptRecord row = find(c, r.param("number"));
      int copy = PrintJobs.maxCopy(c, row.id()) + 1;
      long job = PrintJobs.enqueue(c, row.id(), copy, Timestamps.format(now));
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("receiptNumber", row.receiptNumber());
      v.put("copy", copy);
      v.put("printJobId", job);
      v.put("state", "PENDING");
      String body = Json.write(v);
      r.idempotency().store(c, 202, body, now);
      return Response.raw(202, body);
    });
    hooks.printQueueChanged();
    return answer;
  }

  private Response cancel(Request r) {
    ReceiptRecord row = find(readers.get(), r.param("number"));
    Map<String, Object> answer = hooks.canceller().cancel(row, r.caller());
    String body = Json.write(answer);
    Instant now = clock.instant();
    return inStateTransaction(c -> {
      r.idempotency().store(c, 200, body, now);
      return Response.raw(200, body);
    });
  }

  // ---- fiscal day

  private Response day(Request r) {
    Connection c = readers.get();
    FiscalDayRecord day = FiscalDays.latest(c).orElse(null);
    Map<String, Object> v = new LinkedHashMap<>();
    if (day == null) {
      v.put("status", "NONE");
      return Response.json(200, v);
    }
    v.putAll(dayView(day));
    v.put("receipts", Receipts.byDayMaxCounter(c, day.dayNo()));
    v.put("closeDueAt", day.isOpen() ? Timestamps.format(closeDue(day)) : null);
    return Response.json(200, v);
  }

  static Map<String, Object> dayView(FiscalDayRecord day) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("dayNo", day.dayNo());
    v.put("status", day.status());
    v.put("openedAt", day.openedAt());
    v.put("closedAt", day.closedAt());
    return v;
  }

  private Instant closeDue(FiscalDayRecord day) {
    return Instant.parse(day.openedAt()).plus(Duration.ofHours(agent.settings().maxDayHours()));
  }

  private Response openDay(Request r) {
    requireEmptyBody(r);
    FiscalDayRecord day = agent.core().openDay(r.idempotency().<FiscalDayRecord>forCore(201, ApiRoutes::dayView));
    return Response.json(201, dayView(day));
  }

  private Response closeDay(Request r) {
    requireEmptyBody(r);
    DayReport z = agent.core().closeDay(r.idempotency().<DayReport>forCore(200, report -> report));
    if (webhooks != null) {
      webhooks.eventsAppended();
    }
    return Response.json(200, z);
  }

  private static void requireEmptyBody(Request r) {
    String text = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).strip();
    if (!text.isEmpty() && !text.equals("{}")) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, r.method() + " " + r.path()
          + " takes no fields; send an empty body or {}", Map.of("field", "body"));
    }
  }

  // ---- health, readiness, status, metrics

  /** Why the device cannot take a receipt right now; empty when it can. */
  List<Map<String, String>> notReadyReasons() {
    List<Map<String, String>> reasons = new ArrayList<>();
    if (server != null && server.stopping()) {
      reasons.add(Map.of("code", ErrorCode.SHUTTING_DOWN.name(), "message", "fiscald is shutting down"));
      return reasons;
    }
    FiscalDayRecord day = FiscalDays.latest(readers.get()).orElse(null);
    if (day == null || !day.isOpen()) {
      reasons.add(Map.of("code", ErrorCode.DAY_NOT_OPEN.name(), "message",
          "no fiscal day is open; open one (POST /v1/day/open or fiscalctl day open)"));
    } else if (clock.instant().isAfter(closeDue(day))) {
      reasons.add(Map.of("code", ErrorCode.DAY_TOO_LONG.name(), "message", "fiscal day " + day.dayNo()
          + " is older than " + agent.settings().maxDayHours() + " h; close it and open a new one"));
    }
    for (ApiHooks.ReadinessCheck check : hooks.readinessChecks()) {
      check.notReadyReason().ifPresent(m -> reasons.add(Map.of("code", ErrorCode.NOT_READY.name(), "message", m)));
    }
    return reasons;
  }

  private Response ready(Request r) {
    List<Map<String, String>> reasons = notReadyReasons();
    if (reasons.isEmpty()) {
      return Response.json(200, Map.of("ready", true));
    }
    return ApiServer.error(new FiscalException(ErrorCode.NOT_READY, "fiscald cannot take receipts now: "
        + reasons.get(0).get("message"), Map.of("reasons", reasons)));
  }

  Map<String, Object> status() {
    Connection c = readers.get();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("deviceId", agent.device().deviceId());
    s.put("authority", agent.device().authority());
    s.put("environment", agent.device().environment());
    s.put("startedAt", Timestamps.format(startedAt));
    FiscalDayRecord day = FiscalDays.latest(c).orElse(null);
    Map<String, Object> d = new LinkedHashMap<>();
    if (day == null) {
      d.put("status", "NONE");
    } else {
      d.putAll(dayView(day));
      d.put("receipts", Receipts.byDayMaxCounter(c, day.dayNo()));
      d.put("closeDueAt", day.isOpen() ? Timestamps.format(closeDue(day)) : null);
    }
    s.put("day", d);
    Map<String, Object> queues = new LinkedHashMap<>();
    queues.put("outboxPending", Outbox.pendingCount(c));
    queues.put("outboxOldestPending", Outbox.oldestPending(c).orElse(null));
    queues.put("outboxRejected", Outbox.rejectedCount(c));
    queues.put("printPending", PrintJobs.pendingCount(c));
    queues.put("webhooksPending", Webhooks.count(c, "PENDING"));
    queues.put("webhooksDead", Webhooks.count(c, "DEAD"));
    s.put("queues", queues);
    SyncStatus sync = hooks.syncStatus();
    Map<String, Object> sv = new LinkedHashMap<>();
    sv.put("online", sync.online());
    sv.put("offlineSince", sync.offlineSince() == null ? null : Timestamps.format(sync.offlineSince()));
    sv.put("offlineSeconds", offlineSeconds(sync));
    sv.put("lastSyncAt", sync.lastSyncAt() == null ? null : Timestamps.format(sync.lastSyncAt()));
    sv.put("offlineLimitSeconds", sync.offlineLimit() == null ? null : sync.offlineLimit().toSeconds());
    sv.put("offlineFiles", io.fiscald.agent.sync.SyncState.offlineFiles(c, agent.device().authority()));
    s.put("sync", sv);
    PrinterState printer = hooks.printerState();
    s.put("printer", Map.of("state", printer.state(), "detail", printer.detail() == null ? "" : printer.detail()));
    s.put("certificateExpiresAt", sync.certificateExpiresAt() == null ? null
        : Timestamps.format(sync.certificateExpiresAt()));
    s.put("clockDriftSeconds", sync.clockDrift() == null ? null : sync.clockDrift().toMillis() / 1000.0);
    s.put("backup", backupView(hooks.backupStatus()));
    List<Map<String, String>> reasons = notReadyReasons();
    s.put("ready", reasons.isEmpty());
    s.put("notReadyReasons", reasons);
    s.put("alerts", webhooks == null ? List.of() : webhooks.alerts().active());
    return s;
  }

  private static Map<String, Object> backupView(io.fiscald.agent.backup.BackupStatus b) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("scheduled", b.scheduled());
    v.put("intervalSeconds", b.interval() == null ? null : b.interval().toSeconds());
    v.put("dir", b.dir());
    v.put("lastAttemptAt", b.lastAttemptAt() == null ? null : Timestamps.format(b.lastAttemptAt()));
    v.put("lastSuccessAt", b.lastSuccessAt() == null ? null : Timestamps.format(b.lastSuccessAt()));
    v.put("lastFile", b.lastFile());
    v.put("lastError", b.lastError());
    v.put("successes", b.successes());
    v.put("failures", b.failures());
    return v;
  }

  private long offlineSeconds(SyncStatus sync) {
    return sync.offlineSince() == null ? 0 : Math.max(0, Duration.between(sync.offlineSince(), clock.instant())
        .toSeconds());
  }

  private Response metrics(Request r) throws SQLException {
    Connection c = readers.get();
    StringBuilder out = new StringBuilder();
    Map<String, Long> byType = new TreeMap<>();
    for (String t : List.of("INVOICE", "CREDIT_NOTE", "DEBIT_NOTE")) {
      byType.put("type=\"" + t + "\"", 0L);
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT type, count(*) FROM receipts GROUP BY type");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        byType.put("type=\"" + rs.getString(1) + "\"", rs.getLong(2));
      }
    }
    Metrics.family(out, "fiscald_receipts_issued_total", "counter", "Receipts issued, by type.", byType);
    // group commit at work: events per commit is what keeps throughput up when fsync is slow
    Metrics.family(out, "fiscald_journal_commits_total", "counter", "Transactions the fiscal writer committed "
        + "(one fsync each) since start.", Map.of("", agent.core().commits()));
    Metrics.family(out, "fiscald_journal_committed_events_total", "counter", "Fiscal events in those commits "
        + "since start.", Map.of("", agent.core().committedEvents()));
    SyncStatus sync = hooks.syncStatus();
    Metrics.family(out, "fiscald_sync_attempts_total", "counter", "Submissions tried.", Map.of("", sync.attempts()));
    Metrics.family(out, "fiscald_sync_successes_total", "counter", "Submissions accepted.",
        Map.of("", sync.successes()));
    Metrics.family(out, "fiscald_sync_failures_total", "counter", "Submissions failed.", Map.of("", sync.failures()));
    out.append("# HELP fiscald_sync_latency_seconds Time per submission to the authority.\n");
    out.append("# TYPE fiscald_sync_latency_seconds summary\n");
    out.append("fiscald_sync_latency_seconds_sum ").append(Metrics.format(sync.latencySecondsSum())).append('\n');
    out.append("fiscald_sync_latency_seconds_count ").append(sync.attempts()).append('\n');
    Metrics.family(out, "fiscald_outbox_depth", "gauge", "Messages waiting for the authority.",
        Map.of("", Outbox.pendingCount(c)));
    Metrics.family(out, "fiscald_offline_seconds", "gauge", "Seconds since the authority was last reachable.",
        Map.of("", offlineSeconds(sync)));
    long failures;
    try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(attempts), 0)"
        + " - (SELECT count(*) FROM print_jobs WHERE status = 'PRINTED') FROM print_jobs");
        ResultSet rs = ps.executeQuery()) {
      failures = rs.next() ? Math.max(0, rs.getLong(1)) : 0;
    }
    Metrics.family(out, "fiscald_print_failures_total", "counter", "Print attempts that failed.",
        Map.of("", failures));
    Metrics.family(out, "fiscald_print_queue_depth", "gauge", "Print jobs waiting.",
        Map.of("", PrintJobs.pendingCount(c)));
    Metrics.family(out, "fiscald_webhook_deliveries", "gauge", "Webhook deliveries by state.",
        Map.of("status=\"PENDING\"", Webhooks.count(c, "PENDING"), "status=\"DEAD\"", Webhooks.count(c, "DEAD")));
    io.fiscald.agent.backup.BackupStatus backup = hooks.backupStatus();
    if (backup.scheduled()) {
      Metrics.family(out, "fiscald_backup_last_success_timestamp_seconds", "gauge", "When the newest verified "
          + "backup was taken (Unix time; 0 when none).", Map.of("", backup.lastSuccessAt() == null ? 0
              : backup.lastSuccessAt().getEpochSecond()));
      Metrics.family(out, "fiscald_backups_total", "counter", "Scheduled backups by result.",
          Map.of("result=\"ok\"", backup.successes(), "result=\"failed\"", backup.failures()));
    }
    Metrics.family(out, "fiscald_ready", "gauge", "1 when receipts can be taken now.",
        Map.of("", notReadyReasons().isEmpty() ? 1 : 0));
    metrics.writeApi(out);
    return new Response(200, out.toString(), "text/plain; version=0.0.4; charset=utf-8", Map.of());
  }

  // ---- webhooks and alerts

  private WebhookDispatcher webhooks() {
    if (webhooks == null) {
      throw new FiscalException(ErrorCode.NOT_FOUND, "webhooks are not enabled in this process");
    }
    return webhooks;
  }

  private Response alerts(Request r) {
    return Response.json(200, Map.of("alerts", webhooks == null ? List.of() : webhooks.alerts().active()));
  }

  private Response listWebhooks(Request r) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var s : Webhooks.subscriptions(readers.get())) {
      out.add(WebhookDispatcher.view(s));
    }
    return Response.json(200, Map.of("webhooks", out));
  }

  /**
   * The checked environment switch (docs/ENVIRONMENTS.md) done by the daemon, which holds the active
   * environment's lock: its own agent journals the leaving side. It keeps serving that device until restarted.
   */
  private Response switchEnvironment(Request r) {
    JsonNode body = Json.readObject(r.body(), List.of("environment"));
    JsonNode target = body.path("environment");
    if (!target.isTextual() || !io.fiscald.agent.device.DataRoot.ENVIRONMENTS.contains(target.asText())) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "environment must be sandbox or production",
          Map.of("field", "environment"));
    }
    io.fiscald.agent.device.DataRoot root = io.fiscald.agent.device.DataRoot.of(agent.dataDirectory())
        .orElseGet(() -> new io.fiscald.agent.device.DataRoot(agent.dataDirectory().root()));
    io.fiscald.agent.env.EnvironmentSwitch.Outcome o = io.fiscald.agent.env.EnvironmentSwitch.switchTo(root,
        target.asText(), agent.config(), agent.env(), clock, agent);
    Map<String, Object> answer = new java.util.LinkedHashMap<>();
    answer.put("from", o.from());
    answer.put("to", o.to());
    answer.put("fromDeviceId", o.fromDeviceId());
    answer.put("toDeviceId", o.toDeviceId());
    answer.put("fromJournalSeq", o.fromSeq());
    answer.put("toJournalSeq", o.toSeq());
    answer.put("restartRequired", true);
    answer.put("warnings", o.warnings());
    return Response.json(200, answer);
  }

  private Response subscribe(Request r) {
    JsonNode body = Json.readObject(r.body(), List.of("url", "events", "secret"));
    String url = WebhookDispatcher.checkUrl(body.path("url"));
    List<String> events = WebhookDispatcher.checkEvents(body.path("events"));
    JsonNode given = body.path("secret");
    // without its own secret a subscription takes webhook.secret of fiscald.conf, when one is configured
    Secret secret = given.isMissingNode() && config.defaultWebhookSecret() != null ? config.defaultWebhookSecret()
        : given.isTextual() ? Secret.ofUtf8(given.asText()) : null;
    if (secret == null || secret.length() < 16 || secret.length() > 256) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "secret must be a string of 16 to 256 characters; it keys"
          + " the HMAC-SHA256 signature of every delivery", Map.of("field", "secret"));
    }
    Instant now = clock.instant();
    WebhookDispatcher dispatcher = webhooks();
    Response answer = dispatcher.subscribing(() -> inStateTransaction(c -> {
      WebhookDispatcher.moveCursorsToHeads(c); // the first subscriber starts at the heads
      long id = Webhooks.subscribe(c, url, String.join(",", events), Timestamps.format(now));
      agent.secrets().put(c, io.fiscald.store.WebhookSubscription.secretName(id), secret);
      String json = Json.write(WebhookDispatcher.view(Webhooks.subscription(c, id).orElseThrow()));
      r.idempotency().store(c, 201, json, now);
      return Response.raw(201, json);
    }));
    dispatcher.refresh();
    return answer;
  }

  private Response unsubscribe(Request r) {
    long id = longParam(Map.of("id", r.param("id")), "id", 0);
    boolean removed = inStateTransaction(c -> Webhooks.unsubscribe(c, id, Timestamps.format(clock.instant())));
    if (!removed) {
      throw new FiscalException(ErrorCode.NOT_FOUND, "no webhook subscription " + id, Map.of("id", id));
    }
    webhooks().refresh();
    return Response.json(200, Map.of("id", id, "deleted", true));
  }

  private Response deliveries(Request r) {
    String status = r.query().getOrDefault("status", "DEAD");
    if (!List.of("PENDING", "DELIVERED", "DEAD").contains(status)) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "status must be PENDING, DELIVERED or DEAD",
          Map.of("field", "status"));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (var d : Webhooks.byStatus(readers.get(), status, MAX_PAGE)) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("id", d.id());
      v.put("subscriptionId", d.subscriptionId());
      v.put("eventId", d.eventId());
      v.put("eventType", d.eventType());
      v.put("status", d.status());
      v.put("attempts", d.attempts());
      v.put("nextAttemptAt", d.nextAttemptAt());
      v.put("lastError", d.lastError());
      v.put("createdAt", d.createdAt());
      v.put("deliveredAt", d.deliveredAt());
      out.add(v);
    }
    return Response.json(200, Map.of("deliveries", out));
  }

  // ---- plumbing

  /** Runs {@code work} in one transaction on the API's own state connection (not the journal writer's). */
  private synchronized <T> T inStateTransaction(Function<Connection, T> work) {
    try {
      if (state == null) {
        state = agent.newStateConnection();
      }
      state.setAutoCommit(false);
      try {
        T result = work.apply(state);
        state.commit();
        return result;
      } catch (RuntimeException e) {
        state.rollback();
        throw e;
      } finally {
        state.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "the change could not be written (" + e.getMessage()
          + "); nothing was recorded, retry", Map.of(), e);
    }
  }

  private static String openApiDocument() {
    try (InputStream in = ApiRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + OPENAPI_RESOURCE + " missing from the jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + OPENAPI_RESOURCE, e);
    }
  }

  @Override
  public synchronized void close() {
    if (state != null) {
      try {
        state.close();
      } catch (SQLException ignored) {
        // closing after the work is done
      }
      state = null;
    }
  }
}
