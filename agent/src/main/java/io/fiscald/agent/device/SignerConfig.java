package io.fiscald.agent.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.controlunit.ControlUnitCommandSets;
import io.fiscald.hal.controlunit.ReferenceCommandSet;
import io.fiscald.hal.sign.pkcs11.Pkcs11Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which module holds a device's signing key: {@code software} (sealed in the secret store),
 * {@code pkcs11} (a token, by library, slot and key label) or {@code control-unit} (a serial unit, by
 * port and vendor command set). Stored as JSON in the {@code meta} table and recorded in the
 * DEVICE_INITIALISED entry; never holds a PIN, only the name of the variable that carries it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignerConfig(String type, String library, Long slot, Integer slotIndex, String keyLabel,
    String pinEnv, String port, String vendor) {

  public static final String SOFTWARE = "software";
  public static final String PKCS11 = "pkcs11";
  public static final String CONTROL_UNIT = "control-unit";
  /** Environment variable read for the token PIN unless the configuration names another. */
  public static final String DEFAULT_PIN_ENV = "FISCALD_PKCS11_PIN";
  public static final String DEFAULT_KEY_LABEL = "fiscald-device-key";

  public SignerConfig {
    Objects.requireNonNull(type, "type");
    switch (type) {
      case SOFTWARE:
        break;
      case PKCS11:
        if (library == null || library.isBlank()) {
          throw invalid("--pkcs11-library is required with --signer pkcs11 (e.g. /usr/lib/softhsm/libsofthsm2.so)");
        }
        if (slot != null && slotIndex != null) {
          throw invalid("give --pkcs11-slot or --pkcs11-slot-index, not both");
        }
        if ((slot != null && slot < 0) || (slotIndex != null && slotIndex < 0)) {
          throw invalid("PKCS#11 slot ids and indexes are not negative");
        }
        keyLabel = keyLabel == null || keyLabel.isBlank() ? DEFAULT_KEY_LABEL : keyLabel;
        pinEnv = pinEnv == null || pinEnv.isBlank() ? DEFAULT_PIN_ENV : pinEnv;
        break;
      case CONTROL_UNIT:
        if (port == null || port.isBlank()) {
          throw invalid("--control-unit-port is required with --signer control-unit (e.g. /dev/ttyUSB0)");
        }
        vendor = vendor == null || vendor.isBlank() ? ReferenceCommandSet.VENDOR : vendor;
        if (!ControlUnitCommandSets.all().containsKey(vendor)) {
          throw invalid("unknown control unit vendor '" + vendor + "'; known: " + ControlUnitCommandSets.all().keySet());
        }
        break;
      default:
        throw invalid("signer must be software, pkcs11 or control-unit, got '" + type + "'");
    }
  }

  public static SignerConfig software() {
    return new SignerConfig(SOFTWARE, null, null, null, null, null, null, null);
  }

  public static SignerConfig pkcs11(String library, Long slot, Integer slotIndex, String keyLabel, String pinEnv) {
    return new SignerConfig(PKCS11, library, slot, slotIndex, keyLabel, pinEnv, null, null);
  }

  public static SignerConfig controlUnit(String port, String vendor) {
    return new SignerConfig(CONTROL_UNIT, null, null, null, null, null, port, vendor);
  }

  public boolean isSoftware() {
    return SOFTWARE.equals(type);
  }

  public Pkcs11Config pkcs11Config() {
    return new Pkcs11Config(Path.of(library), slot, slotIndex, keyLabel);
  }

  /** The configuration as a map without absent fields: what the journal and {@code device keys} show. */
  public Map<String, Object> describe() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("type", type);
    putIfSet(view, "library", library);
    putIfSet(view, "slot", slot);
    putIfSet(view, "slotIndex", slotIndex);
    putIfSet(view, "keyLabel", keyLabel);
    putIfSet(view, "pinEnv", pinEnv);
    putIfSet(view, "port", port);
    putIfSet(view, "vendor", vendor);
    return view;
  }

  private static void putIfSet(Map<String, Object> view, String key, Object value) {
    if (value != null) {
      view.put(key, value);
    }
  }

  private static FiscalException invalid(String message) {
    return new FiscalException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
