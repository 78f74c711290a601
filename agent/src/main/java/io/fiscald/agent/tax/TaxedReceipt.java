package io.fiscald.agent.tax;

import java.util.List;
import java.util.Objects;

/**
 * A request after taxing: lines, one total per tax code (sorted by code), receipt totals and payments,
 * all in minor units of {@code currency} and never negative (a note's sign is applied by its caller).
 *
 * @param netMinor sum of the groups' net amounts
 * @param taxMinor sum of the groups' tax
 * @param totalMinor sum of the groups' gross amounts: what the buyer owes
 * @param paidMinor sum of the payments
 * @param changeMinor what the cashier hands back, {@code paidMinor - totalMinor}, taken from cash
 */
public record TaxedReceipt(
    String currency,
    int minorDigits,
    boolean pricesIncludeTax,
    List<TaxedLine> lines,
    List<TaxTotal> taxes,
    long netMinor,
    long taxMinor,
    long totalMinor,
    List<TaxedPayment> payments,
    long paidMinor,
    long changeMinor) {

  public TaxedReceipt {
    Objects.requireNonNull(currency, "currency");
    lines = List.copyOf(lines);
    taxes = List.copyOf(taxes);
    payments = List.copyOf(payments);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a receipt needs at least one line");
    }
    if (netMinor < 0 || taxMinor < 0 || totalMinor < 0 || paidMinor < 0 || changeMinor < 0) {
      throw new IllegalArgumentException("a taxed receipt has no negative amounts: net " + netMinor + ", tax "
          + taxMinor + ", total " + totalMinor + ", paid " + paidMinor + ", change " + changeMinor);
    }
    if (netMinor != totalMinor - taxMinor) {
      throw new IllegalArgumentException("net " + netMinor + " + tax " + taxMinor + " must equal total " + totalMinor);
    }
    if (totalMinor != paidMinor - changeMinor) {
      throw new IllegalArgumentException("paid " + paidMinor + " - change " + changeMinor + " must equal total " + totalMinor);
    }
    long groupNet = 0;
    long groupTax = 0;
    for (TaxTotal t : taxes) {
      groupNet = Math.addExact(groupNet, t.netMinor());
      groupTax = Math.addExact(groupTax, t.taxMinor());
    }
    if (groupNet != netMinor || groupTax != taxMinor) {
      throw new IllegalArgumentException("the receipt's net and tax must be the sums of its tax groups");
    }
    long paid = 0;
    for (TaxedPayment p : payments) {
      paid = Math.addExact(paid, p.amountMinor());
    }
    if (paid != paidMinor) {
      throw new IllegalArgumentException("paid " + paidMinor + " must be the sum of the payments, " + paid);
    }
  }
}
