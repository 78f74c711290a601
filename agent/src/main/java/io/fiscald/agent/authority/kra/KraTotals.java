package io.fiscald.agent.authority.kra;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;

/**
 * The header amounts of a sale: per band the sums of the already-rounded lines, with every band present
 * (zeros included), and the receipt totals as sums of the bands (sheet §6.1, §17.6).
 */
public record KraTotals(
    Map<KraBand, BigDecimal> taxblAmt,
    Map<KraBand, BigDecimal> taxRt,
    Map<KraBand, BigDecimal> taxAmt,
    BigDecimal totTaxblAmt,
    BigDecimal totTaxAmt,
    BigDecimal totAmt) {

  public KraTotals {
    taxblAmt = new EnumMap<>(taxblAmt);
    taxRt = new EnumMap<>(taxRt);
    taxAmt = new EnumMap<>(taxAmt);
  }

  /** Whether any line of the sale fell in {@code band}. */
  public boolean used(KraBand band, Iterable<KraLineAmounts> lines) {
    for (KraLineAmounts line : lines) {
      if (line.band() == band) {
        return true;
      }
    }
    return false;
  }
}
