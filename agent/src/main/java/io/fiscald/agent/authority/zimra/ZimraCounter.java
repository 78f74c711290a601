package io.fiscald.agent.authority.zimra;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One fiscal day counter (sheet §5, §11): by tax ({@code taxId}, {@code taxPercent}; percent null when
 * exempt) or by money type, per currency, in signed integer cents.
 */
public record ZimraCounter(ZimraCounterType type, String currency, Long taxId, BigDecimal taxPercent,
    ZimraMoneyType moneyType, long valueCents) {

  public ZimraCounter {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(currency, "currency");
    if (type.byTax() && taxId == null) {
      throw new IllegalArgumentException(type + " counter needs a taxID");
    }
    if (!type.byTax() && moneyType == null) {
      throw new IllegalArgumentException(type + " counter needs a money type");
    }
  }

  public static ZimraCounter byTax(ZimraCounterType type, String currency, long taxId, BigDecimal percent,
      long valueCents) {
    return new ZimraCounter(type, currency, taxId, percent, null, valueCents);
  }

  public static ZimraCounter balance(String currency, ZimraMoneyType moneyType, long valueCents) {
    return new ZimraCounter(ZimraCounterType.BalanceByMoneyType, currency, null, null, moneyType, valueCents);
  }

  /** The same counter with {@code cents} added. */
  public ZimraCounter plus(long cents) {
    return new ZimraCounter(type, currency, taxId, taxPercent, moneyType, Math.addExact(valueCents, cents));
  }
}
