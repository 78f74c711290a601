package io.fiscald.agent.tax;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * Exact conversions between decimal amounts and the {@code long} minor units (cents) fiscald stores;
 * nothing here rounds, so a conversion either is exact or throws.
 */
public final class Money {
  /** More digits than this cannot be meant: 10^19 minor units already overflow a long. */
  private static final int MAX_MINOR_DIGITS = 18;
  private static final int LONG_DIGITS = 19;

  private Money() {}

  /**
   * The number of minor-unit digits of an ISO 4217 currency: 2 for KES and USD, 0 for JPY, 3 for KWD.
   *
   * @throws IllegalArgumentException if {@code currency} is not a code known to {@link Currency}
   */
  public static int minorDigits(String currency) {
    // Pseudo-currencies such as XAU or XXX report -1: they have no minor unit, so whole units it is.
    return Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
  }

  /**
   * The amount in minor units, exactly: {@code 1044.00} with 2 digits is {@code 104400}.
   *
   * @throws ArithmeticException if the amount has more decimals than {@code minorDigits} (after trailing
   *     zeros are dropped) or does not fit in a long
   */
  public static long toMinor(BigDecimal amount, int minorDigits) {
    checkDigits(minorDigits);
    if (amount.signum() == 0) {
      return 0;
    }
    BigDecimal stripped = amount.stripTrailingZeros();
    if (stripped.scale() > minorDigits) {
      throw new ArithmeticException(
          amount + " has more than " + minorDigits + " decimal places, so it is not a whole number of minor units");
    }
    // Checked before setScale so that an exponent such as 1E+999999999 is refused instead of expanded.
    if (stripped.precision() - stripped.scale() + minorDigits > LONG_DIGITS) {
      throw new ArithmeticException(amount + " is too large to hold in minor units");
    }
    return stripped.setScale(minorDigits).unscaledValue().longValueExact();
  }

  /** The decimal amount of {@code minor} minor units: {@code 104400} with 2 digits is {@code 1044.00}. */
  public static BigDecimal fromMinor(long minor, int minorDigits) {
    checkDigits(minorDigits);
    return BigDecimal.valueOf(minor, minorDigits);
  }

  /** Plain decimal text with exactly {@code minorDigits} decimals: "1044.00", "-3.50", "0.00", "500". */
  public static String format(long minor, int minorDigits) {
    return fromMinor(minor, minorDigits).toPlainString();
  }

  /** Like {@link #format} with thousands separated by commas, as printed on receipts: "1,044.00". */
  public static String formatGrouped(long minor, int minorDigits) {
    String plain = fromMinor(minor, minorDigits).abs().toPlainString();
    int dot = plain.indexOf('.');
    String whole = dot < 0 ? plain : plain.substring(0, dot);
    StringBuilder out = new StringBuilder(plain.length() + whole.length() / 3 + 1);
    if (minor < 0) {
      out.append('-');
    }
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) {
        out.append(',');
      }
      out.append(whole.charAt(i));
    }
    if (dot >= 0) {
      out.append(plain, dot, plain.length());
    }
    return out.toString();
  }

  private static void checkDigits(int minorDigits) {
    if (minorDigits < 0 || minorDigits > MAX_MINOR_DIGITS) {
      throw new IllegalArgumentException("minorDigits must be between 0 and " + MAX_MINOR_DIGITS + ", got " + minorDigits);
    }
  }
}
