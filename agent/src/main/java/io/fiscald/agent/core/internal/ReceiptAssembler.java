package io.fiscald.agent.core.internal;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.tax.TaxedReceipt;
import java.util.List;
import java.util.Map;

/** Turns a taxed request and its numbers into the journalled {@link FiscalReceipt}. */
final class ReceiptAssembler {
  private ReceiptAssembler() {}

  /**
   * What of a receipt does not depend on its numbers: its lines, taxes and payments and their JSON. Made
   * on the caller's thread when the request is queued, so the single writer only numbers and chains.
   */
  record Prepared(ReceiptRequest request, TaxedReceipt taxed, List<FiscalReceipt.Line> lines,
      List<FiscalReceipt.Tax> taxes, List<FiscalReceipt.Paid> payments, ReceiptJson.Parts json) {}

  static Prepared prepare(ReceiptRequest request, TaxedReceipt taxed) {
    var lines = taxed.lines().stream().map(l -> new FiscalReceipt.Line(l.index(), l.name(), l.code(), l.hsCode(),
        l.unit(), l.quantity().toPlainString(), l.unitPrice().toPlainString(), l.discountMinor(), l.amountMinor(),
        l.grossMinor(), l.netMinor(), l.taxMinor(), l.taxCode())).toList();
    var taxes = taxed.taxes().stream().map(t -> new FiscalReceipt.Tax(t.taxCode(), t.label(),
        t.percent().toPlainString(), t.exempt(), t.netMinor(), t.taxMinor(), t.grossMinor())).toList();
    var payments = taxed.payments().stream()
        .map(p -> new FiscalReceipt.Paid(p.method().name(), p.amountMinor(), p.reference())).toList();
    return new Prepared(request, taxed, lines, taxes, payments,
        ReceiptJson.Parts.of(lines, taxes, payments, request.buyer()));
  }

  static FiscalReceipt assemble(String deviceId, String authority, String receiptNumber, Prepared prepared,
      long dayNo, long dayCounter, long globalNo, long invoiceNo, String issuedAt,
      String originalNumber, Map<String, String> authorityFields) {
    ReceiptRequest request = prepared.request();
    TaxedReceipt taxed = prepared.taxed();
    return new FiscalReceipt(deviceId, authority, receiptNumber, request.type(), dayNo, dayCounter, globalNo,
        invoiceNo, issuedAt, taxed.currency(), taxed.minorDigits(), taxed.pricesIncludeTax(), prepared.lines(),
        prepared.taxes(), taxed.netMinor(), taxed.taxMinor(), taxed.totalMinor(), prepared.payments(),
        taxed.paidMinor(), taxed.changeMinor(), request.buyer(), originalNumber, request.reason(), authorityFields,
        request.mode());
  }

  static FiscalReceipt withAuthorityFields(FiscalReceipt r, Map<String, String> fields) {
    if (fields.isEmpty()) {
      return r;
    }
    return new FiscalReceipt(r.deviceId(), r.authority(), r.receiptNumber(), r.type(), r.dayNo(), r.dayCounter(),
        r.globalNo(), r.invoiceNo(), r.issuedAt(), r.currency(), r.minorDigits(), r.pricesIncludeTax(), r.lines(),
        r.taxes(), r.netMinor(), r.taxMinor(), r.totalMinor(), r.payments(), r.paidMinor(), r.changeMinor(),
        r.buyer(), r.originalNumber(), r.reason(), fields, r.mode());
  }
}
