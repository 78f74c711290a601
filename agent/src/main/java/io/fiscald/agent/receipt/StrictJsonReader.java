package io.fiscald.agent.receipt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON object into plain values (maps, lists, strings, booleans, {@link JsonNumberText},
 * null), refusing anything that is not exactly one well-formed object: syntax errors, duplicate keys,
 * nesting deeper than {@link #MAX_DEPTH}, trailing content. Every refusal is MALFORMED_JSON.
 */
final class StrictJsonReader {
  /** A receipt request nests three deep (request, lines, line); anything near this is an attack or a bug. */
  static final int MAX_DEPTH = 16;

  private final JsonFactory factory;

  StrictJsonReader() {
    this.factory = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
        .build();
  }

  Map<String, Object> readObject(byte[] json) {
    try (JsonParser parser = factory.createParser(json)) {
      try {
        JsonToken first = parser.nextToken();
        if (first == null) {
          throw malformed("the request body is empty; send a JSON object describing the receipt", null);
        }
        if (first != JsonToken.START_OBJECT) {
          throw malformed("the request body must be a JSON object ({…}), not " + describe(first),
              parser.currentTokenLocation());
        }
        Map<String, Object> root = readMap(parser);
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
          throw malformed("unexpected content after the JSON object; send exactly one object",
              parser.currentTokenLocation());
        }
        return root;
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        throw malformed("the request body is not valid JSON: " + e.getOriginalMessage(), at, e);
      }
    } catch (IOException e) {
      // Reading from a byte array only fails on content (e.g. bytes that are not UTF-8).
      throw malformed("the request body is not valid JSON: " + e.getMessage(), null, e);
    }
  }

  private static Map<String, Object> readMap(JsonParser parser) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      map.put(name, readValue(parser, parser.nextToken()));
    }
    return map;
  }

  private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        return readMap(parser);
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(readValue(parser, t));
        }
        return list;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        // The literal token text: the exact decimal the POS wrote, never a double.
        return new JsonNumberText(parser.getText());
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IllegalStateException("unexpected JSON token " + token);
    }
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      default:
        return "null";
    }
  }

  private static FiscalException malformed(String message, JsonLocation at) {
    return malformed(message, at, null);
  }

  private static FiscalException malformed(String message, JsonLocation at, Throwable cause) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (at != null && at.getLineNr() > 0) {
      message = message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      details.put("line", at.getLineNr());
      details.put("column", at.getColumnNr());
    }
    return new FiscalException(ErrorCode.MALFORMED_JSON, message, details, cause);
  }
}
