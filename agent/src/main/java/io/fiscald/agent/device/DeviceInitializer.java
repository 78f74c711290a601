package io.fiscald.agent.device;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.JournalSealer;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.ChainHash;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.StoreException;
import io.fiscald.store.secret.SecretStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sets up a new device in an empty data directory: its key (sealed), its row, and the first journal
 * entry, which records the public key so every later signature can be checked against it.
 */
public final class DeviceInitializer {
  private DeviceInitializer() {}

  /**
   * @param deviceId null to derive one from the key's fingerprint
   * @param environment {@code sandbox} or {@code production}
   */
  public static DeviceRecord init(Connection c, SecretStore secrets, String deviceId, String environment,
      KeyAlgorithm algorithm, DeviceSettings settings, Clock clock) {
    return init(c, secrets, "local", deviceId, environment, algorithm, settings, clock);
  }

  /**
   * Creates a device for {@code authority} ({@code local}, {@code zimra}, {@code kra}); authority
   * onboarding (certificates, control-unit keys) is recorded afterwards as its own journal events.
   */
  public static DeviceRecord init(Connection c, SecretStore secrets, String authority, String deviceId,
      String environment, KeyAlgorithm algorithm, DeviceSettings settings, Clock clock) {
    return init(c, secrets, authority, deviceId, environment, algorithm, settings, SignerSetup.software(), Map.of(),
        clock);
  }

  /**
   * Creates a device whose key lives where {@code signer} says (software, PKCS#11 token, control
   * unit); {@code env} supplies a token PIN variable. For a control unit, {@code algorithm} is
   * replaced by the algorithm of the unit's own key.
   */
  public static DeviceRecord init(Connection c, SecretStore secrets, String authority, String deviceId,
      String environment, KeyAlgorithm algorithm, DeviceSettings settings, SignerSetup signer,
      Map<String, String> env, Clock clock) {
    if (!"sandbox".equals(environment) && !"production".equals(environment)) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT,
          "environment must be sandbox or production, got '" + environment + "'");
    }
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        DeviceRecord device = initInTransaction(c, secrets, authority, deviceId, environment, algorithm, settings,
            signer, env, clock);
        st.execute("COMMIT");
        return device;
      } catch (RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot initialise the device: " + e.getMessage(), e);
    }
  }

  private static DeviceRecord initInTransaction(Connection c, SecretStore secrets, String authority,
      String deviceId, String environment, KeyAlgorithm requested, DeviceSettings settings, SignerSetup setup,
      Map<String, String> env, Clock clock) {
    Devices.find(c).ifPresent(existing -> {
      throw new FiscalException(ErrorCode.DEVICE_ALREADY_INITIALISED, "this data directory already holds device "
          + existing.deviceId() + " (" + existing.authority() + ", " + existing.environment()
          + "); use another --data-dir for a new device", Map.of("deviceId", existing.deviceId()));
    });
    if (Journal.count(c) > 0) {
      throw new FiscalException(ErrorCode.DEVICE_ALREADY_INITIALISED,
          "this data directory has a journal but no device row; it has been tampered with or is damaged");
    }
    // closed at the end: init only signs the first entry; the agent opens the module again when it starts
    try (DeviceSigner signer = DeviceKeys.create(c, secrets, setup, requested, env)) {
      return recordDevice(c, authority, deviceId, environment, signer, setup.config(), settings, clock);
    }
  }

  private static DeviceRecord recordDevice(Connection c, String authority, String deviceId, String environment,
      DeviceSigner signer, SignerConfig signerConfig, DeviceSettings settings, Clock clock) {
    KeyAlgorithm algorithm = signer.algorithm();
    byte[] publicKey = signer.publicKey().getEncoded();
    String id = deviceId != null ? deviceId
        : "FD-" + PublicKeys.fingerprint(signer.publicKey()).substring(0, 10).toUpperCase(java.util.Locale.ROOT);
    String createdAt = Timestamps.format(clock.instant());
    String settingsJson = CanonicalJson.write(settings);
    DeviceRecord device = new DeviceRecord(id, authority, environment, algorithm.name(), publicKey, null,
        settingsJson, createdAt);
    Devices.insert(c, device);

    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("deviceId", id);
    payload.put("authority", device.authority());
    payload.put("environment", environment);
    payload.put("keyAlgorithm", algorithm.name());
    payload.put("publicKey", Base64.getEncoder().encodeToString(publicKey));
    payload.put("settings", CanonicalJson.read(settingsJson));
    if (!signerConfig.isSoftware()) {
      payload.put("signer", signerConfig.describe()); // which module holds the key, for the auditor
    }
    JournalEntry first = JournalSealer.seal(ChainHash.genesis(), 1, JournalKind.DEVICE_INITIALISED, createdAt,
        CanonicalJson.write(payload), signer);
    Journal.append(c, first);
    return device;
  }
}
