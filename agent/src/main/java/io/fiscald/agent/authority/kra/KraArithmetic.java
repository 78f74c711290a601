package io.fiscald.agent.authority.kra;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * eTIMS amount arithmetic in exact decimal, half-up to 2 decimals (sheet §6.1): what KRA recomputes
 * and rejects on mismatch. Stateless.
 */
public final class KraArithmetic {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private KraArithmetic() {}

  /** Half-up to 2 decimals: the sheet's round2. */
  public static BigDecimal round2(BigDecimal value) {
    return value.setScale(2, RoundingMode.HALF_UP);
  }

  /**
   * One line. Inclusive (live rule): {@code splyAmt = round2(qty × prc)}, {@code taxblAmt =
   * round2((splyAmt − dcAmt) / (1 + rate/100))}, {@code taxAmt = (splyAmt − dcAmt) − taxblAmt},
   * {@code totAmt = taxblAmt + taxAmt}. Exclusive (ODOO): {@code taxblAmt = splyAmt − dcAmt},
   * {@code taxAmt = round2(taxblAmt × rate/100)}.
   *
   * @param ratePercent the band's rate from code class 04, e.g. 16
   */
  public static KraLineAmounts line(KraBand band, BigDecimal qty, BigDecimal prc, BigDecimal dcAmt,
      BigDecimal ratePercent, PriceMode mode) {
    BigDecimal splyAmt = round2(qty.multiply(prc));
    BigDecimal discount = round2(dcAmt);
    BigDecimal amount = splyAmt.subtract(discount);
    BigDecimal dcRt = splyAmt.signum() == 0 ? BigDecimal.ZERO.setScale(2)
        : discount.multiply(HUNDRED).divide(splyAmt, 2, RoundingMode.HALF_UP);
    BigDecimal taxbl;
    BigDecimal tax;
    if (mode == PriceMode.INCLUSIVE) {
      // amount / (1 + r/100) computed as amount × 100 / (100 + r) so the quotient is rounded once, exactly.
      taxbl = amount.multiply(HUNDRED).divide(HUNDRED.add(ratePercent), 2, RoundingMode.HALF_UP);
      tax = amount.subtract(taxbl);
    } else {
      taxbl = amount;
      tax = amount.multiply(ratePercent).divide(HUNDRED, 2, RoundingMode.HALF_UP);
    }
    return new KraLineAmounts(band, qty, prc, splyAmt, dcRt, discount, taxbl, tax, taxbl.add(tax));
  }

  /** The header: per band the sums of the rounded lines (never re-rounded), all five bands present. */
  public static KraTotals totals(List<KraLineAmounts> lines, KraRates rates) {
    Map<KraBand, BigDecimal> taxbl = new EnumMap<>(KraBand.class);
    Map<KraBand, BigDecimal> tax = new EnumMap<>(KraBand.class);
    Map<KraBand, BigDecimal> rt = new EnumMap<>(KraBand.class);
    BigDecimal zero = BigDecimal.ZERO.setScale(2);
    for (KraBand band : KraBand.ALL) {
      taxbl.put(band, zero);
      tax.put(band, zero);
      rt.put(band, rates.rate(band));
    }
    BigDecimal totAmt = zero;
    for (KraLineAmounts line : lines) {
      taxbl.merge(line.band(), line.taxblAmt(), BigDecimal::add);
      tax.merge(line.band(), line.taxAmt(), BigDecimal::add);
      totAmt = totAmt.add(line.totAmt());
    }
    BigDecimal totTaxbl = taxbl.values().stream().reduce(zero, BigDecimal::add);
    BigDecimal totTax = tax.values().stream().reduce(zero, BigDecimal::add);
    return new KraTotals(taxbl, rt, tax, totTaxbl, totTax, totAmt);
  }
}
