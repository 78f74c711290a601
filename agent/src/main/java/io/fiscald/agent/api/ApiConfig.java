package io.fiscald.agent.api;

import io.fiscald.agent.config.ConfigKeys;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import io.fiscald.store.secret.Secret;

/**
 * How the local API runs: where it listens, its thread pool, per-token rate limit, how long
 * idempotency keys are kept, webhook retries and alert thresholds. Immutable; read once at start.
 *
 * @param ratePerSecond sustained requests per second allowed to one token
 * @param rateBurst requests one token may make at once before the rate applies
 * @param defaultWebhookSecret HMAC key of subscriptions created without their own secret, or null
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
    AlertThresholds alerts,
    Secret defaultWebhookSecret) {

  public static final int DEFAULT_PORT = 8719;

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
        AlertThresholds.defaults(), null);
  }

  public ApiConfig withListen(InetSocketAddress address, boolean remote) {
    return new ApiConfig(address, remote, threads, ratePerSecond, rateBurst, idempotencyTtl, webhookMaxAttempts,
        webhookInitialBackoff, webhookMaxBackoff, webhookTimeout, alerts, defaultWebhookSecret);
  }

  public ApiConfig withRateLimit(double perSecond, int burst) {
    return new ApiConfig(listen, allowRemote, threads, perSecond, burst, idempotencyTtl, webhookMaxAttempts,
        webhookInitialBackoff, webhookMaxBackoff, webhookTimeout, alerts, defaultWebhookSecret);
  }

  public ApiConfig withIdempotencyTtl(Duration ttl) {
    return new ApiConfig(listen, allowRemote, threads, ratePerSecond, rateBurst, ttl, webhookMaxAttempts,
        webhookInitialBackoff, webhookMaxBackoff, webhookTimeout, alerts, defaultWebhookSecret);
  }

  public ApiConfig withWebhookRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return new ApiConfig(listen, allowRemote, threads, ratePerSecond, rateBurst, idempotencyTtl, maxAttempts,
        initialBackoff, maxBackoff, webhookTimeout, alerts, defaultWebhookSecret);
  }

  public ApiConfig withAlerts(AlertThresholds thresholds) {
    return new ApiConfig(listen, allowRemote, threads, ratePerSecond, rateBurst, idempotencyTtl, webhookMaxAttempts,
        webhookInitialBackoff, webhookMaxBackoff, webhookTimeout, thresholds, defaultWebhookSecret);
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
   * The API settings of a configuration ({@code api.*}, {@code webhook.*}, {@code alert.*} keys of
   * fiscald.conf); a non-loopback {@code api.listen} without {@code api.allow-remote = true} is refused.
   */
  public static ApiConfig from(FiscaldConfig c) {
    InetSocketAddress listen = parseListen(c.text(ConfigKeys.API_LISTEN));
    boolean remote = (Boolean) c.value(ConfigKeys.API_ALLOW_REMOTE).orElse(false);
    if (!remote && !listen.getAddress().isLoopbackAddress()) {
      throw new FiscalException(ErrorCode.CONFIG_INVALID, "api.listen = " + c.text(ConfigKeys.API_LISTEN)
          + " is not a loopback address: the API would be reachable from the network. Set api.allow-remote = true"
          + " if that is really wanted", Map.of("key", ConfigKeys.API_LISTEN.name()));
    }
    AlertThresholds alerts = new AlertThresholds(c.duration(ConfigKeys.ALERT_UNREACHABLE),
        (Double) c.value(ConfigKeys.ALERT_SYNC_RATE).orElseThrow(), c.duration(ConfigKeys.ALERT_SYNC_WINDOW),
        c.duration(ConfigKeys.ALERT_DAY_CLOSE), c.duration(ConfigKeys.ALERT_CERTIFICATE),
        c.duration(ConfigKeys.ALERT_CLOCK), c.integer(ConfigKeys.ALERT_DISK) * 1024L * 1024L,
        c.duration(ConfigKeys.ALERT_INTERVAL));
    return new ApiConfig(listen, remote, (int) Math.min(Integer.MAX_VALUE, c.integer(ConfigKeys.API_THREADS)),
        (Double) c.value(ConfigKeys.API_RATE).orElseThrow(),
        (int) Math.min(Integer.MAX_VALUE, c.integer(ConfigKeys.API_BURST)),
        c.duration(ConfigKeys.API_IDEMPOTENCY_TTL),
        (int) Math.min(Integer.MAX_VALUE, c.integer(ConfigKeys.WEBHOOK_MAX_ATTEMPTS)),
        c.duration(ConfigKeys.WEBHOOK_INITIAL_BACKOFF), c.duration(ConfigKeys.WEBHOOK_MAX_BACKOFF),
        c.duration(ConfigKeys.WEBHOOK_TIMEOUT), alerts, c.secret(ConfigKeys.WEBHOOK_SECRET).orElse(null));
  }

  private static FiscalException invalid(String why) {
    return new FiscalException(ErrorCode.CONFIG_INVALID, "API settings are not valid: " + why);
  }
}
