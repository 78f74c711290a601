package io.fiscald.sim.kra;

/** Which of the two live wordings an invcNo sequence rejection uses (sheet §13). */
public enum SequenceMessage {
  /** {@code Invalid invcNo sequence, expected: N but found: M}. */
  EXPECTED_FOUND,
  /** {@code Invc No: M is invalid, use the expected value: N} (M found, N expected). */
  USE_EXPECTED_VALUE
}
