package io.fiscald.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every key {@code fiscald.conf} knows, declared once: the reader, {@code fiscalctl config show},
 * {@code config template} and docs/CONFIG.md (checked by a test) all come from this list.
 */
public final class ConfigKeys {
  public static final ConfigKey TEST_MODE = ConfigKey.of("test-mode", ConfigType.BOOL, "false",
      "Sandbox conveniences: plain-http and loopback test doubles (the simulators). Never in production;"
          + " `env switch production` refuses while it is on. Where the file is silent, FISCALD_TEST_MODE=true"
          + " switches it on for one process (the build's tests and the demo).").withEnv("FISCALD_TEST_MODE");
  public static final ConfigKey LOG_LEVEL = ConfigKey.of("log.level", ConfigType.LEVEL, "info",
      "Level of the log on standard error (journald under systemd).");

  public static final ConfigKey API_LISTEN = ConfigKey.of("api.listen", ConfigType.LISTEN, "127.0.0.1:8719",
      "Address of the local HTTP API (`serve --listen` overrides it for one run).");
  public static final ConfigKey API_ALLOW_REMOTE = ConfigKey.of("api.allow-remote", ConfigType.BOOL, "false",
      "Allow a non-loopback `api.listen`: the API is then reachable from the network, tokens its only guard.");
  public static final ConfigKey API_THREADS = ConfigKey.of("api.threads", ConfigType.INT, "32",
      "Worker threads of the API (1 to 64); a request holds its thread until its group commit is on disk, so this"
          + " bounds how many receipts share one commit.");
  public static final ConfigKey API_RATE = ConfigKey.of("api.rate-limit.per-second", ConfigType.NUMBER, "50",
      "Sustained requests per second allowed to one token.");
  public static final ConfigKey API_BURST = ConfigKey.of("api.rate-limit.burst", ConfigType.INT, "100",
      "Requests one token may make at once before the rate applies.");
  public static final ConfigKey API_IDEMPOTENCY_TTL = ConfigKey.of("api.idempotency-ttl", ConfigType.DURATION,
      "24h", "How long an Idempotency-Key and its first answer are kept.");

  public static final ConfigKey WEBHOOK_MAX_ATTEMPTS = ConfigKey.of("webhook.max-attempts", ConfigType.INT, "12",
      "Delivery attempts of one webhook event before it is given up.");
  public static final ConfigKey WEBHOOK_INITIAL_BACKOFF = ConfigKey.of("webhook.initial-backoff",
      ConfigType.DURATION, "1s", "Wait after the first failed delivery; doubles up to `webhook.max-backoff`.");
  public static final ConfigKey WEBHOOK_MAX_BACKOFF = ConfigKey.of("webhook.max-backoff", ConfigType.DURATION,
      "10m", "Longest wait between two delivery attempts.");
  public static final ConfigKey WEBHOOK_TIMEOUT = ConfigKey.of("webhook.timeout", ConfigType.DURATION, "10s",
      "How long one delivery may take.");
  public static final ConfigKey WEBHOOK_SECRET = ConfigKey.secret("webhook.secret", "FISCALD_WEBHOOK_SECRET",
      "webhook.secret-file", "HMAC key of webhook subscriptions created without their own `secret`"
          + " (at least 32 bytes).");
  public static final ConfigKey WEBHOOK_SECRET_FILE = ConfigKey.of("webhook.secret-file", ConfigType.PATH, null,
      "0600 file holding `webhook.secret` (FISCALD_WEBHOOK_SECRET wins).");

  public static final ConfigKey ALERT_UNREACHABLE = ConfigKey.of("alert.authority-unreachable",
      ConfigType.DURATION, "30m", "Alert when the authority has not answered for this long.");
  public static final ConfigKey ALERT_SYNC_RATE = ConfigKey.of("alert.min-sync-success-rate",
      ConfigType.FRACTION, "0.9", "Alert when fewer sync calls than this fraction succeed in the window.");
  public static final ConfigKey ALERT_SYNC_WINDOW = ConfigKey.of("alert.sync-rate-window", ConfigType.DURATION,
      "5m", "Window of `alert.min-sync-success-rate`.");
  public static final ConfigKey ALERT_DAY_CLOSE = ConfigKey.of("alert.day-close-warning", ConfigType.DURATION,
      "1h", "Alert this long before the fiscal day reaches its maximum length.");
  public static final ConfigKey ALERT_CERTIFICATE = ConfigKey.of("alert.certificate-expiry-warning",
      ConfigType.DURATION, "14d", "Alert this long before the device certificate expires.");
  public static final ConfigKey ALERT_CLOCK = ConfigKey.of("alert.max-clock-drift", ConfigType.DURATION, "2m",
      "Alert when the till's clock and the authority's differ by more than this.");
  public static final ConfigKey ALERT_DISK = ConfigKey.of("alert.min-free-disk-mb", ConfigType.INT, "200",
      "Alert when the data directory's disk has fewer free megabytes than this.");
  public static final ConfigKey ALERT_INTERVAL = ConfigKey.of("alert.check-interval", ConfigType.DURATION, "15s",
      "How often the alerts are evaluated.");

