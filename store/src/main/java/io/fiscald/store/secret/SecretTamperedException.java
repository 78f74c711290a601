package io.fiscald.store.secret;

/**
 * A sealed value failed authentication: it was sealed under another master key or another name, was
 * altered, or has an unknown format version.
 */
public final class SecretTamperedException extends RuntimeException {

  public SecretTamperedException(String message) {
    super(message);
  }

  public SecretTamperedException(String message, Throwable cause) {
    super(message, cause);
  }
}
