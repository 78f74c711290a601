package io.fiscald.agent.receipt;

import java.util.List;
import java.util.Objects;

/**
 * A sale as the POS describes it: fiscald's public contract (see docs/RECEIPT-REQUEST.md).
 * Immutable; parsed and structurally validated by {@link ReceiptRequestParser}.
 *
 * @param buyer optional
 * @param original required for notes, absent for invoices
 * @param reason required for notes
 * @param mode NORMAL unless the POS asks for a training or proforma document
 */
public record ReceiptRequest(
    ReceiptType type,
    String currency,
    boolean pricesIncludeTax,
    List<ReceiptLine> lines,
    List<Payment> payments,
    Buyer buyer,
    OriginalReference original,
    String reason,
    ReceiptMode mode) {

  /** A NORMAL request. */
  public ReceiptRequest(ReceiptType type, String currency, boolean pricesIncludeTax, List<ReceiptLine> lines,
      List<Payment> payments, Buyer buyer, OriginalReference original, String reason) {
    this(type, currency, pricesIncludeTax, lines, payments, buyer, original, reason, ReceiptMode.NORMAL);
  }

  public ReceiptRequest {
    Objects.requireNonNull(type, "type");
    mode = mode == null ? ReceiptMode.NORMAL : mode;
    Objects.requireNonNull(currency, "currency");
    lines = List.copyOf(lines);
    payments = List.copyOf(payments);
  }
}
