package io.fiscald.agent.authority.zimra;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a journalled {@link FiscalReceipt} onto ZIMRA's wire {@code Receipt} (SPEC §4.7): receipt types,
 * signed amounts (credit notes negative), lines with discount lines, tax lines in signature order,
 * payments net of change, the original's reference, and the signature fields the profile stored. A pure
 * function of the stored receipt, so a retry after a timeout sends byte-identical JSON.
 */
public final class ZimraReceipts {
  /** Keys of {@link FiscalReceipt#authorityFields()} that the ZIMRA profile writes. */
  public static final String RECEIPT_DATE = "receiptDate";
  public static final String HASH = "receiptHash";
  public static final String SIGNATURE = "receiptSignature";
  public static final String QR_DATA = "qrData";
  public static final String VERIFICATION_CODE = "verificationCode";
  public static final String QR_URL = "qrUrl";
  public static final String DEVICE_SERIAL = "deviceSerialNo";
  public static final String ORIGINAL_DEVICE_ID = "originalDeviceId";
  public static final String ORIGINAL_GLOBAL_NO = "originalGlobalNo";
  public static final String ORIGINAL_DAY_NO = "originalFiscalDayNo";
  public static final String ORIGINAL_DATE = "originalReceiptDate";
  public static final String ORIGINAL_INVOICE_NO = "originalInvoiceNo";

  private ZimraReceipts() {}

  /** FiscalInvoice, CreditNote or DebitNote. */
  public static String receiptType(ReceiptType type) {
    return switch (type) {
      case INVOICE -> "FiscalInvoice";
      case CREDIT_NOTE -> "CreditNote";
      case DEBIT_NOTE -> "DebitNote";
    };
  }

  /** A journal timestamp (UTC) as ZIMRA local time without zone or milliseconds. */
  public static LocalDateTime localTime(String utcTimestamp, ZoneId zone) {
    return LocalDateTime.ofInstant(Instant.parse(utcTimestamp), zone).withNano(0);
  }

