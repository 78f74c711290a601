package io.fiscald.agent.tax;

import io.fiscald.agent.receipt.PaymentMethod;
import java.util.Objects;

/**
 * One tender of a taxed receipt with its amount in minor units.
 *
 * @param reference optional, e.g. an M-Pesa transaction code
 */
public record TaxedPayment(PaymentMethod method, long amountMinor, String reference) {
  public TaxedPayment {
    Objects.requireNonNull(method, "method");
    if (amountMinor <= 0) {
      throw new IllegalArgumentException("a payment must be greater than zero, got " + amountMinor);
    }
  }
}