  public static final ConfigKey BACKUP_DIR = ConfigKey.of("backup.dir", ConfigType.PATH, null,
      "Where scheduled backups go (default: `<device-dir>/backups`).");
  public static final ConfigKey BACKUP_INTERVAL = ConfigKey.of("backup.interval", ConfigType.DURATION, "24h",
      "Time between two scheduled backups.");
  public static final ConfigKey BACKUP_KEEP_COUNT = ConfigKey.of("backup.keep-count", ConfigType.INT, "14",
      "Verified backups kept at least (0 keeps all).");
  public static final ConfigKey BACKUP_KEEP_DAYS = ConfigKey.of("backup.keep-days", ConfigType.INT, "30",
      "Backups younger than this many days are kept whatever the count (0: the count alone decides).");

  public static final ConfigKey MASTER_KEY = ConfigKey.secret("master-key", "FISCALD_MASTER_KEY",
      "master-key-file", "AES-256 master key sealing the device's secrets (Base64 of 32 bytes).");
  public static final ConfigKey MASTER_KEY_FILE = ConfigKey.of("master-key-file", ConfigType.PATH, null,
      "0600 file holding the master key (default: `<device-dir>/master.key`; FISCALD_MASTER_KEY_FILE wins).")
      .withEnv("FISCALD_MASTER_KEY_FILE");
  public static final ConfigKey ZIMRA_ACTIVATION_KEY = ConfigKey.secret("zimra.activation-key",
      "FISCALD_ACTIVATION_KEY", "zimra.activation-key-file",
      "ZIMRA activation key used by `device register --authority zimra`.");
  public static final ConfigKey ZIMRA_ACTIVATION_KEY_FILE = ConfigKey.of("zimra.activation-key-file",
      ConfigType.PATH, null, "0600 file holding `zimra.activation-key`.");
  public static final ConfigKey KRA_CONSUMER_SECRET = ConfigKey.secret("kra.consumer-secret",
      "FISCALD_KRA_CONSUMER_SECRET", "kra.consumer-secret-file",
      "KRA Apigee gateway OAuth client secret used by `device register --transport oscu-gateway`.");
  public static final ConfigKey KRA_CONSUMER_SECRET_FILE = ConfigKey.of("kra.consumer-secret-file",
      ConfigType.PATH, null, "0600 file holding `kra.consumer-secret`.");

  /** Every key, in the order of the reference and the template. */
  public static final List<ConfigKey> ALL = List.of(TEST_MODE, LOG_LEVEL, API_LISTEN, API_ALLOW_REMOTE,
      API_THREADS, API_RATE, API_BURST, API_IDEMPOTENCY_TTL, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_INITIAL_BACKOFF,
      WEBHOOK_MAX_BACKOFF, WEBHOOK_TIMEOUT, WEBHOOK_SECRET, WEBHOOK_SECRET_FILE, ALERT_UNREACHABLE, ALERT_SYNC_RATE,
      ALERT_SYNC_WINDOW, ALERT_DAY_CLOSE, ALERT_CERTIFICATE, ALERT_CLOCK, ALERT_DISK, ALERT_INTERVAL, BACKUP_DIR,
      BACKUP_INTERVAL, BACKUP_KEEP_COUNT, BACKUP_KEEP_DAYS, MASTER_KEY, MASTER_KEY_FILE, ZIMRA_ACTIVATION_KEY,
      ZIMRA_ACTIVATION_KEY_FILE, KRA_CONSUMER_SECRET, KRA_CONSUMER_SECRET_FILE);

  private static final Map<String, ConfigKey> BY_NAME = new LinkedHashMap<>();

  static {
    for (ConfigKey k : ALL) {
      if (BY_NAME.put(k.name(), k) != null) {
        throw new IllegalStateException("config key declared twice: " + k.name());
      }
    }
  }

  private ConfigKeys() {}

  public static Optional<ConfigKey> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
