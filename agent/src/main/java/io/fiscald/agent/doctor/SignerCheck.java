package io.fiscald.agent.doctor;

import io.fiscald.agent.device.DeviceKeys;
import io.fiscald.agent.device.DeviceSigner;
import io.fiscald.agent.device.SignerConfig;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.secret.SecretStore;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Optional;

/**
 * The device key is there and usable: open the signer, sign a test digest and verify it with the
 * registered public key. A hardware signer held by the running daemon is not opened a second time.
 */
final class SignerCheck implements Check {
  @Override
  public String name() {
    return "signer";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    try (Connection c = ctx.readOnly()) {
      DeviceRecord device = Devices.find(c).orElse(null);
      if (device == null) {
        return Finding.fail(name(), "the database holds no device", Finding.facts(), "See the data-dir finding");
      }
      SignerConfig config = DeviceKeys.configOf(c);
      var seen = Finding.facts("signer", config.type(), "algorithm", device.keyAlgorithm(), "fingerprint",
          PublicKeys.fingerprint(PublicKeys.fromDer(device.publicKey())));
      if (!config.isSoftware() && DaemonCheck.lockHolder(ctx).isPresent()) {
        return Finding.ok(name(), "the " + config.type() + " signer is in use by the running daemon (not probed)",
            seen);
      }
      Optional<SecretStore> secrets;
      try {
        secrets = ctx.secrets();
      } catch (RuntimeException e) {
        seen.put("error", e.getMessage());
        return Finding.fail(name(), "the master key cannot be used, so the device key cannot be unsealed", seen,
            "See the master-key finding");
      }
      if (secrets.isEmpty()) {
        return Finding.fail(name(), "no master key, so the device key cannot be unsealed", seen,
            "See the master-key finding");
      }
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(("fiscalctl doctor " + System.nanoTime())
          .getBytes(StandardCharsets.UTF_8));
      long started = System.nanoTime();
      try (DeviceSigner signer = DeviceKeys.load(c, secrets.get(), device, ctx.env())) {
        byte[] signature = signer.sign(digest);
        seen.put("signMillis", (System.nanoTime() - started) / 1_000_000);
        if (!PublicKeys.verify(PublicKeys.fromDer(device.publicKey()), digest, signature)) {
          return Finding.fail(name(), "the signer's test signature does not verify with the registered key", seen,
              "The signer holds another key (another token or control unit plugged in?): fiscalctl device keys "
                  + "--probe, and plug in the module this device was initialised with");
        }
      } catch (RuntimeException e) {
        seen.put("error", e.getMessage());
        return Finding.fail(name(), "the device key cannot be used: " + e.getMessage(), seen, "Check the master key"
            + " is the one this database was sealed with, and for a token or control unit that it is plugged in and "
            + "its PIN is set; then fiscalctl device keys --probe");
      }
      return Finding.ok(name(), "test signature made and verified", seen);
    }
  }
}
