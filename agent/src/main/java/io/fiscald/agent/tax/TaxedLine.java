package io.fiscald.agent.tax;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One receipt line after taxing, all money in minor units and never negative.
 *
 * <p>Under {@link TaxRounding#PER_GROUP} the line's tax is informational (each line rounded on its
 * own); the group's {@link TaxTotal} is what the receipt charges.
 *
 * @param index position of the line in the request, from 0
 * @param discountMinor the amount taken off the line
 * @param amountMinor quantity × unit price, rounded to the minor unit, minus the discount: the line as
 *     the POS priced it (tax-inclusive or not, as the receipt says)
 * @param grossMinor the line including tax
 * @param netMinor the line excluding tax
 * @param taxMinor the tax on the line; {@code netMinor + taxMinor == grossMinor}
 */
public record TaxedLine(
    int index,
    String name,
    String code,
    String hsCode,
    String unit,
    BigDecimal quantity,
    BigDecimal unitPrice,
    long discountMinor,
    long amountMinor,
    long grossMinor,
    long netMinor,
    long taxMinor,
    String taxCode) {

  public TaxedLine {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(taxCode, "taxCode");
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative, got " + index);
    }
    if (discountMinor < 0 || amountMinor < 0 || grossMinor < 0 || netMinor < 0 || taxMinor < 0) {
      throw new IllegalArgumentException("line " + index + " has a negative amount: discount " + discountMinor
          + ", amount " + amountMinor + ", gross " + grossMinor + ", net " + netMinor + ", tax " + taxMinor);
    }
    if (netMinor != grossMinor - taxMinor) {
      throw new IllegalArgumentException("line " + index + ": net " + netMinor + " + tax " + taxMinor
          + " must equal gross " + grossMinor);
    }
  }
}
