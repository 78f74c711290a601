package io.fiscald.store;

/** A storage failure (I/O, SQLite error, corrupt file); always the device's trouble, never the caller's. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