  /** Minor units of a currency with {@code digits} decimals as ZIMRA cents (two decimals). */
  static long cents(long minor, int digits) {
    return digits == 2 ? minor
        : BigDecimal.valueOf(minor, digits).movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  /** The receipt's tax lines, signed, in signature order (taxID ascending; fiscald sends no taxCode). */
  public static List<ZimraTaxLine> taxLines(FiscalReceipt r) {
    int sign = r.sign();
    List<ZimraTaxLine> out = new ArrayList<>();
    for (FiscalReceipt.Tax t : r.taxes()) {
      out.add(new ZimraTaxLine(Long.parseLong(t.code()), null, t.exempt() ? null : new BigDecimal(t.percent()),
          sign * cents(t.taxMinor(), r.minorDigits()), sign * cents(t.grossMinor(), r.minorDigits())));
    }
    out.sort(ZimraTaxLine.SIGNATURE_ORDER);
    return out;
  }

  /** Payments as ZIMRA counts them: signed, net of the change handed back from cash (RCPT039). */
  public static List<Map.Entry<ZimraMoneyType, Long>> payments(FiscalReceipt r) {
    long change = r.changeMinor();
    List<Map.Entry<ZimraMoneyType, Long>> out = new ArrayList<>();
    List<FiscalReceipt.Paid> paid = r.payments();
    long[] amounts = new long[paid.size()];
    for (int i = 0; i < paid.size(); i++) {
      amounts[i] = paid.get(i).amountMinor();
    }
    // change comes out of cash, last cash tender first
    for (int i = paid.size() - 1; i >= 0 && change > 0; i--) {
      if (PaymentMethod.CASH.name().equals(paid.get(i).method())) {
        long taken = Math.min(change, amounts[i]);
        amounts[i] -= taken;
        change -= taken;
      }
    }
    for (int i = 0; i < paid.size(); i++) {
      ZimraMoneyType type = ZimraMoneyType.of(PaymentMethod.valueOf(paid.get(i).method()));
      out.add(Map.entry(type, r.sign() * cents(amounts[i], r.minorDigits())));
    }
    return out;
  }

  /** This receipt's contribution to the day's fiscal counters (SPEC §6). */
  public static List<ZimraCounter> counters(FiscalReceipt r) {
    ZimraCounterType byTax = switch (r.type()) {
      case INVOICE -> ZimraCounterType.SaleByTax;
      case CREDIT_NOTE -> ZimraCounterType.CreditNoteByTax;
      case DEBIT_NOTE -> ZimraCounterType.DebitNoteByTax;
    };
    ZimraCounterType taxByTax = ZimraCounterType.values()[byTax.ordinal() + 1];
    List<ZimraCounter> out = new ArrayList<>();
    for (ZimraTaxLine t : taxLines(r)) {
      out.add(ZimraCounter.byTax(byTax, r.currency(), t.taxId(), t.taxPercent(), t.salesAmountWithTaxCents()));
      out.add(ZimraCounter.byTax(taxByTax, r.currency(), t.taxId(), t.taxPercent(), t.taxAmountCents()));
    }
    for (Map.Entry<ZimraMoneyType, Long> p : payments(r)) {
      out.add(ZimraCounter.balance(r.currency(), p.getKey(), p.getValue()));
    }
    return out;
  }

  /** Adds {@code more} into {@code totals}, keyed by type, currency and tax or money type. */
  public static void accumulate(Map<String, ZimraCounter> totals, List<ZimraCounter> more) {
    for (ZimraCounter c : more) {
      String key = c.type() + "|" + c.currency() + "|" + c.taxId() + "|" + ZimraSignatures.percent(c.taxPercent())
          + "|" + c.moneyType();
      totals.merge(key, c, (a, b) -> a.plus(b.valueCents()));
    }
  }

  /** The wire {@code Receipt} of a receipt the ZIMRA profile fiscalised, in the gateway's field order. */
  public static Map<String, Object> wire(FiscalReceipt r) {
    Map<String, String> f = r.authorityFields();
    int sign = r.sign();
    int digits = r.minorDigits();
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("receiptType", receiptType(r.type()));
    w.put("receiptCurrency", r.currency());
    w.put("receiptCounter", r.dayCounter());
    w.put("receiptGlobalNo", r.globalNo());
    w.put("invoiceNo", r.receiptNumber());
    if (r.buyer() != null) {
      Map<String, Object> buyer = new LinkedHashMap<>();
      buyer.put("buyerRegisterName", r.buyer().name());
      buyer.put("buyerTIN", r.buyer().tin());
      w.put("buyerData", buyer);
    }
    if (r.reason() != null) {
      w.put("receiptNotes", r.reason());
    }
    w.put("receiptDate", f.get(RECEIPT_DATE));
    if (r.type().isNote()) {
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("deviceID", Long.parseLong(f.get(ORIGINAL_DEVICE_ID)));
      ref.put("receiptGlobalNo", Long.parseLong(f.get(ORIGINAL_GLOBAL_NO)));
      ref.put("fiscalDayNo", Long.parseLong(f.get(ORIGINAL_DAY_NO)));
      w.put("creditDebitNote", ref);
    }
    w.put("receiptLinesTaxInclusive", r.pricesIncludeTax());
    Map<String, BigDecimal> percentByCode = new LinkedHashMap<>();
    for (FiscalReceipt.Tax t : r.taxes()) {
      percentByCode.put(t.code(), t.exempt() ? null : new BigDecimal(t.percent()).setScale(2, RoundingMode.UNNECESSARY));
    }
    List<Map<String, Object>> lines = new ArrayList<>();
    int lineNo = 0;
    for (FiscalReceipt.Line l : r.lines()) {
      long extended = cents(l.amountMinor() + l.discountMinor(), digits);
      BigDecimal price = new BigDecimal(l.unitPrice());
      lines.add(line("Sale", ++lineNo, l.hsCode(), l.name(), sign < 0 ? price.negate() : price,
          new BigDecimal(l.quantity()), sign * extended, percentByCode.get(l.taxCode()), l.taxCode()));
      if (l.discountMinor() > 0) {
        // ZIMRA §4.7: a discount is its own line, priced below zero on an invoice (RCPT022)
        long discount = cents(l.discountMinor(), digits);
        lines.add(line("Discount", ++lineNo, l.hsCode(), "Discount " + l.name(), money(-sign * discount),
            BigDecimal.ONE, -sign * discount, percentByCode.get(l.taxCode()), l.taxCode()));
      }
    }
    w.put("receiptLines", lines);
    List<Map<String, Object>> taxes = new ArrayList<>();
    for (ZimraTaxLine t : taxLines(r)) {
      Map<String, Object> tax = new LinkedHashMap<>();
      if (t.taxPercent() != null) {
        tax.put("taxPercent", t.taxPercent().setScale(2, RoundingMode.UNNECESSARY));
      }
      tax.put("taxID", t.taxId());
      tax.put("taxAmount", money(t.taxAmountCents()));
      tax.put("salesAmountWithTax", money(t.salesAmountWithTaxCents()));
      taxes.add(tax);
    }
    w.put("receiptTaxes", taxes);
    List<Map<String, Object>> payments = new ArrayList<>();
    for (Map.Entry<ZimraMoneyType, Long> p : payments(r)) {
      Map<String, Object> pay = new LinkedHashMap<>();
      pay.put("moneyTypeCode", p.getKey().name());
      pay.put("paymentAmount", money(p.getValue()));
      payments.add(pay);
    }
    w.put("receiptPayments", payments);
    w.put("receiptTotal", money(sign * cents(r.totalMinor(), digits)));
    w.put("receiptPrintForm", "Receipt48");
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("hash", f.get(HASH));
    signature.put("signature", f.get(SIGNATURE));
    w.put("receiptDeviceSignature", signature);
    return w;
  }

  private static Map<String, Object> line(String type, int no, String hsCode, String name, BigDecimal price,
      BigDecimal quantity, long totalCents, BigDecimal percent, String taxCode) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("receiptLineType", type);
    m.put("receiptLineNo", no);
    if (hsCode != null) {
      m.put("receiptLineHSCode", hsCode);
    }
    m.put("receiptLineName", name);
    m.put("receiptLinePrice", price);
    m.put("receiptLineQuantity", quantity);
    m.put("receiptLineTotal", money(totalCents));
    if (percent != null) {
      m.put("taxPercent", percent);
    }
    m.put("taxID", Long.parseLong(taxCode));
    return m;
  }
}
