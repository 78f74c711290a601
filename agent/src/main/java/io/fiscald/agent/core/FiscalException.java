package io.fiscald.agent.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal with a stable {@link ErrorCode}, a sentence for a human and structured details; rendered
 * as {@code {"error":{"code","message","details"}}} by the API and the CLI.
 */
public final class FiscalException extends RuntimeException {
  private final ErrorCode code;
  private final Map<String, Object> details;

  public FiscalException(ErrorCode code, String message) {
    this(code, message, Map.of(), null);
  }

  public FiscalException(ErrorCode code, String message, Map<String, ?> details) {
    this(code, message, details, null);
  }

  public FiscalException(ErrorCode code, String message, Map<String, ?> details, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A field-level validation error; {@code field} is a JSON path such as {@code lines[2].quantity}. */
  public static FiscalException field(ErrorCode code, String field, String message) {
    return new FiscalException(code, message, Map.of("field", field));
  }

  public ErrorCode code() {
    return code;
  }

  public Map<String, Object> details() {
    return details;
  }

  /** The error document of the design: {@code {"error":{"code","message","details"}}}. */
  public Map<String, Object> toErrorDocument() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.name());
    error.put("message", getMessage());
    error.put("details", details);
    return Map.of("error", error);
  }
}
