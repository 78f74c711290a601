package io.fiscald.agent.device;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.Signer;
import io.fiscald.hal.sign.SoftwareSigner;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.secret.Secret;
import io.fiscald.store.secret.SecretStore;
import io.fiscald.store.secret.SecretTamperedException;
import java.sql.Connection;
import java.util.Arrays;
import java.util.Map;

/** The device signing key sealed in the secret store: created at init, unsealed when the agent starts. */
public final class DeviceKeys {
  /** Secret-store name of the software key (PKCS#8, sealed with AES-256-GCM). */
  public static final String SIGNING_KEY = "device.signing-key";

  private DeviceKeys() {}

  /** Generates a key and seals it into the store; returns a signer for it. */
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

  /** Unseals the device's key and checks that it is the key the device was registered with. */
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

  static FiscalException masterKeyMismatch() {
    return new FiscalException(ErrorCode.MASTER_KEY_INVALID,
        "the master key cannot open this device's secrets: it is not the key they were sealed with "
            + "(check FISCALD_MASTER_KEY or the master key file)");
  }
}
