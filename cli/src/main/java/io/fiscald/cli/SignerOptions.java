package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.SignerConfig;
import io.fiscald.agent.device.SignerSetup;
import io.fiscald.store.secret.Secret;
import java.io.Console;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code init}'s options choosing where the device key lives: software, a PKCS#11 token or a control unit. */
final class SignerOptions {
  @Option(names = "--signer", defaultValue = "software", paramLabel = "TYPE",
      description = "Where the device key lives: software (sealed with the master key), pkcs11 (a token or smart"
          + " card) or control-unit (a serial fiscal module) (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(names = "--pkcs11-library", paramLabel = "PATH",
      description = "The token's PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so or"
          + " /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so.")
  String library;

  @Option(names = "--pkcs11-slot", paramLabel = "ID",
      description = "PKCS#11 slot id of the token (see: pkcs11-tool --module LIB -L, softhsm2-util --show-slots).")
  Long slot;

  @Option(names = "--pkcs11-slot-index", paramLabel = "N",
      description = "Position of the token among slots with a token present, instead of --pkcs11-slot (default 0).")
  Integer slotIndex;

  @Option(names = "--pkcs11-key-label", paramLabel = "LABEL",
      description = "Label of the device key on the token; found if present, else generated there"
          + " (default: " + SignerConfig.DEFAULT_KEY_LABEL + ").")
  String keyLabel;

  @Option(names = "--pkcs11-pin-env", paramLabel = "VAR",
      description = "Environment variable holding the token PIN, at init and whenever fiscald starts"
          + " (default: " + SignerConfig.DEFAULT_PIN_ENV + "). Without it init asks on the terminal.")
  String pinEnv;

  @Option(names = "--pkcs11-store-pin",
      description = "Also seal the PIN into the data directory's secret store (AES-256-GCM under the master key),"
          + " so fiscald can start unattended without the environment variable.")
  boolean storePin;

  @Option(names = "--control-unit-port", paramLabel = "PATH",
      description = "Serial port or pseudo-terminal of the control unit, e.g. /dev/ttyUSB0, /dev/serial/by-id/...")
  String port;

  @Option(names = "--control-unit-vendor", paramLabel = "NAME",
      description = "Command set of the control unit (default: fiscald-reference, which the emulator speaks).")
  String vendor;

  /** The setup for init; a token PIN comes from the environment, else from a prompt on the terminal. */
  SignerSetup setup(Map<String, String> env) {
    SignerConfig config;
    switch (type) {
      case SignerConfig.SOFTWARE:
        refuseOthers(library != null || slot != null || slotIndex != null || keyLabel != null || port != null
            || vendor != null || storePin, "software");
        return SignerSetup.software();
      case SignerConfig.PKCS11:
        refuseOthers(port != null || vendor != null, "pkcs11");
        config = SignerConfig.pkcs11(library, slot, slotIndex, keyLabel, pinEnv);
        String fromEnv = env.get(config.pinEnv());
        Secret pin = fromEnv != null && !fromEnv.isEmpty() ? Secret.ofUtf8(fromEnv) : prompt(config);
        return new SignerSetup(config, pin, storePin);
      case SignerConfig.CONTROL_UNIT:
        refuseOthers(library != null || slot != null || slotIndex != null || keyLabel != null || storePin,
            "control-unit");
        return new SignerSetup(SignerConfig.controlUnit(port, vendor), null, false);
      default:
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT,
            "--signer must be software, pkcs11 or control-unit, got '" + type + "'");
    }
  }

  private static Secret prompt(SignerConfig config) {
    Console console = System.console();
    if (console == null) {
      throw new FiscalException(ErrorCode.SIGNER_PIN_INVALID, "no PIN for the token: set " + config.pinEnv()
          + " (no terminal to ask on)", config.describe());
    }
    char[] typed = console.readPassword("PIN of the token in %s: ", config.pkcs11Config().slotDescription());
    if (typed == null || typed.length == 0) {
      throw new FiscalException(ErrorCode.SIGNER_PIN_INVALID, "no PIN entered for the token", config.describe());
    }
    try {
      return Secret.ofUtf8(new String(typed));
    } finally {
      Arrays.fill(typed, '\0');
    }
  }

  private static void refuseOthers(boolean given, String type) {
    if (given) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "options of another signer were given with --signer "
          + type + "; use only --pkcs11-* with pkcs11 and --control-unit-* with control-unit");
    }
  }
}
