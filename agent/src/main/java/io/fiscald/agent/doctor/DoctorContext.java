package io.fiscald.agent.doctor;

import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks share: the data directory, environment, clock and limits, plus the authority
 * probe, made once and read by the reachability and clock checks. Everything here reads; nothing
 * takes the data directory's lock, so the doctor runs beside a running daemon.
 */
public final class DoctorContext {
  private final DataDirectory dir;
  private final Map<String, String> env;
  private final Clock clock;
  private final DoctorLimits limits;
  private AuthorityProbe probe;

  public DoctorContext(DataDirectory dir, Map<String, String> env, Clock clock, DoctorLimits limits) {
    this.dir = dir;
    this.env = env;
    this.clock = clock;
    this.limits = limits;
  }

  public DataDirectory dir() {
    return dir;
  }

  public Map<String, String> env() {
    return env;
  }

  public Clock clock() {
    return clock;
  }

  public DoctorLimits limits() {
    return limits;
  }

  /** Whether the configuration allows sandbox test doubles; a configuration that does not load allows none. */
  public boolean testMode() {
    try {
      return FiscaldConfig.load(dir, env).testMode();
    } catch (RuntimeException e) {
      return false;
    }
  }

  public boolean hasDatabase() {
    return Files.isRegularFile(dir.database());
  }

  /** A new read-only connection to the device database; the caller closes it. */
  public Connection readOnly() {
    return Database.openReadOnly(dir.database());
  }

  public Optional<DeviceRecord> device() throws Exception {
    if (!hasDatabase()) {
      return Optional.empty();
    }
    try (Connection c = readOnly()) {
      return Devices.find(c);
    }
  }

  /**
   * The secret store, only when the master key can be had without creating one: from the environment,
   * or from an existing key file (a missing file is the master-key check's finding, not a new key).
   */
  public Optional<SecretStore> secrets() {
    boolean fromEnv = env.get(MasterKey.ENV_VAR) != null;
    if (!fromEnv && !Files.exists(dir.masterKeyFile(env))) {
      return Optional.empty();
    }
    return Optional.of(new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(env), env))));
  }

  /** The authority probe, made on first use and shared by the checks that need it. */
  public synchronized AuthorityProbe authorityProbe() throws Exception {
    if (probe == null) {
      probe = AuthorityProbe.run(this);
    }
    return probe;
  }
}
