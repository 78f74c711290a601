package io.fiscald.agent.authority.kra.client;

/**
 * A call that got no eTIMS answer. {@link Kind#TIMEOUT} means the request was sent and may have been
 * committed (sheet §13: reconcile before resending); {@link Kind#UNREACHABLE} means it never left.
 */
public final class EtimsCallException extends RuntimeException {
  /** Whether the request may have reached eTIMS. */
  public enum Kind { TIMEOUT, UNREACHABLE }

  private final Kind kind;

  public EtimsCallException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
