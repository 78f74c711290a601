package io.fiscald.agent.config;

import io.fiscald.agent.api.ApiConfig;
import io.fiscald.agent.api.DaemonInfo;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DataRoot;
import io.fiscald.agent.device.EnvironmentGuard;
import io.fiscald.agent.env.AuthorityUrls;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.secret.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code fiscalctl config check}: every finding about a configuration at once. The rules: the file's
 * text (malformed lines, unknown and duplicate keys, bad values, secrets written in it), key files
 * that are missing or readable by group or others, a non-loopback {@code api.listen} without
 * {@code api.allow-remote}, webhook secrets under 32 bytes; with {@code production}: test mode on, a
 * missing master key, and authority URLs of production devices that are not HTTPS production hosts.
 */
public final class ConfigCheck {
  /** HMAC keys shorter than this are refused: 256 bits, the size of the SHA-256 block's security. */
  public static final int MIN_WEBHOOK_SECRET_BYTES = 32;

  private ConfigCheck() {}

  /** The findings for {@code config} of the data directory (or data root) {@code base}. */
  public static List<ConfigFinding> run(FiscaldConfig config, Path base, boolean production) {
    List<ConfigFinding> findings = new ArrayList<>(config.file().problems());
    List<DataDirectory> devices = deviceDirectories(base);
    checkListen(config, findings);
    checkKeyFiles(config, devices, findings);
    checkWebhookSecret(config, findings);
    if (production) {
      if (config.testMode()) {
        findings.add(new ConfigFinding(ConfigKeys.TEST_MODE.name(), line(config, ConfigKeys.TEST_MODE),
            "test mode is on (" + config.source(ConfigKeys.TEST_MODE) + "): test doubles would be accepted",
            "set test-mode = false (and unset FISCALD_TEST_MODE) before going to production"));
      }
      checkMasterKeyPresent(config, devices, findings);
      checkProductionUrls(devices, findings);
    }
    return findings;
  }

  /** The device directories a base stands for: itself, or the environments of a data root. */
  public static List<DataDirectory> deviceDirectories(Path base) {
    if (DataRoot.isSingleDevice(base)) {
      return List.of(new DataDirectory(base));
    }
    List<DataDirectory> dirs = new ArrayList<>();
    for (String env : DataRoot.ENVIRONMENTS) {
      if (DataRoot.isSingleDevice(base.resolve(env))) {
        dirs.add(new DataDirectory(base.resolve(env)));
      }
    }
    return dirs;
  }

  private static void checkListen(FiscaldConfig config, List<ConfigFinding> findings) {
    try {
      ApiConfig.from(config);
    } catch (FiscalException | IllegalArgumentException e) {
      ConfigKey key = e.getMessage() != null && e.getMessage().contains("loopback") ? ConfigKeys.API_LISTEN : null;
      if (key != null) {
        findings.add(new ConfigFinding(key.name(), line(config, key), "api.listen = " + config.text(key)
            + " is not a loopback address, and api.allow-remote is not true: the API would be open to the network",
            "listen on 127.0.0.1, or set api.allow-remote = true if remote POS terminals must reach it"));
      } else if (config.file().problems().isEmpty()) {
        findings.add(new ConfigFinding("api", 0, e.getMessage(), "correct the api.* values"));
      }
    }
  }

  private static void checkKeyFiles(FiscaldConfig config, List<DataDirectory> devices, List<ConfigFinding> out) {
    for (ConfigKey secret : List.of(ConfigKeys.MASTER_KEY, ConfigKeys.WEBHOOK_SECRET,
        ConfigKeys.ZIMRA_ACTIVATION_KEY, ConfigKeys.KRA_CONSUMER_SECRET)) {
      ConfigKey fileKey = ConfigKeys.find(secret.fileKey()).orElseThrow();
      Optional<Path> named = config.value(fileKey).map(v -> Path.of(v.toString()));
      if (named.isPresent()) {
        if (!Files.isRegularFile(named.get())) {
          out.add(new ConfigFinding(fileKey.name(), line(config, fileKey), "the key file " + named.get()
              + " does not exist", "create it (chmod 600) or correct the path"));
        } else {
          permissions(fileKey.name(), line(config, fileKey), named.get(), out);
        }
      }
    }
    if (config.value(ConfigKeys.MASTER_KEY_FILE).isEmpty()) {
      for (DataDirectory d : devices) {
        Path file = d.masterKeyFile(Map.of());
        if (Files.isRegularFile(file)) {
          permissions(ConfigKeys.MASTER_KEY_FILE.name(), 0, file, out);
        }
      }
    }
    for (DataDirectory d : devices) {
      Path token = DaemonInfo.tokenFile(d);
      if (Files.isRegularFile(token)) {
        permissions("api-token", 0, token, out);
      }
    }
  }

