package io.fiscald.agent.authority.zimra;

import java.util.Locale;

/**
 * Fiscal day counter types in ZIMRA's enum order (sheet §10.2: the order follows the enum index, not
 * the alphabet); SWAGGER's payout counters come last.
 */
public enum ZimraCounterType {
  SaleByTax,
  SaleTaxByTax,
  CreditNoteByTax,
  CreditNoteTaxByTax,
  DebitNoteByTax,
  DebitNoteTaxByTax,
  BalanceByMoneyType,
  PayoutByTax,
  PayoutTaxByTax;

  /** Counters keyed by tax (taxID and percent) rather than by money type. */
  public boolean byTax() {
    return this != BalanceByMoneyType;
  }

  /** The upper-case form used in the fiscal day signature string. */
  public String signatureText() {
    return name().toUpperCase(Locale.ROOT);
  }
}
