package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.CanonicalJson;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The KRA settings a technician may change after registration ({@code fiscalctl kra settings set}). Each change
 * is journalled as CONFIGURATION_CHANGED with its old and new value before it is stored. What identifies the
 * device to eTIMS (PIN, branch, serial, environment, transport, URLs) is not here: changing it means
 * registering again, never editing a setting.
 */
public final class KraSettings {
  /** The changeable settings, by their {@link KraConfig} name, with what each does. */
  public static final Map<String, String> CHANGEABLE = orderedOf(
      "signatureWaitMillis", "how long an OSCU receipt waits for the SCU signature before it is answered (0: at once)",
      "provisionalSlip", "print a PROVISIONAL SLIP at commit, then the receipt once eTIMS signed it",
      "printUsedBandsOnly", "print only the tax bands a receipt uses instead of all five",
      "trackStock", "send stock movements (insertStockIO / saveStockMaster) after sales of goods",
      "openingStockQty", "stock taken in for a goods item with no stock before its first sale",
      "callTimeoutSeconds", "timeout of one eTIMS call",
      "initTimeoutSeconds", "timeout of the initialisation call",
      "defaultRefundReason", "reason code (class 32) of a credit note that names none");

  private KraSettings() {}

  /** The current value of every changeable setting. */
  public static Map<String, Object> show(KraConfig config) {
    JsonNode tree = CanonicalJson.mapper().valueToTree(config);
    Map<String, Object> view = new LinkedHashMap<>();
    for (String name : CHANGEABLE.keySet()) {
      JsonNode v = tree.get(name);
      view.put(name, value(v));
    }
    return view;
  }

  /** Booleans and whole numbers as such; a decimal as its plain text, never a floating-point number. */
  private static Object value(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isIntegralNumber()) {
      return v.longValue();
    }
    return v.isNumber() ? v.decimalValue().toPlainString() : v.asText();
  }

  /**
   * Applies {@code changes} (setting name → text value) to the device's stored KRA configuration: every name
   * and value is checked before anything is written; the changes that alter a value are journalled and then
   * stored. Returns name → {from, to} of what changed (empty: nothing did, nothing was journalled).
   */
  public static Map<String, Map<String, Object>> apply(Agent agent, Map<String, String> changes, Clock clock) {
    if (changes.isEmpty()) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "name at least one setting as NAME=VALUE; changeable: "
          + String.join(", ", CHANGEABLE.keySet()));
    }
    for (String name : changes.keySet()) {
      if (!CHANGEABLE.containsKey(name)) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' is not a KRA setting that can be "
            + "changed after registration; changeable: " + String.join(", ", CHANGEABLE.keySet()));
      }
    }
    try (Connection c = agent.newStateConnection()) {
      KraConfig before = KraState.requireConfig(c);
      KraConfig after = before.with(changes);
      check(changes, after);
      Map<String, Object> was = show(before);
      Map<String, Object> now = show(after);
      Map<String, Map<String, Object>> changed = new LinkedHashMap<>();
      for (String name : changes.keySet()) {
        if (!Objects.equals(was.get(name), now.get(name))) {
          Map<String, Object> fromTo = new LinkedHashMap<>();
          fromTo.put("from", was.get(name));
          fromTo.put("to", now.get(name));
          changed.put(name, fromTo);
        }
      }
      if (changed.isEmpty()) {
        return changed;
      }
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("authority", KraProfile.NAME);
      event.put("changes", changed);
      agent.core().recordEvent(JournalKind.CONFIGURATION_CHANGED, event);
      KraState.putConfig(c, after, Timestamps.format(clock.instant()));
      return changed;
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close the state connection: " + e.getMessage());
    }
  }

  /** What {@link KraConfig} would quietly replace by a default is refused here: a technician meant a value. */
  private static void check(Map<String, String> changes, KraConfig after) {
    for (String timeout : List.of("callTimeoutSeconds", "initTimeoutSeconds")) {
      String v = changes.get(timeout);
      if (v != null && (!v.trim().matches("[1-9]\\d{0,2}") || Integer.parseInt(v.trim()) > 600)) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, timeout + " must be 1 to 600 seconds, got '" + v + "'");
      }
    }
    if (after.openingStockQty().signum() < 0) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "openingStockQty must not be negative");
    }
    if (!after.defaultRefundReason().matches("\\d{2}")) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "defaultRefundReason must be a 2-digit code of class 32");
    }
  }

  private static Map<String, String> orderedOf(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
