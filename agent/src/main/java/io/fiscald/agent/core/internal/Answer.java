package io.fiscald.agent.core.internal;

/**
 * What a write command answers, read only after the batch's journal signatures are made (they may be
 * made in parallel after the command ran) and before COMMIT, so the answer may quote a signature.
 */
@FunctionalInterface
interface Answer<T> {
  T get();

  /** An answer that needs nothing more. */
  static <T> Answer<T> of(T value) {
    return () -> value;
  }
}
