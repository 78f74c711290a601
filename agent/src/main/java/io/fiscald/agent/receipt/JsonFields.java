package io.fiscald.agent.receipt;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.util.List;
import java.util.Map;

/**
 * One JSON object of a request together with its path ({@code lines[2]}), giving typed access to its
 * fields and refusing wrong types and unknown fields with INVALID_FIELD naming the exact path.
 * A field that is absent and a field that is {@code null} read the same: absent.
 */
final class JsonFields {
  private static final int PREVIEW_LENGTH = 40;

  private final Map<String, Object> values;
  private final String path;

  JsonFields(Map<String, Object> values, String path) {
    this.values = values;
    this.path = path;
  }

  /** The element {@code index} of an array, which must be an object. */
  static JsonFields element(List<Object> array, int index, String arrayPath) {
    String at = arrayPath + "[" + index + "]";
    Object value = array.get(index);
    if (!(value instanceof Map)) {
      throw wrongType(at, "an object", value);
    }
    return new JsonFields(asMap(value), at);
  }

  String path() {
    return path;
  }

  String pathOf(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** Refuses the first field not in {@code allowed}, listing the allowed ones so the fix is obvious. */
  void rejectUnknown(List<String> allowed, String what) {
    for (String name : values.keySet()) {
      if (!allowed.contains(name)) {
        String field = pathOf(preview(name));
        throw new FiscalException(ErrorCode.INVALID_FIELD, field + " is not a field of " + what
            + "; the allowed fields are " + String.join(", ", allowed),
            Map.of("field", field, "allowed", allowed));
      }
    }
  }

  boolean has(String name) {
    return values.get(name) != null;
  }

  Object raw(String name) {
    return values.get(name);
  }

  String string(String name) {
    Object value = values.get(name);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrongType(pathOf(name), "a string", value);
  }

  Boolean bool(String name) {
    Object value = values.get(name);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    throw wrongType(pathOf(name), "true or false", value);
  }

  List<Object> array(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      @SuppressWarnings("unchecked")
      List<Object> items = (List<Object>) list;
      return items;
    }
    throw wrongType(pathOf(name), "an array", value);
  }

  JsonFields object(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Map) {
      return new JsonFields(asMap(value), pathOf(name));
    }
    throw wrongType(pathOf(name), "an object", value);
  }

  static FiscalException wrongType(String field, String expected, Object actual) {
    return FiscalException.field(ErrorCode.INVALID_FIELD, field,
        field + " must be " + expected + ", not " + describe(actual));
  }

  /** A JSON value as a POS developer would name it, with the value itself when it is short. */
  static String describe(Object value) {
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    if (value instanceof String s) {
      return "a string (" + quote(s) + ")";
    }
    if (value instanceof JsonNumberText n) {
      return "a number (" + preview(n.text()) + ")";
    }
    if (value instanceof Boolean b) {
      return "a boolean (" + b + ")";
    }
    return "null";
  }

  static String quote(String s) {
    return "\"" + preview(s) + "\"";
  }

  /** Caller text as it may appear in a message: short, and with control characters made visible. */
  static String preview(String s) {
    String cut = s.length() > PREVIEW_LENGTH ? s.substring(0, PREVIEW_LENGTH) + "…" : s;
    StringBuilder out = new StringBuilder(cut.length());
    cut.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }
}
