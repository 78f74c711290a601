package io.fiscald.agent.tax;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The tax bands a device may charge, looked up by the code each receipt line names. */
public final class TaxTable {
  private final List<TaxRate> rates;
  private final Map<String, TaxRate> byCode;

  /**
   * @throws IllegalArgumentException if the list is empty or two rates share a code
   */
  public TaxTable(List<TaxRate> rates) {
    this.rates = List.copyOf(rates);
    if (this.rates.isEmpty()) {
      throw new IllegalArgumentException("a tax table needs at least one rate");
    }
    Map<String, TaxRate> index = new LinkedHashMap<>();
    for (TaxRate rate : this.rates) {
      if (index.putIfAbsent(rate.code(), rate) != null) {
        throw new IllegalArgumentException("tax code " + rate.code() + " appears twice in the tax table");
      }
    }
    this.byCode = Map.copyOf(index);
  }

  /**
   * Kenya's VAT bands as KRA eTIMS names them: A exempt, B 16%, C zero rated, D non-VAT, E 8%. Used by
   * the local profile and new devices until an authority supplies its own table.
   */
  public static TaxTable kenyaDefault() {
    return new TaxTable(List.of(
        new TaxRate("A", "Exempt", BigDecimal.ZERO, true),
        new TaxRate("B", "VAT 16%", BigDecimal.valueOf(16), false),
        new TaxRate("C", "Zero rated", BigDecimal.ZERO, false),
        new TaxRate("D", "Non-VAT", BigDecimal.ZERO, true),
        new TaxRate("E", "VAT 8%", BigDecimal.valueOf(8), false)));
  }

  public Optional<TaxRate> find(String code) {
    return Optional.ofNullable(code == null ? null : byCode.get(code));
  }

  /**
   * The rate for {@code code}, or a refusal naming the request field and the codes this device knows.
   *
   * @param fieldPath where the code came from, e.g. {@code lines[2].taxCode}
   * @throws FiscalException {@link ErrorCode#UNKNOWN_TAX_CODE}
   */
  public TaxRate require(String code, String fieldPath) {
    return find(code).orElseThrow(() -> {
      List<String> known = rates.stream().map(TaxRate::code).toList();
      StringBuilder listing = new StringBuilder();
      for (TaxRate rate : rates) {
        listing.append(listing.length() == 0 ? "" : ", ").append(rate.code()).append(" (").append(rate.label()).append(')');
      }
      return new FiscalException(ErrorCode.UNKNOWN_TAX_CODE,
          fieldPath + " \"" + code + "\" is not a tax code of this device; use one of " + listing,
          Map.of("field", fieldPath, "taxCode", String.valueOf(code), "known", known));
    });
  }

  /** The rates in the order they were configured. */
  public List<TaxRate> rates() {
    return rates;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaxTable other && rates.equals(other.rates);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rates);
  }

  @Override
  public String toString() {
    return "TaxTable" + rates;
  }
}
