package io.fiscald.agent.tax;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One band of a tax table, such as Kenya's "B" at 16%.
 *
 * <p>A zero-rated band has {@code percent} 0 and {@code exempt} false: the sale is inside VAT at 0%. An
 * exempt band ({@code exempt} true, {@code percent} 0) is outside VAT altogether; authorities report the
 * two separately even though neither carries tax.
 *
 * @param code the code a receipt line names in {@code taxCode}, 1 to 8 characters
 * @param label what receipts and reports print, e.g. "VAT 16%"
 * @param percent 0 to 100 with at most two decimals; held without trailing zeros, so 16.00 becomes 16
 */
public record TaxRate(String code, String label, BigDecimal percent, boolean exempt) {
  public static final int MAX_CODE_LENGTH = 8;
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  public TaxRate {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(percent, "percent");
    if (code.isBlank() || code.length() > MAX_CODE_LENGTH) {
      throw new IllegalArgumentException("tax code must be 1 to " + MAX_CODE_LENGTH + " characters, got '" + code + "'");
    }
    if (label.isBlank()) {
      throw new IllegalArgumentException("tax " + code + " needs a label to print");
    }
    if (percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
      throw new IllegalArgumentException("tax " + code + ": percent must be between 0 and 100, got " + percent);
    }
    BigDecimal stripped = percent.stripTrailingZeros();
    if (stripped.scale() > 2) {
      throw new IllegalArgumentException("tax " + code + ": percent may have at most 2 decimals, got " + percent);
    }
    if (exempt && stripped.signum() != 0) {
      throw new IllegalArgumentException("tax " + code + " is exempt, so its percent must be 0, got " + percent);
    }
    // One representation per value, so 16 and 16.00 make equal rates and print the same.
    percent = stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
