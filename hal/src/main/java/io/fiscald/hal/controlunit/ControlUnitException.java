package io.fiscald.hal.controlunit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The control unit could not be talked to, or said no; {@link #details()} carries the line's state
 * at that moment (port, command, sequence number, attempts, what was seen).
 */
public final class ControlUnitException extends RuntimeException {

  /** What went wrong on the line. */
  public enum Kind {
    /** Nothing came back within the timeouts, after every retry. */
    NO_ANSWER,
    /** The unit rejected the frame with NAK more often than the retry bound. */
    TOO_MANY_NAKS,
    /** The unit kept answering WAIT (busy) beyond the bound. */
    BUSY,
    /** Only damaged or unparseable data came back. */
    GARBLED,
    /** The unit answered with an error status. */
    UNIT_ERROR,
    /** The port cannot be opened, read or written. */
    IO
  }

  private final Kind kind;
  private final Map<String, Object> details;

  public ControlUnitException(Kind kind, String message, Map<String, ?> details, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public Kind kind() {
    return kind;
  }

  public Map<String, Object> details() {
    return details;
  }
}
