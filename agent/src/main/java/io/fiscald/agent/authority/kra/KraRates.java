package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.tax.TaxRate;
import io.fiscald.agent.tax.TaxTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The rate of each band A–E as the authority publishes it (code class 04, {@code userDfnCd1}); never
 * hard-coded, because the live gateway and the spec disagree on E (sheet §6.2).
 */
public final class KraRates {
  private final Map<KraBand, BigDecimal> rates;

  private KraRates(Map<KraBand, BigDecimal> rates) {
    this.rates = rates;
  }

  /**
   * Rates for all five bands, percent with at most 2 decimals.
   *
   * @throws FiscalException INVALID_ARGUMENT if a band is missing or a rate is out of range
   */
  public static KraRates of(Map<KraBand, BigDecimal> rates) {
    Map<KraBand, BigDecimal> copy = new EnumMap<>(KraBand.class);
    for (KraBand band : KraBand.ALL) {
      BigDecimal rate = rates.get(band);
      if (rate == null) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "no tax rate for band " + band
            + "; refresh the code list (fiscalctl kra codes refresh) or give it with --rates " + band + "=…",
            Map.of("band", band.name()));
      }
      if (rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0 || rate.stripTrailingZeros().scale() > 2) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "tax rate of band " + band + " must be 0 to 100 with at"
            + " most 2 decimals, got " + rate, Map.of("band", band.name(), "rate", rate.toPlainString()));
      }
      copy.put(band, rate.setScale(2));
    }
    return new KraRates(copy);
  }

  /**
   * Parses {@code B=16,E=8} over a base: the offline override of {@code fiscalctl kra sale-payload --rates}.
   *
   * @param base rates for the bands not named; may be null when all five are given
   */
  public static KraRates parse(String spec, KraRates base) {
    Map<KraBand, BigDecimal> out = new EnumMap<>(KraBand.class);
    if (base != null) {
      out.putAll(base.rates);
    }
    for (String part : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] kv = part.trim().split("=", 2);
      KraBand band = kv.length == 2 ? KraBand.of(kv[0].trim().toUpperCase(java.util.Locale.ROOT)).orElse(null) : null;
      if (band == null) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--rates takes BAND=PERCENT pairs such as B=16,E=8"
            + " (bands A to E), got '" + part.trim() + "'", Map.of("rates", spec));
      }
      try {
        out.put(band, new BigDecimal(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "rate of band " + band + " is not a number: '"
            + kv[1].trim() + "'", Map.of("rates", spec));
      }
    }
    return of(out);
  }

  public BigDecimal rate(KraBand band) {
    return rates.get(band);
  }

  public Map<KraBand, BigDecimal> asMap() {
    return new EnumMap<>(rates);
  }

  /**
   * The tax table the fiscal core charges with: one rate per band; A and D are outside VAT when their
   * rate is 0, C is zero-rated (inside VAT at 0 %).
   */
  public TaxTable toTaxTable() {
    List<TaxRate> list = new ArrayList<>();
    for (KraBand band : KraBand.ALL) {
      BigDecimal rate = rates.get(band);
      boolean exempt = band.outsideVat() && rate.signum() == 0;
      String label = switch (band) {
        case A -> "A-Exempt";
        case D -> "D-Non-VAT";
        default -> band + "-" + rate.stripTrailingZeros().toPlainString() + "%";
      };
      list.add(new TaxRate(band.name(), label, rate, exempt));
    }
    return new TaxTable(list);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KraRates other && rates.equals(other.rates);
  }

  @Override
  public int hashCode() {
    return rates.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    rates.forEach((b, r) -> s.append(s.length() == 0 ? "" : ",").append(b).append('=').append(r.stripTrailingZeros()
        .toPlainString()));
    return s.toString();
  }
}
