package io.fiscald.agent.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.controlunit.ControlUnitCommandSets;
import io.fiscald.hal.controlunit.ControlUnitException;
import io.fiscald.hal.controlunit.ControlUnitLink;
import io.fiscald.hal.controlunit.ControlUnitSigner;
import io.fiscald.hal.controlunit.LinkSettings;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.Signer;
import io.fiscald.hal.sign.SigningException;
import io.fiscald.hal.sign.SoftwareSigner;
import io.fiscald.hal.sign.pkcs11.Pkcs11Signer;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Meta;
import io.fiscald.store.secret.Secret;
import io.fiscald.store.secret.SecretStore;
import io.fiscald.store.secret.SecretTamperedException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device signing key, wherever it lives: a software key sealed in the secret store, a key on a
 * PKCS#11 token, or a control unit's key. Created at init; opened (and checked against the key the
 * device was registered with) when the agent starts.
 */
public final class DeviceKeys {
  /** Secret-store name of the software key (PKCS#8, sealed with AES-256-GCM). */
  public static final String SIGNING_KEY = "device.signing-key";
  /** Secret-store name of a token PIN sealed at init with {@code --pkcs11-store-pin}. */
  public static final String PKCS11_PIN = "device.pkcs11-pin";
  /** Meta key of the signer configuration (JSON); absent means the software signer. */
  public static final String SIGNER_META = "device.signer";

  private DeviceKeys() {}

