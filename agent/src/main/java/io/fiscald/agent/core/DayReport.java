package io.fiscald.agent.core;

import java.util.List;
import java.util.Map;

/**
 * A fiscal day's totals: the Z report when the day is closed, an X report while it is open. Amounts
 * are signed minor units: credit notes count negative.
 *
 * @param kind {@code Z} or {@code X}
 * @param closedAt null for an X report
 */
public record DayReport(
    String kind,
    String deviceId,
    long dayNo,
    String openedAt,
    String closedAt,
    String generatedAt,
    long receiptCount,
    Map<String, Long> countsByType,
    String firstReceipt,
    String lastReceipt,
    List<CurrencyTotals> currencies,
    Map<String, String> authorityFields) {

  public DayReport {
    countsByType = Map.copyOf(countsByType);
    currencies = List.copyOf(currencies);
    authorityFields = authorityFields == null ? Map.of() : Map.copyOf(authorityFields);
  }

  /** The same report with the authority's fields replaced (the audit recomputes the rest). */
  public DayReport withAuthorityFields(Map<String, String> fields) {
    return new DayReport(kind, deviceId, dayNo, openedAt, closedAt, generatedAt, receiptCount, countsByType,
        firstReceipt, lastReceipt, currencies, fields);
  }

  /** The day's totals in one currency. */
  public record CurrencyTotals(
      String currency,
      int minorDigits,
      long salesMinor,
      long debitNotesMinor,
      long creditNotesMinor,
      long totalMinor,
      long taxMinor,
      List<TaxTotals> byTax,
      List<PaymentTotals> byPayment) {

    public CurrencyTotals {
      byTax = List.copyOf(byTax);
      byPayment = List.copyOf(byPayment);
    }
  }

  /** Per tax code, signed. */
  public record TaxTotals(String code, String label, String percent, long netMinor, long taxMinor, long grossMinor) {}

  /** Per payment method, signed; cash is net of change given. */
  public record PaymentTotals(String method, long amountMinor) {}
}
