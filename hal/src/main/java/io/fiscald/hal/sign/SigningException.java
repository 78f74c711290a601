package io.fiscald.hal.sign;

/**
 * A signing key could not be created, loaded or used; the message describes the problem and never
 * contains key material.
 */
public final class SigningException extends RuntimeException {

  public SigningException(String message) {
    super(message);
  }

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
