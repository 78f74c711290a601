package io.fiscald.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceKeys;
import io.fiscald.agent.device.DeviceSigner;
import io.fiscald.agent.device.SignerConfig;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.sql.Connection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl device keys}: which signer holds the device key, and (with --probe) whether it signs. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = {"Show where the device key lives (software, PKCS#11 token, control unit), its algorithm and"
        + " public key fingerprint. With --probe, open the module, sign a test message and verify it against"
        + " the registered key; shows token or unit details. Never shows a PIN or key material. Read-only.",
        "", "Examples:", "  fiscalctl device keys", "  FISCALD_PKCS11_PIN=... fiscalctl device keys --probe --json"})
final class DeviceKeysCommand extends BaseCommand {
  @Option(names = "--probe", description = "Open the signing module and make a test signature.")
  boolean probe;

  @Override
  int run() throws Exception {
    DataDirectory dir = initialisedDataDirectory();
    Map<String, Object> view = new LinkedHashMap<>();
    try (Connection c = Database.openReadOnly(dir.database())) {
      DeviceRecord device = Devices.find(c).orElseThrow(() -> new FiscalException(ErrorCode.DEVICE_NOT_INITIALISED,
          "the database in " + dir.root() + " holds no device"));
      SignerConfig config = DeviceKeys.configOf(c);
      view.put("deviceId", device.deviceId());
      view.put("signer", config.type());
      view.put("algorithm", device.keyAlgorithm());
      view.put("publicKeyFingerprint", PublicKeys.fingerprint(PublicKeys.fromDer(device.publicKey())));
      view.put("configuration", config.describe());
      if (probe) {
        SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(env()), env())));
        try (DeviceSigner signer = DeviceKeys.load(c, secrets, device, env())) {
          byte[] message = ("fiscald probe " + Instant.now()).getBytes(UTF_8);
          boolean verified = PublicKeys.verify(PublicKeys.fromDer(device.publicKey()), message, signer.sign(message));
          Map<String, Object> live = new LinkedHashMap<>(signer.describe());
          config.describe().keySet().forEach(live::remove); // shown under configuration already
          live.put("testSignature", verified ? "verified with the registered public key" : "DOES NOT VERIFY");
          view.put("module", live);
          if (!verified) {
            throw new FiscalException(ErrorCode.SIGNER_KEY_MISMATCH, "the signer's test signature does not verify"
                + " with device " + device.deviceId() + "'s registered public key", live);
          }
        }
      }
    }
    StringBuilder text = new StringBuilder();
    appendText(text, view, "");
    result(view, text.toString());
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static void appendText(StringBuilder text, Map<String, Object> view, String indent) {
    view.forEach((k, v) -> {
      if (v instanceof Map<?, ?> nested) {
        text.append(indent).append(k).append(":\n");
        appendText(text, (Map<String, Object>) nested, indent + "  ");
      } else {
        text.append(String.format("%s%-" + Math.max(1, 24 - indent.length()) + "s %s%n", indent, k, v));
      }
    });
  }
}
