package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.tax.TaxCalculator;
import io.fiscald.agent.tax.TaxRounding;
import io.fiscald.agent.tax.TaxedReceipt;
import java.util.Map;

/**
 * A receipt taxed exactly as the fiscal core would tax it under the KRA profile, but not journalled:
 * what the payload inspector ({@code fiscalctl kra sale-payload}) builds its request from.
 */
public final class KraDraftReceipt {
  private KraDraftReceipt() {}

  public static FiscalReceipt of(ReceiptRequest request, KraRates rates, String receiptNumber, String issuedAt,
      String originalNumber) {
    TaxedReceipt taxed = TaxCalculator.compute(request, rates.toTaxTable(), TaxRounding.PER_LINE);
    var lines = taxed.lines().stream().map(l -> new FiscalReceipt.Line(l.index(), l.name(), l.code(), l.hsCode(),
        l.unit(), l.quantity().toPlainString(), l.unitPrice().toPlainString(), l.discountMinor(), l.amountMinor(),
        l.grossMinor(), l.netMinor(), l.taxMinor(), l.taxCode())).toList();
    var taxes = taxed.taxes().stream().map(t -> new FiscalReceipt.Tax(t.taxCode(), t.label(),
        t.percent().toPlainString(), t.exempt(), t.netMinor(), t.taxMinor(), t.grossMinor())).toList();
    var payments = taxed.payments().stream()
        .map(p -> new FiscalReceipt.Paid(p.method().name(), p.amountMinor(), p.reference())).toList();
    return new FiscalReceipt("DRAFT", KraProfile.NAME, receiptNumber, request.type(), 0, 0, 0, 0, issuedAt,
        taxed.currency(), taxed.minorDigits(), taxed.pricesIncludeTax(), lines, taxes, taxed.netMinor(),
        taxed.taxMinor(), taxed.totalMinor(), payments, taxed.paidMinor(), taxed.changeMinor(), request.buyer(),
        originalNumber, request.reason(), Map.of());
  }
}
