package io.fiscald.sim.zimra.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/** Jackson set-up and small JSON helpers: amounts are read as exact decimals, never doubles (sheet §7). */
public final class Json {
  /** Shared mapper: floats as BigDecimal, so 0.1 stays 0.1. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() { }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A decimal from a JSON number or numeric string; null when absent, null or not a number. */
  public static BigDecimal decimal(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isNumber()) {
      return n.decimalValue();
    }
    if (n.isTextual()) {
      try {
        return new BigDecimal(n.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  public static BigDecimal decimalOrZero(JsonNode n) {
    BigDecimal d = decimal(n);
    return d == null ? BigDecimal.ZERO : d;
  }

  /** Text of a field, or null when absent or JSON null. */
  public static String text(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  public static boolean isInt(JsonNode n) {
    return n != null && (n.isIntegralNumber() || (n.isTextual() && n.asText().matches("-?\\d{1,10}")));
  }
}
