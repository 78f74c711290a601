package io.fiscald.agent.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds X and Z reports from a day's receipts; a pure function so the audit can recompute them. */
public final class DayReports {
  private DayReports() {}

  public static DayReport build(String kind, String deviceId, long dayNo, String openedAt, String closedAt,
      String generatedAt, List<FiscalReceipt> receipts) {
    Tally tally = new Tally();
    for (FiscalReceipt r : receipts) {
      tally.add(r);
    }
    return tally.report(kind, deviceId, dayNo, openedAt, closedAt, generatedAt);
  }

  /**
   * A day's running totals, receipt by receipt: what {@link #build} computes, without keeping the
   * receipts (the audit of a million-receipt day holds one tally, not a million receipts). Tallies of
   * consecutive runs of receipts {@linkplain #addAll merge} into the tally of the whole run.
   */
  public static final class Tally {
    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, Accumulator> byCurrency = new TreeMap<>();
    private long receiptCount;
    private String first;
    private String last;

    public void add(FiscalReceipt r) {
      receiptCount++;
      if (first == null) {
        first = r.receiptNumber();
      }
      last = r.receiptNumber();
      if (r.receiptMode() != io.fiscald.agent.receipt.ReceiptMode.NORMAL) {
        // Training and proforma documents are journalled but are not sales: counted apart, never totalled.
        counts.merge(r.receiptMode().name() + "_" + r.type().name(), 1L, Long::sum);
        return;
      }
      counts.merge(r.type().name(), 1L, Long::sum);
      byCurrency.computeIfAbsent(r.currency(), cur -> new Accumulator(cur, r.minorDigits())).add(r);
    }

    /** Adds the receipts {@code later} tallied, which come after this tally's receipts. */
    public void addAll(Tally later) {
      if (later.receiptCount == 0) {
        return;
      }
      receiptCount += later.receiptCount;
      if (first == null) {
        first = later.first;
      }
      last = later.last;
      later.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
      later.byCurrency.forEach((cur, acc) -> byCurrency.computeIfAbsent(cur, c -> new Accumulator(c, acc.digits))
          .addAll(acc));
    }

    public long receiptCount() {
      return receiptCount;
    }

    public DayReport report(String kind, String deviceId, long dayNo, String openedAt, String closedAt,
        String generatedAt) {
      return new DayReport(kind, deviceId, dayNo, openedAt, closedAt, generatedAt, receiptCount, counts,
          first, last, byCurrency.values().stream().map(Accumulator::totals).toList(), Map.of());
    }
  }

  /** Running totals of one currency. */
  private static final class Accumulator {
    private final String currency;
    private final int digits;
    private long sales;
    private long debitNotes;
    private long creditNotes;
    private long tax;
    private final Map<String, long[]> taxes = new TreeMap<>();
    private final Map<String, String[]> taxLabels = new TreeMap<>();
    private final Map<String, Long> payments = new LinkedHashMap<>();

    Accumulator(String currency, int digits) {
      this.currency = currency;
      this.digits = digits;
    }

    void add(FiscalReceipt r) {
      int sign = r.sign();
      switch (r.type()) {
        case INVOICE -> sales = Math.addExact(sales, r.totalMinor());
        case DEBIT_NOTE -> debitNotes = Math.addExact(debitNotes, r.totalMinor());
        case CREDIT_NOTE -> creditNotes = Math.addExact(creditNotes, r.totalMinor());
      }
      tax = Math.addExact(tax, sign * r.taxMinor());
      for (FiscalReceipt.Tax t : r.taxes()) {
        long[] sums = taxes.computeIfAbsent(t.code(), c -> new long[3]);
        sums[0] = Math.addExact(sums[0], sign * t.netMinor());
        sums[1] = Math.addExact(sums[1], sign * t.taxMinor());
        sums[2] = Math.addExact(sums[2], sign * t.grossMinor());
        taxLabels.putIfAbsent(t.code(), new String[] {t.label(), t.percent()});
      }
      for (FiscalReceipt.Paid p : r.payments()) {
        payments.merge(p.method(), sign * p.amountMinor(), Math::addExact);
      }
      if (r.changeMinor() != 0) {
        payments.merge("CASH", -sign * r.changeMinor(), Math::addExact);
      }
    }

    /** Adds the totals of a later run of receipts: labels of the first receipt of a tax code win, as in add. */
    void addAll(Accumulator later) {
      sales = Math.addExact(sales, later.sales);
      debitNotes = Math.addExact(debitNotes, later.debitNotes);
      creditNotes = Math.addExact(creditNotes, later.creditNotes);
      tax = Math.addExact(tax, later.tax);
      later.taxes.forEach((code, s) -> {
        long[] sums = taxes.computeIfAbsent(code, c -> new long[3]);
        for (int i = 0; i < 3; i++) {
          sums[i] = Math.addExact(sums[i], s[i]);
        }
      });
      later.taxLabels.forEach(taxLabels::putIfAbsent);
      later.payments.forEach((method, amount) -> payments.merge(method, amount, Math::addExact));
    }

    DayReport.CurrencyTotals totals() {
      List<DayReport.TaxTotals> byTax = taxes.entrySet().stream()
          .map(e -> new DayReport.TaxTotals(e.getKey(), taxLabels.get(e.getKey())[0],
              taxLabels.get(e.getKey())[1], e.getValue()[0], e.getValue()[1], e.getValue()[2]))
          .toList();
      List<DayReport.PaymentTotals> byPayment = new TreeMap<>(payments).entrySet().stream()
          .map(e -> new DayReport.PaymentTotals(e.getKey(), e.getValue()))
          .toList();
      long total = sales + debitNotes - creditNotes;
      return new DayReport.CurrencyTotals(currency, digits, sales, debitNotes, creditNotes, total, tax, byTax,
          byPayment);
    }
  }
}
