package io.fiscald.agent.authority.kra;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the invoice number eTIMS expected out of its two live sequence rejections (sheet §13):
 * {@code Invalid invcNo sequence, expected: N but found: M} and
 * {@code Invc No: M is invalid, use the expected value: N}.
 */
public final class SequenceRejection {
  private static final Pattern EXPECTED_FOUND = Pattern.compile(
      "invcNo sequence,?\\s*expected:?\\s*(\\d+)\\s*but found:?\\s*(\\d+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern USE_EXPECTED = Pattern.compile(
      "Invc\\s*No:?\\s*(\\d+)\\s*is invalid,?\\s*use the expected value:?\\s*(\\d+)", Pattern.CASE_INSENSITIVE);

  private SequenceRejection() {}

  /** The number eTIMS expects next, or empty when the message is not a sequence rejection. */
  public static OptionalLong expected(String message) {
    if (message == null) {
      return OptionalLong.empty();
    }
    Matcher m = EXPECTED_FOUND.matcher(message);
    if (m.find()) {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    }
    m = USE_EXPECTED.matcher(message);
    if (m.find()) {
      return OptionalLong.of(Long.parseLong(m.group(2)));
    }
    return OptionalLong.empty();
  }
}
