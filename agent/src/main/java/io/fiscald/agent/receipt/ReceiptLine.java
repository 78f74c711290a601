package io.fiscald.agent.receipt;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One sold item as the POS sent it. Quantities and prices are exact decimals straight from the
 * JSON text; {@code discount} is an amount off the whole line (zero when absent).
 *
 * @param code the POS's item code (SKU), optional
 * @param hsCode harmonised system code, optional (some authorities require it)
 * @param unit unit of measure, optional
 */
public record ReceiptLine(
    String name,
    BigDecimal quantity,
    BigDecimal unitPrice,
    String taxCode,
    String code,
    BigDecimal discount,
    String hsCode,
    String unit) {

  public ReceiptLine {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(taxCode, "taxCode");
    discount = discount == null ? BigDecimal.ZERO : discount;
  }

  public ReceiptLine(String name, BigDecimal quantity, BigDecimal unitPrice, String taxCode) {
    this(name, quantity, unitPrice, taxCode, null, null, null, null);
  }
}
