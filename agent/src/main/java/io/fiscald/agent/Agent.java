package io.fiscald.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceInitializer;
import io.fiscald.agent.device.DeviceKeys;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.device.DeviceSigner;
import io.fiscald.agent.device.SignerSetup;
import io.fiscald.agent.profile.AuthorityProfile;
import io.fiscald.agent.profile.AuthorityProfiles;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.Signer;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.DataDirLock;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

/**
 * A device's data directory opened for work: the single-writer lock held, the database migrated,
 * the signing key unsealed and the fiscal core running. Close it to commit what is queued and
 * release the lock.
 */
public final class Agent implements AutoCloseable {
  private final DataDirectory dir;
  private final DataDirLock lock;
  private final Connection writer;
  private final Connection reader;
  private final DeviceRecord device;
  private final DeviceSettings settings;
  private final Signer signer;
  private final FiscalCore core;
  private final SecretStore secrets;
  private final FiscaldConfig config;
  private final Map<String, String> env;

  private Agent(DataDirectory dir, DataDirLock lock, Connection writer, Connection reader, DeviceRecord device,
      DeviceSettings settings, Signer signer, FiscalCore core, SecretStore secrets, FiscaldConfig config,
      Map<String, String> env) {
    this.config = config;
    this.env = Map.copyOf(env);
    this.dir = dir;
    this.lock = lock;
    this.writer = writer;
    this.reader = reader;
    this.device = device;
    this.settings = settings;
    this.signer = signer;
    this.core = core;
    this.secrets = secrets;
  }

  /** Creates a device in {@code dir}; refuses if one is already there. */
  public static DeviceRecord initialise(DataDirectory dir, Map<String, String> env, String deviceId,
      String environment, KeyAlgorithm algorithm, DeviceSettings settings, Clock clock) {
    try (DataDirLock lock = DataDirLock.acquire(dir.root());
        Connection c = Database.openForWriting(dir.database())) {
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(env), env)));
      return DeviceInitializer.init(c, secrets, deviceId, environment, algorithm, settings, clock);
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close database: " + e.getMessage());
    }
  }

  /** Creates a device in {@code dir} whose key lives where {@code signer} says (software, PKCS#11, control unit). */
  public static DeviceRecord initialise(DataDirectory dir, Map<String, String> env, String deviceId,
      String environment, KeyAlgorithm algorithm, DeviceSettings settings, SignerSetup signer, Clock clock) {
    try (DataDirLock lock = DataDirLock.acquire(dir.root());
        Connection c = Database.openForWriting(dir.database())) {
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(env), env)));
      return DeviceInitializer.init(c, secrets, "local", deviceId, environment, algorithm, settings, signer, env,
          clock);
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close database: " + e.getMessage());
    }
  }

  /** Opens an initialised data directory for writing. */
  public static Agent open(DataDirectory dir, Map<String, String> env, Clock clock) {
    if (!java.nio.file.Files.exists(dir.database())) {
      throw notInitialised(dir);
    }
    FiscaldConfig config = FiscaldConfig.load(dir, env);
    DataDirLock lock = DataDirLock.acquire(dir.root());
    Connection writer = null;
    Connection reader = null;
    DeviceSigner signer = null;
    try {
      writer = Database.openForWriting(dir.database());
      reader = Database.openUnmigrated(dir.database());
      DeviceRecord device = Devices.find(writer).orElseThrow(() -> notInitialised(dir));
      DeviceSettings settings = settingsOf(device);
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(env), env)));
      signer = DeviceKeys.load(writer, secrets, device, env);
      AuthorityProfile profile = AuthorityProfiles.forDevice(device, settings, writer);
      FiscalCore core = FiscalCore.start(writer, device, settings, profile, signer, clock);
      return new Agent(dir, lock, writer, reader, device, settings, signer, core, secrets, config, env);
    } catch (RuntimeException e) {
      if (signer != null) {
        signer.close();
      }
      closeQuietly(reader);
      closeQuietly(writer);
      lock.close();
      throw e;
    }
  }

  public static DeviceSettings settingsOf(DeviceRecord device) {
    try {
      return CanonicalJson.mapper().readValue(device.settings(), DeviceSettings.class);
    } catch (JsonProcessingException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "device settings are not readable: "
          + e.getOriginalMessage());
    }
  }

  private static FiscalException notInitialised(DataDirectory dir) {
    return new FiscalException(ErrorCode.DEVICE_NOT_INITIALISED, "no device in " + dir.root()
        + "; create one with: fiscalctl init --data-dir " + dir.root(), Map.of("dataDir", dir.root().toString()));
  }

  public DataDirectory dataDirectory() {
    return dir;
  }

  /** The configuration (fiscald.conf, environment, defaults) read when the agent was opened. */
  public FiscaldConfig config() {
    return config;
  }

  /** The environment variables the agent was opened with (master key, configuration file). */
  public Map<String, String> env() {
    return env;
  }

  public FiscalCore core() {
    return core;
  }

  public DeviceRecord device() {
    return device;
  }

  public DeviceSettings settings() {
    return settings;
  }

  public Signer signer() {
    return signer;
  }

  public SecretStore secrets() {
    return secrets;
  }

  /**
   * A new connection for a worker that keeps state beside the journal (outbox, print jobs, authority
   * state) and never appends to the journal; the caller closes it. SQLite serialises its writes with
   * the fiscal core's through the busy timeout.
   */
  public Connection newStateConnection() {
    return Database.openForWriting(dir.database());
  }

  /** A connection for queries on the caller's thread; never used for writes. */
  public Connection reader() {
    return reader;
  }

  @Override
  public void close() {
    core.close();
    if (signer instanceof DeviceSigner deviceSigner) {
      deviceSigner.close(); // releases a control unit's port
    }
    closeQuietly(reader);
    closeQuietly(writer);
    lock.close();
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing after the work is done; nothing left to protect
    }
  }
}
