package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.device.SignerSetup;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.DeviceRecord;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fiscalctl init}: create a device (key, first journal entry) in an empty data directory. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Create a new fiscal device in an empty data directory.",
        "Generates its signing key (sealed with the master key), records its settings and starts its journal.",
        "", "Example:", "  fiscalctl --data-dir /var/lib/fiscald init --taxpayer-name \"Mama Mboga Ltd\" --tin P051234567X",
        "", "With the key on a PKCS#11 token or a serial control unit (docs/FISCAL-MODULES.md):",
        "  FISCALD_PKCS11_PIN=1234 fiscalctl init --signer pkcs11 --pkcs11-library /usr/lib/softhsm/libsofthsm2.so"
            + " --pkcs11-slot 1528330285",
        "  fiscalctl init --signer control-unit --control-unit-port /dev/ttyUSB0"})
final class InitCommand extends BaseCommand {
  @Option(names = "--device-id", paramLabel = "ID", description = "Device id (default: derived from the key).")
  String deviceId;

  @Option(names = "--env", defaultValue = "sandbox", paramLabel = "ENV",
      description = "sandbox or production (default: ${DEFAULT-VALUE}).")
  String environment;

  @Option(names = "--key", defaultValue = "EC_P256", paramLabel = "ALG",
      description = "Signing key type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  KeyAlgorithm keyAlgorithm;

  @Option(names = "--taxpayer-name", paramLabel = "NAME", description = "Printed on every receipt.")
  String taxpayerName;

  @Option(names = "--tin", paramLabel = "TIN", description = "Taxpayer identification number (KRA PIN, ZIMRA TIN).")
  String tin;

  @Option(names = "--branch", paramLabel = "NAME", description = "Branch name printed on receipts.")
  String branch;

  @Option(names = "--address", paramLabel = "TEXT", description = "Branch address printed on receipts.")
  String address;

  @Option(names = "--currency", paramLabel = "ISO", description = "Default currency, e.g. KES, USD, ZWG.")
  String currency;

  @Mixin
  SignerOptions signer;

  @Option(names = "--max-day-hours", paramLabel = "H",
      description = "Refuse receipts when the fiscal day has been open longer than this (default 24).")
  Integer maxDayHours;

  @Override
  DataDirectory dataDirectory() {
    return creationDirectory(environment);
  }

  @Override
  int run() {
    environment = creationEnvironment(environment);
    if (!"sandbox".equals(environment) && !"production".equals(environment)) {
      // checked before the data directory is touched: a refused init leaves no database or key file behind
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT,
          "--env must be sandbox or production, got '" + environment + "'");
    }
    DeviceSettings d = DeviceSettings.defaults();
    DeviceSettings settings = new DeviceSettings(
        taxpayerName != null ? taxpayerName : d.taxpayerName(),
        tin != null ? tin : d.taxpayerTin(),
        branch != null ? branch : d.branchName(),
        address != null ? address : d.branchAddress(),
        currency != null ? currency.toUpperCase(java.util.Locale.ROOT) : d.defaultCurrency(),
        maxDayHours != null ? maxDayHours : d.maxDayHours(),
        d.taxRounding(), d.taxes());
    SignerSetup signerSetup = signer.setup(env());
    DeviceRecord device = Agent.initialise(dataDirectory(), env(), deviceId, environment, keyAlgorithm, settings,
        signerSetup, Clock.systemUTC());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("deviceId", device.deviceId());
    view.put("authority", device.authority());
    view.put("environment", device.environment());
    view.put("keyAlgorithm", device.keyAlgorithm());
    view.put("publicKeyFingerprint", PublicKeys.fingerprint(PublicKeys.fromDer(device.publicKey())));
    view.put("signer", signerSetup.config().describe());
    view.put("dataDir", dataDirectory().root().toString());
    result(view, "Device " + device.deviceId() + " created in " + dataDirectory().root()
        + " (" + device.environment() + ", " + device.keyAlgorithm() + " key, profile " + device.authority() + ").\n"
        + (signerSetup.config().isSoftware() ? "" : "The key is held by the " + signerSetup.config().type()
            + " signer: fiscalctl device keys --probe checks it.\n")
        + (signerSetup.config().isSoftware() ? "Keep the master key safe: without it the device key cannot be"
            + " unsealed.\n" : "")
        + "Next: fiscalctl day open");
    return 0;
  }
}
