package io.fiscald.hal.sign;

/**
 * A signing key could not be created, loaded or used; the message describes the problem and never
 * contains key material or a PIN.
 */
public final class SigningException extends RuntimeException {

  /** What kind of trouble, so the agent can tell a broken key from an unreachable module or a refused PIN. */
  public enum Reason {
    /** The key material itself is unusable (corrupt, wrong curve, wrong size). */
    KEY_INVALID,
    /** The module holding the key (PKCS#11 library, token, control unit) cannot be reached or did not answer. */
    UNAVAILABLE,
    /** The module is there but has no key under the configured label. */
    KEY_NOT_FOUND,
    /** The PIN is missing, wrong or locked. */
    PIN_INCORRECT,
    /** The module answered but refused to sign, or returned a signature that does not verify. */
    REFUSED
  }

  private final Reason reason;

  public SigningException(String message) {
    this(Reason.KEY_INVALID, message, null);
  }

  public SigningException(String message, Throwable cause) {
    this(Reason.KEY_INVALID, message, cause);
  }

  public SigningException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
