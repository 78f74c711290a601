package io.fiscald.agent.authority.zimra;

import java.math.BigDecimal;
import java.util.Comparator;

/**
 * One {@code receiptTaxes} entry as it enters the ZIMRA signature string: amounts in signed integer
 * cents, exactly as sent on the wire.
 *
 * @param taxCode null when the JSON carries no {@code taxCode}
 * @param taxPercent null for an exempt tax (no percent on the wire)
 */
public record ZimraTaxLine(long taxId, String taxCode, BigDecimal taxPercent, long taxAmountCents,
    long salesAmountWithTaxCents) {

  /** ZIMRA §13.2.1: by taxID ascending, then taxCode alphabetically, an empty code before "A". */
  public static final Comparator<ZimraTaxLine> SIGNATURE_ORDER = Comparator.comparingLong(ZimraTaxLine::taxId)
      .thenComparing(t -> t.taxCode() == null ? "" : t.taxCode());

  public boolean exempt() {
    return taxPercent == null;
  }
}
