package io.fiscald.agent.receipt;

import java.math.BigDecimal;
import java.util.Objects;

/** One tender: method, exact amount, and an optional reference such as an M-Pesa code. */
public record Payment(PaymentMethod method, BigDecimal amount, String reference) {
  public Payment {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(amount, "amount");
  }
}
