package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.agent.tax.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * eTIMS's credit-note rules (sheet §15.1) that the fiscal core's generic note checks do not cover: the
 * buyer PIN must equal the original's, no item may be credited beyond what the original sold (KRA does
 * not check cumulative credits, so fiscald must), and the note is never dated before the original.
 */
public final class KraCreditNotes {
  private KraCreditNotes() {}

  /**
   * @param earlierCredits credit notes already issued against {@code original}, not including {@code note}
   * @throws FiscalException CREDIT_NOTE_BUYER_MISMATCH, CREDIT_NOTE_BEFORE_ORIGINAL or CREDIT_EXCEEDS_ORIGINAL
   */
  public static void check(FiscalReceipt note, FiscalReceipt original, List<FiscalReceipt> earlierCredits) {
    if (note.type() != ReceiptType.CREDIT_NOTE || original.type() != ReceiptType.INVOICE) {
      throw new IllegalArgumentException("a credit note against an invoice, got " + note.type() + " against "
          + original.type());
    }
    String notePin = pin(note);
    String originalPin = pin(original);
    if (!Objects.equals(notePin, originalPin)) {
      throw new FiscalException(ErrorCode.CREDIT_NOTE_BUYER_MISMATCH, "the credit note's buyer PIN ("
          + (notePin == null ? "none" : notePin) + ") must equal that of invoice " + original.receiptNumber() + " ("
          + (originalPin == null ? "none" : originalPin) + "); KRA only accepts credit notes with matching PINs",
          Map.of("field", "buyer.tin", "original", original.receiptNumber()));
    }
    if (Instant.parse(note.issuedAt()).isBefore(Instant.parse(original.issuedAt()))) {
      throw new FiscalException(ErrorCode.CREDIT_NOTE_BEFORE_ORIGINAL, "the credit note is dated " + note.issuedAt()
          + ", before invoice " + original.receiptNumber() + " of " + original.issuedAt(),
          Map.of("original", original.receiptNumber()));
    }
    Map<String, BigDecimal> soldQty = new HashMap<>();
    Map<String, Long> soldAmount = new HashMap<>();
    for (FiscalReceipt.Line l : original.lines()) {
      soldQty.merge(key(l), new BigDecimal(l.quantity()), BigDecimal::add);
      soldAmount.merge(key(l), l.amountMinor(), Long::sum);
    }
    Map<String, BigDecimal> creditedQty = new HashMap<>();
    Map<String, Long> creditedAmount = new HashMap<>();
    for (FiscalReceipt earlier : earlierCredits) {
      for (FiscalReceipt.Line l : earlier.lines()) {
        creditedQty.merge(key(l), new BigDecimal(l.quantity()), BigDecimal::add);
        creditedAmount.merge(key(l), l.amountMinor(), Long::sum);
      }
    }
    for (FiscalReceipt.Line l : note.lines()) {
      String k = key(l);
      String field = "lines[" + l.index() + "]";
      if (!soldQty.containsKey(k)) {
        throw new FiscalException(ErrorCode.CREDIT_EXCEEDS_ORIGINAL, field + " (" + l.name() + ", band " + l.taxCode()
            + ") was not sold on invoice " + original.receiptNumber() + "; a credit note may only return what was sold",
            Map.of("field", field, "original", original.receiptNumber()));
      }
      BigDecimal qty = creditedQty.merge(k, new BigDecimal(l.quantity()), BigDecimal::add);
      long amount = creditedAmount.merge(k, l.amountMinor(), Long::sum);
      if (qty.compareTo(soldQty.get(k)) > 0) {
        throw new FiscalException(ErrorCode.CREDIT_EXCEEDS_ORIGINAL, field + ": crediting " + l.quantity() + " of "
            + l.name() + " would bring the credited quantity to " + qty.stripTrailingZeros().toPlainString()
            + ", more than the " + soldQty.get(k).stripTrailingZeros().toPlainString() + " sold on invoice "
            + original.receiptNumber(), Map.of("field", field + ".quantity", "original", original.receiptNumber()));
      }
      if (amount > soldAmount.get(k)) {
        int d = note.minorDigits();
        throw new FiscalException(ErrorCode.CREDIT_EXCEEDS_ORIGINAL, field + ": crediting " + l.name() + " for "
            + Money.format(l.amountMinor(), d) + " would bring its credited amount to " + Money.format(amount, d)
            + ", more than the " + Money.format(soldAmount.get(k), d) + " of invoice " + original.receiptNumber(),
            Map.of("field", field + ".unitPrice", "original", original.receiptNumber()));
      }
    }
  }

  /**
   * The refund reason code (class 32) for a note's free-text reason: a leading code such as {@code 03} if
   * the class has it, else the code whose name the reason contains ("damaged" → 03), else {@code fallback}.
   */
  public static String reasonCode(String reason, List<KraCodeLists.Code> class32, String fallback) {
    if (reason == null) {
      return fallback;
    }
    String text = reason.trim();
    for (KraCodeLists.Code c : class32) {
      if (text.startsWith(c.cd() + " ") || text.equals(c.cd())) {
        return c.cd();
      }
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (KraCodeLists.Code c : class32) {
      if (!c.cdNm().isBlank() && lower.contains(c.cdNm().toLowerCase(Locale.ROOT))) {
        return c.cd();
      }
    }
    return fallback;
  }

  private static String pin(FiscalReceipt r) {
    return r.buyer() == null || r.buyer().tin() == null || r.buyer().tin().isBlank() ? null : r.buyer().tin();
  }

  private static String key(FiscalReceipt.Line l) {
    return KraItem.keyOf(l.code(), l.name(), l.taxCode());
  }
}
