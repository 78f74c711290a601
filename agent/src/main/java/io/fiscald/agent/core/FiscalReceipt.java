package io.fiscald.agent.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.receipt.ReceiptMode;
import io.fiscald.agent.receipt.ReceiptType;
import java.util.List;
import java.util.Map;

/**
 * A fiscalised receipt exactly as journalled: numbered, taxed, in integer minor units. Its canonical
 * JSON is both the {@code RECEIPT} journal payload and the receipt row's body. Amounts are positive;
 * the {@code type} says whether a note adds to or takes from the day's totals.
 *
 * @param authorityFields what the authority profile adds (signatures, codes); empty for the local profile
 * @param mode null for a NORMAL receipt (left out of the journalled JSON, so NORMAL receipts read as they
 *     always did); TRAINING or PROFORMA for a document that is not a sale — see {@link #receiptMode()}
 */
public record FiscalReceipt(
    String deviceId,
    String authority,
    String receiptNumber,
    ReceiptType type,
    long dayNo,
    long dayCounter,
    long globalNo,
    long invoiceNo,
    String issuedAt,
    String currency,
    int minorDigits,
    boolean pricesIncludeTax,
    List<Line> lines,
    List<Tax> taxes,
    long netMinor,
    long taxMinor,
    long totalMinor,
    List<Paid> payments,
    long paidMinor,
    long changeMinor,
    Buyer buyer,
    String originalNumber,
    String reason,
    Map<String, String> authorityFields,
    @JsonInclude(JsonInclude.Include.NON_NULL) ReceiptMode mode) {

  /** A NORMAL receipt. */
  public FiscalReceipt(String deviceId, String authority, String receiptNumber, ReceiptType type, long dayNo,
      long dayCounter, long globalNo, long invoiceNo, String issuedAt, String currency, int minorDigits,
      boolean pricesIncludeTax, List<Line> lines, List<Tax> taxes, long netMinor, long taxMinor, long totalMinor,
      List<Paid> payments, long paidMinor, long changeMinor, Buyer buyer, String originalNumber, String reason,
      Map<String, String> authorityFields) {
    this(deviceId, authority, receiptNumber, type, dayNo, dayCounter, globalNo, invoiceNo, issuedAt, currency,
        minorDigits, pricesIncludeTax, lines, taxes, netMinor, taxMinor, totalMinor, payments, paidMinor,
        changeMinor, buyer, originalNumber, reason, authorityFields, null);
  }

  @JsonCreator
  public FiscalReceipt {
    mode = mode == ReceiptMode.NORMAL ? null : mode;
    lines = List.copyOf(lines);
    taxes = List.copyOf(taxes);
    payments = List.copyOf(payments);
    authorityFields = authorityFields == null ? Map.of() : Map.copyOf(authorityFields);
  }

  /** NORMAL, TRAINING or PROFORMA. */
  @JsonIgnore
  public ReceiptMode receiptMode() {
    return mode == null ? ReceiptMode.NORMAL : mode;
  }

  /** +1 for invoices and debit notes, -1 for credit notes: how the receipt moves the day's totals. */
  public int sign() {
    return type == ReceiptType.CREDIT_NOTE ? -1 : 1;
  }

  /** One priced line; quantity and unit price keep the POS's exact decimal text. */
  public record Line(
      int index,
      String name,
      String code,
      String hsCode,
      String unit,
      String quantity,
      String unitPrice,
      long discountMinor,
      long amountMinor,
      long grossMinor,
      long netMinor,
      long taxMinor,
      String taxCode) {}

  /** The total of one tax code on this receipt. */
  public record Tax(
      String code, String label, String percent, boolean exempt, long netMinor, long taxMinor, long grossMinor) {}

  /** One tender in minor units. */
  public record Paid(String method, long amountMinor, String reference) {}
}
