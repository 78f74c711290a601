package io.fiscald.agent.authority.zimra;

import java.util.Comparator;

/**
 * The order of the fiscal day counters in the day signature string and the closeDay JSON. The spec's
 * rule text and its own examples disagree (sheet §10.2 [conflict]); a wrong order closes the day as
 * {@code FiscalDayCloseFailed / BadCertificateSignature}, so it is a setting.
 */
public enum CounterOrder {
  /** Recommended: type enum index, then currency alphabetically, then taxID / money type enum index. */
  RECOMMENDED(Comparator.comparing(ZimraCounter::type)
      .thenComparing(ZimraCounter::currency)
      .thenComparing(CounterOrder::dimension)),
  /**
   * The order the spec's worked example (SPEC §13.3.1) shows: type enum index, then taxID / money type
   * enum index, then currency.
   */
  SPEC_EXAMPLE(Comparator.comparing(ZimraCounter::type)
      .thenComparing(CounterOrder::dimension)
      .thenComparing(ZimraCounter::currency));

  private final Comparator<ZimraCounter> comparator;

  CounterOrder(Comparator<ZimraCounter> comparator) {
    this.comparator = comparator;
  }

  public Comparator<ZimraCounter> comparator() {
    return comparator;
  }

  /** taxID for counters by tax, the money type's enum index for balances. */
  private static long dimension(ZimraCounter c) {
    return c.type().byTax() ? c.taxId() : c.moneyType().ordinal();
  }
}
