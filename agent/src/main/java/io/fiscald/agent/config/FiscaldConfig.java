package io.fiscald.agent.config;

import io.fiscald.agent.backup.BackupPolicy;
import io.fiscald.agent.api.ApiConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.store.secret.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration: {@code fiscald.conf} (or nothing), environment overrides and
 * defaults, typed. Found at {@code $FISCALD_CONFIG} (which {@code fiscalctl --config} sets), else
 * {@code <data-dir>/fiscald.conf}; no file means defaults. Secrets are read only on request, from
 * their environment variable or their key file, never from the file itself.
 */
public final class FiscaldConfig {
  public static final String FILE_NAME = "fiscald.conf";
  /** Environment variable naming the configuration file (set by the installed launchers). */
  public static final String ENV_CONFIG = "FISCALD_CONFIG";

  private final ConfigFile file;
  private final Map<String, String> env;

  private FiscaldConfig(ConfigFile file, Map<String, String> env) {
    this.file = file;
    this.env = Map.copyOf(env);
  }

  /** Where the configuration of {@code dir} is: $FISCALD_CONFIG, else {@code <data-root>/fiscald.conf}. */
  public static Path locate(DataDirectory dir, Map<String, String> env) {
    String named = env.get(ENV_CONFIG);
    if (named != null && !named.isBlank()) {
      return Path.of(named).toAbsolutePath();
    }
    return dir.configBase().resolve(FILE_NAME);
  }

  /** The configuration of {@code dir}, refused with CONFIG_INVALID (every problem and its line) when broken. */
  public static FiscaldConfig load(DataDirectory dir, Map<String, String> env) {
    FiscaldConfig c = read(locate(dir, env), env);
    c.file.requireValid();
    return c;
  }

  /** The configuration in {@code file} (absent: defaults) with its problems kept for {@link ConfigCheck}. */
  public static FiscaldConfig read(Path file, Map<String, String> env) {
    return new FiscaldConfig(file != null && Files.isRegularFile(file) ? ConfigFile.read(file) : ConfigFile.empty(),
        env);
  }

  /** Defaults and environment only (tests, the demo). */
  public static FiscaldConfig defaults(Map<String, String> env) {
    return new FiscaldConfig(ConfigFile.empty(), env);
  }

  public ConfigFile file() {
    return file;
  }

  Map<String, String> env() {
    return env;
  }

  /** The typed value of a non-secret key: the file's, an overriding environment variable's, or the default. */
  public Optional<Object> value(ConfigKey key) {
    if (key.secret()) {
      throw new IllegalArgumentException(key.name() + " is a secret: use secret()");
    }
    String fromEnv = overridingEnv(key);
    if (fromEnv != null) {
      return Optional.of(key.type().parse(fromEnv));
    }
    Optional<ConfigFile.Entry> e = file.entry(key);
    if (e.isPresent() && e.get().value() != null) {
      return Optional.of(e.get().value());
    }
    if (key == ConfigKeys.TEST_MODE && env.get(key.envVar()) != null) {
      // test-mode is the one key whose variable only fills in where the file is silent
      return Optional.of(Boolean.parseBoolean(env.get(key.envVar()).strip()) || "1".equals(env.get(key.envVar())));
    }
    return Optional.ofNullable(key.defaultValue()).map(d -> key.type().parse(d));
  }

  /** Where the value comes from: {@code file:LINE}, {@code env:VAR} or {@code default}. */
  public String source(ConfigKey key) {
    if (key.secret()) {
      if (present(env.get(key.envVar()))) {
        return "env:" + key.envVar();
      }
      return secretFile(key).map(p -> "file:" + p).orElse("unset");
    }
    if (overridingEnv(key) != null) {
      return "env:" + key.envVar();
    }
    Optional<ConfigFile.Entry> e = file.entry(key);
    if (e.isPresent() && e.get().value() != null) {
      return "file:" + e.get().line();
    }
    if (key == ConfigKeys.TEST_MODE && env.get(key.envVar()) != null) {
      return "env:" + key.envVar();
    }
    return key.defaultValue() == null ? "unset" : "default";
  }

  private String overridingEnv(ConfigKey key) {
    if (key.envVar() == null || key == ConfigKeys.TEST_MODE) {
      return null;
    }
    String v = env.get(key.envVar());
    return present(v) ? v.strip() : null;
  }

  public boolean testMode() {
    return (Boolean) value(ConfigKeys.TEST_MODE).orElse(false);
  }

  public Duration duration(ConfigKey key) {
    return (Duration) value(key).orElseThrow();
  }

  public long integer(ConfigKey key) {
    return (Long) value(key).orElseThrow();
  }

  public String text(ConfigKey key) {
    return value(key).map(Object::toString).orElse(null);
  }

  /** The key file of a secret, when the configuration names one (master-key-file has a default). */
  public Optional<Path> secretFile(ConfigKey secret) {
    ConfigKey fileKey = ConfigKeys.find(secret.fileKey()).orElseThrow();
    return value(fileKey).map(v -> Path.of(v.toString()));
  }

  /** A secret from its environment variable, else its key file; empty when neither gives one. */
  public Optional<Secret> secret(ConfigKey key) {
    String fromEnv = env.get(key.envVar());
    if (present(fromEnv)) {
      return Optional.of(Secret.ofUtf8(fromEnv.strip()));
    }
    Optional<Path> keyFile = secretFile(key);
    if (keyFile.isEmpty() || !Files.isRegularFile(keyFile.get())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Secret.ofUtf8(Files.readString(keyFile.get(), StandardCharsets.UTF_8).strip()));
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.CONFIG_INVALID, "cannot read the key file " + keyFile.get() + " of "
          + key.name() + ": " + e.getMessage(), Map.of("key", key.name()));
    }
  }

  /** The API settings built from this configuration. */
  public ApiConfig api() {
    return ApiConfig.from(this);
  }

  /** The daemon's backup schedule and retention; {@code dir} gives the default folder. */
  public BackupPolicy backup(DataDirectory dir) {
    Path folder = value(ConfigKeys.BACKUP_DIR).map(v -> Path.of(v.toString())).orElse(dir.backups());
    return new BackupPolicy(duration(ConfigKeys.BACKUP_INTERVAL), (int) integer(ConfigKeys.BACKUP_KEEP_COUNT),
        Duration.ofDays(integer(ConfigKeys.BACKUP_KEEP_DAYS)), folder);
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }
}