  private static void permissions(String key, int line, Path file, List<ConfigFinding> out) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
          || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
        out.add(new ConfigFinding(key, line, "the key file " + file + " is readable or writable by "
            + (p.contains(PosixFilePermission.OTHERS_READ) ? "everyone" : "its group"),
            "chmod 600 " + file));
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: nothing to check
    }
  }

  private static void checkWebhookSecret(FiscaldConfig config, List<ConfigFinding> out) {
    Optional<Secret> secret;
    try {
      secret = config.secret(ConfigKeys.WEBHOOK_SECRET);
    } catch (FiscalException e) {
      out.add(new ConfigFinding(ConfigKeys.WEBHOOK_SECRET.name(), 0, e.getMessage(), "make the key file readable"));
      return;
    }
    if (secret.isPresent() && secret.get().length() < MIN_WEBHOOK_SECRET_BYTES) {
      out.add(new ConfigFinding(ConfigKeys.WEBHOOK_SECRET.name(), line(config, ConfigKeys.WEBHOOK_SECRET_FILE),
          "the webhook secret (" + config.source(ConfigKeys.WEBHOOK_SECRET) + ") is " + secret.get().length()
              + " bytes; at least " + MIN_WEBHOOK_SECRET_BYTES + " are needed",
          "generate one with: head -c 32 /dev/urandom | base64"));
    }
  }

  private static void checkMasterKeyPresent(FiscaldConfig config, List<DataDirectory> devices,
      List<ConfigFinding> out) {
    String fromEnv = config.env().get(ConfigKeys.MASTER_KEY.envVar());
    if (fromEnv != null && !fromEnv.isBlank()) {
      return;
    }
    List<Path> files = config.value(ConfigKeys.MASTER_KEY_FILE).map(v -> List.of(Path.of(v.toString())))
        .orElseGet(() -> devices.stream().map(d -> d.masterKeyFile(config.env())).toList());
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        out.add(new ConfigFinding(ConfigKeys.MASTER_KEY.name(), 0, "no master key: FISCALD_MASTER_KEY is unset and "
            + f + " does not exist", "set FISCALD_MASTER_KEY or master-key-file to the key the device was made with"));
      }
    }
  }

  private static void checkProductionUrls(List<DataDirectory> devices, List<ConfigFinding> out) {
    for (DataDirectory d : devices) {
      try (Connection c = Database.openReadOnly(d.database())) {
        Optional<DeviceRecord> device = Devices.find(c);
        if (device.isEmpty() || !DataRoot.PRODUCTION.equals(device.get().environment())) {
          continue;
        }
        for (Map.Entry<String, String> u : AuthorityUrls.of(c, device.get()).entrySet()) {
          String problem = EnvironmentGuard.problem(DataRoot.PRODUCTION, u.getValue(), false);
          if (problem != null) {
            out.add(new ConfigFinding("device", 0, "device " + device.get().deviceId() + " (" + d.root() + "): "
                + u.getKey() + " " + problem, "register the production device against the authority's production"
                + " HTTPS URL (fiscalctl --env production device register ...)"));
          }
        }
      } catch (SQLException | RuntimeException e) {
        out.add(new ConfigFinding("device", 0, "cannot read the device in " + d.root() + ": " + e.getMessage(),
            "run fiscalctl audit verify there"));
      }
    }
  }

  private static int line(FiscaldConfig config, ConfigKey key) {
    return config.file().entry(key).map(ConfigFile.Entry::line).orElse(0);
  }
}
