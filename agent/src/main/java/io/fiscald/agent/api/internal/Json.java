package io.fiscald.agent.api.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** JSON for the API: compact answers, and strict reading of the small bodies that are not receipts. */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  static {
    STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
  }

  private Json() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("answer is not serialisable: " + e.getOriginalMessage(), e);
    }
  }

  /** One JSON object with only {@code allowed} members; MALFORMED_JSON or INVALID_FIELD otherwise. */
  public static JsonNode readObject(byte[] body, List<String> allowed) {
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new FiscalException(ErrorCode.MALFORMED_JSON, "the body must be one JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new FiscalException(ErrorCode.INVALID_FIELD, "unknown field '" + name + "'; allowed: "
            + String.join(", ", allowed), Map.of("field", name));
      }
    }
    return root;
  }

  /** A JSON document stored as text (an authority's answer), as a tree; the text itself when not JSON. */
  public static Object tree(String json) {
    if (json == null) {
      return null;
    }
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      return json;
    }
  }
}
