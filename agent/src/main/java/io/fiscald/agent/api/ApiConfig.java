package io.fiscald.agent.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How the local API runs: where it listens, its thread pool, per-token rate limit, how long
 * idempotency keys are kept, webhook retries and alert thresholds. Immutable; read once at start.
 *
 * @param ratePerSecond sustained requests per second allowed to one token
 * @param rateBurst requests one token may make at once before the rate applies
 */
public record ApiConfig(
    InetSocketAddress listen,
    boolean allowRemote,
    int threads,
    double ratePerSecond,
    int rateBurst,
    Duration idempotencyTtl,
    int webhookMaxAttempts,
    Duration webhookInitialBackoff,
    Duration webhookMaxBackoff,
    Duration webhookTimeout,
    AlertThresholds alerts) {

  public static final int DEFAULT_PORT = 8719;
  /** Optional settings file in the data directory; every field is optional. */
  public static final String FILE_NAME = "fiscald-api.json";

  /** The thresholds of the built-in alerts. */
  public record AlertThresholds(
      Duration authorityUnreachable,
      double minSyncSuccessRate,
      Duration syncRateWindow,
      Duration dayCloseWarning,
      Duration certificateExpiryWarning,
      Duration maxClockDrift,
      long minFreeDiskBytes,
      Duration checkInterval) {

    public static AlertThresholds defaults() {
      return new AlertThresholds(Duration.ofMinutes(30), 0.90, Duration.ofMinutes(5), Duration.ofHours(1),
          Duration.ofDays(14), Duration.ofMinutes(2), 200L * 1024 * 1024, Duration.ofSeconds(15));
    }
  }

  public ApiConfig {
    if (threads < 1 || threads > 64) {
      throw invalid("threads must be between 1 and 64, got " + threads);
    }
    if (!(ratePerSecond > 0) || rateBurst < 1) {
      throw invalid("rateLimitPerSecond must be > 0 and rateLimitBurst >= 1");
    }
    if (webhookMaxAttempts < 1) {
      throw invalid("webhookMaxAttempts must be at least 1");
    }
    if (!allowRemote && !listen.getAddress().isLoopbackAddress()) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "refusing to listen on " + listen.getAddress()
          .getHostAddress() + ", which is not a loopback address: the API would be reachable from the network."
          + " Add --allow-remote if that is really wanted", Map.of("listen", listen.toString()));
    }
  }

  /**
   * Default API threads. A request holds its thread until its group commit is on disk, so the pool bounds how
   * many receipts share one commit; 32 lets 32 clients share each fsync. Threads start only when requests
   * need them (a one-POS till never starts more than a few).
   */
  public static final int DEFAULT_THREADS = 32;

  public static ApiConfig defaults() {
    return new ApiConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT), false,
        DEFAULT_THREADS, 50, 100,
        Duration.ofHours(24), 12, Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofSeconds(10),
        AlertThresholds.defaults());
  }

  public ApiConfig withListen(InetSocketAddress address, boolean remote) {
    return new ApiConfig(address, remote, threads, ratePerSecond, rateBurst, idempotencyTtl, webhookMaxAttempts,
        webhookInitialBackoff, webhookMaxBackoff, webhookTimeout, alerts);
  }

  public ApiConfig withRateLimit(double perSecond, int burst) {
    return new ApiConfig(listen, allowRemote, threads, perSecond, burst, idempotencyTtl, webhookMaxAttempts,
        webhookInitialBackoff, webhookMaxBackoff, webhookTimeout, alerts);
  }

  public ApiConfig withIdempotencyTtl(Duration ttl) {
    return new ApiConfig(listen, allowRemote, threads, ratePerSecond, rateBurst, ttl, webhookMaxAttempts,
        webhookInitialBackoff, webhookMaxBackoff, webhookTimeout, alerts);
  }

  public ApiConfig withWebhookRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return new ApiConfig(listen, allowRemote, threads, ratePerSecond, rateBurst, idempotencyTtl, maxAttempts,
        initialBackoff, maxBackoff, webhookTimeout, alerts);
  }

  public ApiConfig withAlerts(AlertThresholds thresholds) {
    return new ApiConfig(listen, allowRemote, threads, ratePerSecond, rateBurst, idempotencyTtl, webhookMaxAttempts,
        webhookInitialBackoff, webhookMaxBackoff, webhookTimeout, thresholds);
  }

  /** Parses {@code host:port} ({@code [::1]:8719} for IPv6); the port may be 0 for any free port. */
  public static InetSocketAddress parseListen(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--listen wants HOST:PORT, e.g. 127.0.0.1:8719, got '"
          + text + "'");
    }
    String host = text.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the port in --listen " + text + " is not 0-65535");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "cannot resolve the host in --listen " + text);
    }
  }

  /**
   * The defaults overridden by {@code file} when it exists. Unknown settings, wrong types and bad
   * values are refused with CONFIG_INVALID naming the file and the setting.
   */
  public static ApiConfig load(Path file) {
    ApiConfig c = defaults();
    if (!Files.exists(file)) {
      return c;
    }
    ObjectMapper strict = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).disable(JsonParser.Feature.ALLOW_COMMENTS).build();
    JsonNode root;
    try {
      root = strict.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw broken(file, "it is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw broken(file, "it must hold one JSON object");
    }
    List<String> known = List.of("listen", "threads", "rateLimitPerSecond", "rateLimitBurst", "idempotencyTtlHours",
        "webhookMaxAttempts", "webhookInitialBackoffSeconds", "webhookMaxBackoffSeconds",
        "alertAuthorityUnreachableMinutes", "alertMinSyncSuccessRate", "alertSyncRateWindowMinutes",
        "alertDayCloseWarningMinutes", "alertCertificateExpiryWarningDays", "alertMaxClockDriftSeconds",
        "alertMinFreeDiskMegabytes");
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw broken(file, "unknown setting '" + name + "' (known: " + String.join(", ", known) + ")");
      }
    }
    try {
      InetSocketAddress listen = root.has("listen") ? parseListen(text(root, "listen", file)) : c.listen;
      int threads = root.has("threads") ? integer(root, "threads", file) : c.threads;
      double rate = root.has("rateLimitPerSecond") ? number(root, "rateLimitPerSecond", file) : c.ratePerSecond;
      int burst = root.has("rateLimitBurst") ? integer(root, "rateLimitBurst", file) : c.rateBurst;
      Duration ttl = root.has("idempotencyTtlHours")
          ? Duration.ofHours(integer(root, "idempotencyTtlHours", file)) : c.idempotencyTtl;
      int attempts = root.has("webhookMaxAttempts") ? integer(root, "webhookMaxAttempts", file) : c.webhookMaxAttempts;
      Duration initial = root.has("webhookInitialBackoffSeconds")
          ? Duration.ofSeconds(integer(root, "webhookInitialBackoffSeconds", file)) : c.webhookInitialBackoff;
      Duration max = root.has("webhookMaxBackoffSeconds")
          ? Duration.ofSeconds(integer(root, "webhookMaxBackoffSeconds", file)) : c.webhookMaxBackoff;
      if (ttl.isNegative() || ttl.isZero()) {
        throw broken(file, "idempotencyTtlHours must be at least 1");
      }
      return new ApiConfig(listen, false, threads, rate, burst, ttl, attempts, initial, max, c.webhookTimeout,
          alerts(root, file, c.alerts));
    } catch (FiscalException e) {
      if (e.code() == ErrorCode.CONFIG_INVALID) {
        throw e;
      }
      throw broken(file, e.getMessage());
    }
  }

  /** The alert thresholds, each overridable on its own; a threshold of zero or less is refused. */
  private static AlertThresholds alerts(JsonNode root, Path file, AlertThresholds d) {
    Duration unreachable = positive(root, "alertAuthorityUnreachableMinutes", file)
        .map(Duration::ofMinutes).orElse(d.authorityUnreachable());
    double rate = d.minSyncSuccessRate();
    if (root.has("alertMinSyncSuccessRate")) {
      rate = number(root, "alertMinSyncSuccessRate", file);
      if (rate <= 0 || rate > 1) {
        throw broken(file, "'alertMinSyncSuccessRate' must be a fraction above 0 and at most 1, e.g. 0.9");
      }
    }
    Duration window = positive(root, "alertSyncRateWindowMinutes", file).map(Duration::ofMinutes)
        .orElse(d.syncRateWindow());
    Duration dayClose = positive(root, "alertDayCloseWarningMinutes", file).map(Duration::ofMinutes)
        .orElse(d.dayCloseWarning());
    Duration certificate = positive(root, "alertCertificateExpiryWarningDays", file).map(Duration::ofDays)
        .orElse(d.certificateExpiryWarning());
    Duration drift = positive(root, "alertMaxClockDriftSeconds", file).map(Duration::ofSeconds)
        .orElse(d.maxClockDrift());
    long disk = positive(root, "alertMinFreeDiskMegabytes", file).map(mb -> mb * 1024L * 1024L)
        .orElse(d.minFreeDiskBytes());
    return new AlertThresholds(unreachable, rate, window, dayClose, certificate, drift, disk, d.checkInterval());
  }

  private static java.util.Optional<Long> positive(JsonNode root, String name, Path file) {
    if (!root.has(name)) {
      return java.util.Optional.empty();
    }
    int value = integer(root, name, file);
    if (value < 1) {
      throw broken(file, "'" + name + "' must be at least 1, got " + value);
    }
    return java.util.Optional.of((long) value);
  }

  private static String text(JsonNode root, String name, Path file) {
    if (!root.get(name).isTextual()) {
      throw broken(file, "'" + name + "' must be a string");
    }
    return root.get(name).asText();
  }

  private static int integer(JsonNode root, String name, Path file) {
    if (!root.get(name).canConvertToInt() || !root.get(name).isIntegralNumber()) {
      throw broken(file, "'" + name + "' must be a whole number");
    }
    return root.get(name).asInt();
  }

  private static double number(JsonNode root, String name, Path file) {
    if (!root.get(name).isNumber()) {
      throw broken(file, "'" + name + "' must be a number");
    }
    return root.get(name).asDouble();
  }

  private static FiscalException broken(Path file, String why) {
    return new FiscalException(ErrorCode.CONFIG_INVALID, "the configuration " + file + " is broken: " + why,
        Map.of("file", file.toString()));
  }

  private static FiscalException invalid(String why) {
    return new FiscalException(ErrorCode.CONFIG_INVALID, "API settings are not valid: " + why);
  }
}