  /** Generates a software key and seals it into the store; returns a signer for it. */
  public static SoftwareSigner create(Connection c, SecretStore secrets, KeyAlgorithm algorithm) {
    SoftwareSigner signer = SoftwareSigner.generate(algorithm);
    byte[] pkcs8 = signer.exportPkcs8ForSealing();
    try {
      secrets.put(c, SIGNING_KEY, Secret.copyOf(pkcs8));
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
    return signer;
  }

  /**
   * Creates the device key where {@code setup} says and records the choice: software keys are
   * generated and sealed; a token key is found by label or generated on the token; a control unit's
   * key is the unit's own ({@code algorithm} is then what the unit holds, not a request).
   */
  public static DeviceSigner create(Connection c, SecretStore secrets, SignerSetup setup, KeyAlgorithm algorithm,
      Map<String, String> env) {
    SignerConfig config = setup.config();
    Signer signer;
    try {
      switch (config.type()) {
        case SignerConfig.SOFTWARE:
          signer = create(c, secrets, algorithm);
          break;
        case SignerConfig.PKCS11: {
          Secret pin = setup.pin() != null ? setup.pin() : pinFromEnv(config, env);
          if (pin == null) {
            throw new FiscalException(ErrorCode.SIGNER_PIN_INVALID, "no PIN for the token: set " + config.pinEnv()
                + " or run init on a terminal to be asked for it", config.describe());
          }
          char[] chars = chars(pin);
          try {
            signer = Pkcs11Signer.openOrGenerate(config.pkcs11Config(), chars, algorithm);
          } finally {
            Pkcs11Signer.wipe(chars);
          }
          if (setup.sealPin()) {
            secrets.put(c, PKCS11_PIN, pin);
          }
          break;
        }
        case SignerConfig.CONTROL_UNIT:
          signer = openControlUnit(config);
          break;
        default:
          throw new AssertionError(config.type());
      }
    } catch (SigningException e) {
      throw DeviceSigner.translate(e, config);
    }
    if (!config.isSoftware()) {
      Meta.put(c, SIGNER_META, CanonicalJson.write(config.describe()));
    }
    return new DeviceSigner(signer, config);
  }

  /** Unseals the device's software key and checks that it is the key the device was registered with. */
  public static Signer load(Connection c, SecretStore secrets, DeviceRecord device) {
    Secret key;
    try {
      key = secrets.get(c, SIGNING_KEY).orElseThrow(() -> new FiscalException(ErrorCode.MASTER_KEY_INVALID,
          "the device signing key is missing from the secret store of this data directory"));
    } catch (SecretTamperedException e) {
      throw masterKeyMismatch();
    }
    SoftwareSigner signer;
    byte[] pkcs8 = key.revealBytes();
    try {
      signer = SoftwareSigner.fromPkcs8(pkcs8);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
    if (!Arrays.equals(signer.publicKey().getEncoded(), device.publicKey())) {
      throw new FiscalException(ErrorCode.MASTER_KEY_INVALID,
          "the sealed signing key does not match device " + device.deviceId() + "'s registered public key",
          Map.of("publicKey", PublicKeys.fingerprint(PublicKeys.fromDer(device.publicKey()))));
    }
    return signer;
  }

  /**
   * Opens the device's signer from its recorded configuration, with the token PIN from the configured
   * environment variable or else the sealed one, and refuses a module whose key is not the device's
   * (another card inserted, another unit plugged in).
   */
  public static DeviceSigner load(Connection c, SecretStore secrets, DeviceRecord device, Map<String, String> env) {
    SignerConfig config = configOf(c);
    if (config.isSoftware()) {
      return new DeviceSigner(load(c, secrets, device), config);
    }
    Signer signer;
    try {
      if (SignerConfig.PKCS11.equals(config.type())) {
        Secret pin = pinFromEnv(config, env);
        if (pin == null) {
          try {
            pin = secrets.get(c, PKCS11_PIN).orElse(null);
          } catch (SecretTamperedException e) {
            throw masterKeyMismatch();
          }
        }
        if (pin == null) {
          throw new FiscalException(ErrorCode.SIGNER_PIN_INVALID, "no PIN for the token of device "
              + device.deviceId() + ": set " + config.pinEnv() + " (or seal it at init with --pkcs11-store-pin)",
              config.describe());
        }
        char[] chars = chars(pin);
        try {
          signer = Pkcs11Signer.open(config.pkcs11Config(), chars);
        } finally {
          Pkcs11Signer.wipe(chars);
        }
      } else {
        signer = openControlUnit(config);
      }
    } catch (SigningException e) {
      throw DeviceSigner.translate(e, config);
    }
    DeviceSigner opened = new DeviceSigner(signer, config);
    if (!Arrays.equals(signer.publicKey().getEncoded(), device.publicKey())) {
      opened.close();
      Map<String, Object> details = new LinkedHashMap<>(config.describe());
      details.put("registeredFingerprint", PublicKeys.fingerprint(PublicKeys.fromDer(device.publicKey())));
      details.put("moduleFingerprint", PublicKeys.fingerprint(signer.publicKey()));
      throw new FiscalException(ErrorCode.SIGNER_KEY_MISMATCH, "the " + config.type() + " signer holds a different"
          + " key than device " + device.deviceId() + " was initialised with (another token or unit?)", details);
    }
    return opened;
  }

  /** The recorded signer configuration; the software signer when none is recorded. */
  public static SignerConfig configOf(Connection c) {
    return Meta.get(c, SIGNER_META).map(json -> {
      try {
        return CanonicalJson.mapper().readValue(json, SignerConfig.class);
      } catch (JsonProcessingException e) {
        throw new FiscalException(ErrorCode.STORAGE_ERROR, "the recorded signer configuration is not readable: "
            + e.getOriginalMessage());
      }
    }).orElse(SignerConfig.software());
  }

  private static ControlUnitSigner openControlUnit(SignerConfig config) {
    try {
      return ControlUnitSigner.open(ControlUnitLink.openDevice(Path.of(config.port()), LinkSettings.defaults()),
          ControlUnitCommandSets.forVendor(config.vendor()));
    } catch (ControlUnitException e) {
      throw new SigningException(SigningException.Reason.UNAVAILABLE, e.getMessage(), e);
    }
  }

  private static Secret pinFromEnv(SignerConfig config, Map<String, String> env) {
    String value = env.get(config.pinEnv());
    return value == null || value.isEmpty() ? null : Secret.ofUtf8(value);
  }

  private static char[] chars(Secret pin) {
    byte[] bytes = pin.revealBytes();
    try {
      CharBuffer decoded = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes));
      char[] chars = new char[decoded.remaining()];
      decoded.get(chars);
      Arrays.fill(decoded.array(), '\0');
      return chars;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  static FiscalException masterKeyMismatch() {
    return new FiscalException(ErrorCode.MASTER_KEY_INVALID,
        "the master key cannot open this device's secrets: it is not the key they were sealed with "
            + "(check FISCALD_MASTER_KEY or the master key file)");
  }
}
