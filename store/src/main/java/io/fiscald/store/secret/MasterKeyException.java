package io.fiscald.store.secret;

/**
 * The master key could not be obtained (missing, malformed, or stored with unsafe permissions); the
 * message says how to fix it and never contains key material.
 */
public final class MasterKeyException extends RuntimeException {

  public MasterKeyException(String message) {
    super(message);
  }

  public MasterKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
