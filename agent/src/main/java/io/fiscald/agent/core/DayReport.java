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
    List<CurrencyTotals> currencies) {

  public DayReport {
    countsByType = Map.copyOf(countsByType);
    currencies = List.copyOf(currencies);
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
