package io.fiscald.agent.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fiscald.agent.Agent;
import io.fiscald.agent.api.ApiExchange.Handler;
import io.fiscald.agent.api.ApiExchange.Request;
import io.fiscald.agent.api.ApiExchange.Response;
import io.fiscald.agent.api.internal.Json;
import io.fiscald.agent.api.internal.Metrics;
import io.fiscald.agent.api.internal.RateLimiter;
import io.fiscald.agent.api.internal.ReadConnections;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.store.IdempotencyKeys;
import io.fiscald.store.IdempotencyRecord;
import io.fiscald.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local HTTP JSON API on the JDK's own HTTP server with a small fixed thread pool. Every call
 * passes the same gate in this order: route, token, role, rate limit, body size, idempotency key;
 * then its handler runs, and any refusal is answered in the one error shape with its stable code.
 * Closing it stops accepting, lets requests in flight finish, and leaves the agent open.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  /** Grace given to requests in flight when stopping, in seconds. */
  private static final int STOP_GRACE_SECONDS = 10;

  static {
    // The JDK server writes a reply's headers and body separately; with Nagle on, the body waits for the
    // client's delayed ACK (40 ms on Linux loopback). Read once, when the JDK server first loads; an
    // operator's -Dsun.net.httpserver.nodelay=false still wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer http;
  private final ExecutorService pool;
  private final List<Route> routes;
  private final ApiConfig config;
  private final ReadConnections readers;
  private final RateLimiter limiter;
  private final Metrics metrics;
  private final ApiRoutes handlers;
  private final Clock clock;
  private final Map<String, Boolean> inFlightKeys = new ConcurrentHashMap<>();
  private volatile boolean stopping;
  private final Object idle = new Object();
  private int active; // guarded by idle

  /** A route: method, path template with {@code {name}} parameters, the role it needs (null: public). */
  record Route(String method, String template, Pattern pattern, List<String> names, Role role, boolean idempotent,
      Handler handler) {
    static Route of(String method, String template, Role role, boolean idempotent, Handler handler) {
      List<String> names = new ArrayList<>();
      Matcher m = Pattern.compile("\\{([a-zA-Z]+)}").matcher(template);
      StringBuilder regex = new StringBuilder();
      int last = 0;
      while (m.find()) {
        regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
        names.add(m.group(1));
        last = m.end();
      }
      regex.append(Pattern.quote(template.substring(last)));
      return new Route(method, template, Pattern.compile(regex.toString()), names, role, idempotent, handler);
    }
  }

  private ApiServer(HttpServer http, ExecutorService pool, ApiConfig config, ReadConnections readers,
      ApiRoutes handlers, Metrics metrics, Clock clock) {
    this.http = http;
    this.clock = clock;
    this.pool = pool;
    this.config = config;
    this.readers = readers;
    this.handlers = handlers;
    this.metrics = metrics;
    this.limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst());
    this.routes = handlers.routes();
  }

  /**
   * Binds {@code config.listen()} and starts serving {@code agent}, which stays the caller's to close
   * (after this server). PORT_IN_USE when the address is taken.
   */
  public static ApiServer start(Agent agent, ApiConfig config, ApiHooks hooks, Clock clock) {
    return start(agent, config, hooks, null, clock);
  }

  /** As {@link #start(Agent, ApiConfig, ApiHooks, Clock)}, with a webhook dispatcher (and its alerts) to serve. */
  public static ApiServer start(Agent agent, ApiConfig config, ApiHooks hooks, WebhookDispatcher webhooks,
      Clock clock) {
    HttpServer http;
    try {
      http = HttpServer.create(config.listen(), 64);
    } catch (BindException e) {
      throw new FiscalException(ErrorCode.PORT_IN_USE, "cannot listen on " + hostPort(config.listen())
          + ": the address is in use (is fiscald already running? see fiscalctl status) — pick another with --listen",
          Map.of("listen", hostPort(config.listen())));
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.PORT_IN_USE, "cannot listen on " + hostPort(config.listen()) + ": "
          + e.getMessage(), Map.of("listen", hostPort(config.listen())));
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
      Thread t = new Thread(r, "api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ReadConnections readers = new ReadConnections(agent.dataDirectory().database());
    Metrics metrics = new Metrics();
    ApiRoutes handlers = new ApiRoutes(agent, config, hooks, readers, metrics, webhooks, clock);
    ApiServer server = new ApiServer(http, pool, config, readers, handlers, metrics, clock);
    handlers.bind(server);
    http.createContext("/", server::serve);
    http.setExecutor(pool);
    http.start();
    return server;
  }

  /** The address actually bound (the port is chosen by the OS when the configured one is 0). */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  public URI baseUri() {
    return URI.create("http://" + hostPort(address()));
  }

  /** Every route as {@code METHOD template}, for the OpenAPI drift test and the docs. */
  public List<String> routeSignatures() {
    return routes.stream().map(r -> r.method() + " " + r.template()).toList();
  }

  boolean stopping() {
    return stopping;
  }

  /**
   * Stops taking requests (new ones get 503 SHUTTING_DOWN), waits for those in flight (their commits
   * included) up to a grace period, then closes the listener and the read connections.
   */
  @Override
  public void close() {
    stopping = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
    synchronized (idle) {
      try {
        for (long left; active > 0 && (left = deadline - System.nanoTime()) > 0; ) {
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    http.stop(0); // (JDK 17's stop(delay) waits out the whole delay while idle keep-alive connections are open)
    pool.shutdown();
    try {
      pool.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    readers.close();
    handlers.close();
  }

  private void serve(HttpExchange ex) {
    synchronized (idle) {
      active++;
    }
    try {
      serveCounted(ex);
    } finally {
      synchronized (idle) {
        active--;
        idle.notifyAll();
      }
    }
  }

  private void serveCounted(HttpExchange ex) {
    if (stopping) {
      send(ex, error(new FiscalException(ErrorCode.SHUTTING_DOWN, "fiscald is shutting down; retry in a moment")));
      return;
    }
    long started = System.nanoTime();
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    String template = "unmatched";
    Response response;
    try {
      List<Route> onPath = routesOn(path);
      Optional<Route> route = Optional.empty();
      for (Route r : onPath) {
        if (r.method().equals(method)) {
          route = Optional.of(r);
          break;
        }
      }
      if (onPath.isEmpty()) {
        drain(ex);
        throw new FiscalException(ErrorCode.NOT_FOUND, "no such endpoint: " + method + " " + path
            + "; see GET /v1/openapi.json", Map.of("path", path));
      }
      if (route.isEmpty()) {
        drain(ex);
        String allow = String.join(", ", onPath.stream().map(Route::method).toList());
        response = error(new FiscalException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + path
            + "; use " + allow, Map.of("allow", allow))).withHeader("Allow", allow);
        template = onPath.get(0).template();
      } else {
        template = route.get().template();
        response = handle(route.get(), ex, path);
      }
    } catch (FiscalException e) {
      response = error(e);
    } catch (Exception e) {
      response = error(internal(e));
    }
    send(ex, response);
    metrics.observe(method, template, response.status(), System.nanoTime() - started);
  }

  /** The routes whose template matches {@code path}, in declaration order (templates without parameters by equality). */
  private List<Route> routesOn(String path) {
    List<Route> on = new ArrayList<>(2);
    for (Route r : routes) {
      if (r.names().isEmpty() ? r.template().equals(path) : r.pattern().matcher(path).matches()) {
        on.add(r);
      }
    }
    return on;
  }

  private Response handle(Route route, HttpExchange ex, String path) throws Exception {
    Caller caller = null;
    if (route.role() != null) {
      caller = authenticate(ex);
      if (!caller.role().includes(route.role())) {
        drain(ex);
        throw new FiscalException(ErrorCode.FORBIDDEN, "token '" + caller.tokenName() + "' has the "
            + caller.role().wireName() + " role; " + route.method() + " " + route.template() + " needs "
            + route.role().wireName(), Map.of("role", caller.role().wireName(), "required", route.role().wireName()));
      }
      long wait = limiter.acquire(caller.tokenName());
      if (wait > 0) {
        drain(ex);
        return error(new FiscalException(ErrorCode.RATE_LIMITED, "too many requests from token '"
            + caller.tokenName() + "'; retry in " + wait + " s", Map.of("retryAfterSeconds", wait)))
            .withHeader("Retry-After", Long.toString(wait));
      }
    }
    byte[] body = readBody(ex);
    Map<String, String> params = new LinkedHashMap<>();
    if (!route.names().isEmpty()) {
      Matcher m = route.pattern().matcher(path);
      if (m.matches()) {
        for (int i = 0; i < route.names().size(); i++) {
          params.put(route.names().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
        }
      }
    }
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    if (!route.idempotent()) {
      return route.handler().handle(new Request(route.method(), path, params, query, ex.getRequestHeaders(), body,
          caller, null));
    }
    return idempotent(route, ex, path, params, query, body, caller);
  }

  /**
   * Runs a state-changing call under its Idempotency-Key: a stored answer is replayed as it was (same
   * status, same bytes); the same key with another request is refused; two calls with one key at
   * once are not run twice.
   */
  private Response idempotent(Route route, HttpExchange ex, String path, Map<String, String> params,
      Map<String, String> query, byte[] body, Caller caller) {
    String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
    if (key == null || key.isBlank()) {
      throw new FiscalException(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, route.method() + " " + route.template()
          + " changes state and needs an Idempotency-Key header (e.g. a UUID per sale, reused on retries)");
    }
    if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "Idempotency-Key must be 1 to 255 visible ASCII characters",
          Map.of("field", "Idempotency-Key"));
    }
    byte[] hash = requestHash(route.method(), path, body);
    String scope = caller.tokenName() + "\n" + key;
    if (inFlightKeys.putIfAbsent(scope, Boolean.TRUE) != null) {
      throw new FiscalException(ErrorCode.IDEMPOTENCY_KEY_IN_USE, "a request with Idempotency-Key " + key
          + " is being processed; retry in a moment to get its answer", Map.of("idempotencyKey", key));
    }
    try {
      Optional<IdempotencyRecord> stored = IdempotencyKeys.find(readers.get(), caller.tokenName(), key)
          .filter(r -> Instant.parse(r.createdAt()).isAfter(clock.instant().minus(config.idempotencyTtl())));
      if (stored.isPresent()) {
        if (!MessageDigest.isEqual(stored.get().requestHash(), hash)) {
          throw new FiscalException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key " + key
              + " was already used for a different request (at " + stored.get().createdAt()
              + "); use a new key for a new request", Map.of("idempotencyKey", key));
        }
        return Response.raw(stored.get().status(), stored.get().response()).withHeader("Idempotent-Replayed", "true");
      }
      Idempotency idem = new Idempotency(caller.tokenName(), key, hash, config.idempotencyTtl());
      return route.handler().handle(new Request(route.method(), path, params, query, ex.getRequestHeaders(), body,
          caller, idem));
    } catch (FiscalException e) {
      throw e;
    } catch (Exception e) {
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    } finally {
      inFlightKeys.remove(scope);
    }
  }

  private Caller authenticate(HttpExchange ex) throws IOException {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      drain(ex);
      throw new FiscalException(ErrorCode.UNAUTHENTICATED, "this endpoint needs a token: send"
          + " 'Authorization: Bearer <token>' (create one with fiscalctl token create)");
    }
    Optional<Caller> caller = TokenService.authenticate(readers.get(), header.substring(7).strip());
    if (caller.isEmpty()) {
      drain(ex);
      throw new FiscalException(ErrorCode.UNAUTHENTICATED, "the token is not valid (unknown or revoked)");
    }
    return caller.get();
  }

  private static byte[] readBody(HttpExchange ex) throws IOException {
    int limit = ReceiptRequestParser.MAX_BODY_BYTES;
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        declared = -1;
      }
      if (declared > limit) {
        drain(ex);
        throw tooLarge(declared, limit);
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = declared >= 0 ? readDeclared(in, (int) declared, limit) : in.readNBytes(limit + 1);
      if (body.length > limit) {
        in.transferTo(OutputStream.nullOutputStream());
        throw tooLarge(body.length, limit);
      }
      return body;
    } catch (IOException e) {
      // the client's framing is broken (body cut short, bad chunk sizes): its mistake, not the device's
      throw malformed(e);
    }
  }

  /**
   * A body announced by Content-Length, read into an array of its size (readNBytes(limit) would take an
   * 8 KiB buffer per call first); anything after it (a chunked body whose Content-Length said otherwise) is
   * read too, up to one byte past the limit, exactly as a body without Content-Length.
   */
  private static byte[] readDeclared(InputStream in, int declared, int limit) throws IOException {
    byte[] body = in.readNBytes(declared);
    int next = in.read();
    if (next < 0) {
      return body;
    }
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    all.write(body);
    all.write(next);
    all.write(in.readNBytes(limit - body.length));
    return all.toByteArray();
  }

  static FiscalException malformed(IOException e) {
    return new FiscalException(ErrorCode.MALFORMED_REQUEST, "the request could not be read: " + e.getMessage()
        + "; send it again whole (Content-Length must match the body)");
  }

  private static FiscalException tooLarge(long size, int limit) {
    return new FiscalException(ErrorCode.REQUEST_TOO_LARGE, "the request body is " + (size > limit ? "over " : "")
        + limit + " bytes, the limit (256 KiB); split the sale into several receipts",
        Map.of("limit", limit));
  }

  /** Reads and drops a refused request's body (read(), not skip(): the JDK's skip ignores the body's length). */
  private static void drain(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] buf = new byte[8192];
      long left = ReceiptRequestParser.MAX_BODY_BYTES * 4L;
      for (int n; left > 0 && (n = in.read(buf)) > 0; ) {
        left -= n;
      }
    } catch (IOException e) {
      // a refused request with a broken body: the refusal still stands, it is answered as malformed
      throw malformed(e);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  static byte[] requestHash(String method, String path, byte[] body) {
    MessageDigest d = TokenService.sha256();
    d.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
    d.update(body);
    return d.digest();
  }

  static Response error(FiscalException e) {
    return Response.json(e.code().httpStatus(), e.toErrorDocument());
  }

  static FiscalException internal(Exception e) {
    if (io.fiscald.store.StorageFull.causedBy(e)) {
      return new FiscalException(ErrorCode.STORAGE_FULL, "the disk holding the database is full; nothing was"
          + " recorded. Free space on it and retry (no restart needed)");
    }
    if (e instanceof StoreException) {
      return new FiscalException(ErrorCode.STORAGE_ERROR, e.getMessage());
    }
    log.error("API request failed unexpectedly", e);
    return new FiscalException(ErrorCode.INTERNAL, "internal error: " + e, Map.of("exception", e.getClass().getName()));
  }

  private static void send(HttpExchange ex, Response r) {
    try {
      byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", r.contentType());
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      log.debug("client went away before its answer: {}", e.getMessage());
    } finally {
      ex.close();
    }
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Error documents of the API as JSON text (for tests and clients that want the exact shape). */
  static String errorJson(FiscalException e) {
    return Json.write(e.toErrorDocument());
  }
}
