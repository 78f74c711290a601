package io.fiscald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintStream;

/** Writes command results: JSON documents for machines, text for people. */
final class Output {
  private static final ObjectMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final ObjectMapper COMPACT = JsonMapper.builder().build();

  private Output() {}

  static void printJson(PrintStream out, Object value) {
    out.println(toJson(value, true));
    out.flush();
  }

  /** One compact line, for streams of results such as {@code receipt issue --repeat}. */
  static String jsonLine(Object value) {
    return toJson(value, false);
  }

  private static String toJson(Object value, boolean pretty) {
    try {
      return (pretty ? PRETTY : COMPACT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("result is not serialisable: " + e.getOriginalMessage(), e);
    }
  }
}
