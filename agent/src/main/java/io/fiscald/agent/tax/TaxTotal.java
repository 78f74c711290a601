package io.fiscald.agent.tax;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The tax charged for one tax code on a receipt, in minor units; {@code netMinor + taxMinor ==
 * grossMinor} always.
 */
public record TaxTotal(
    String taxCode,
    String label,
    BigDecimal percent,
    boolean exempt,
    long netMinor,
    long taxMinor,
    long grossMinor) {

  public TaxTotal {
    Objects.requireNonNull(taxCode, "taxCode");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(percent, "percent");
    if (netMinor < 0 || taxMinor < 0 || grossMinor < 0) {
      throw new IllegalArgumentException("tax " + taxCode + " has a negative amount: net " + netMinor
          + ", tax " + taxMinor + ", gross " + grossMinor);
    }
    if (netMinor != grossMinor - taxMinor) {
      throw new IllegalArgumentException("tax " + taxCode + ": net " + netMinor + " + tax " + taxMinor
          + " must equal gross " + grossMinor);
    }
    if (exempt && taxMinor != 0) {
      throw new IllegalArgumentException("tax " + taxCode + " is exempt but carries tax " + taxMinor);
    }
  }
}
