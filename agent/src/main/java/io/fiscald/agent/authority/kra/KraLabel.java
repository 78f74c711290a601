package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.util.Map;

/**
 * The receipt label printed beside the counters: sales type + receipt type (TIS §4.3, sheet §7), e.g.
 * {@code NS} a normal sale, {@code NC} a normal credit note. Everything but N carries the watermark.
 */
public enum KraLabel {
  NS(SaleMode.NORMAL, false),
  NC(SaleMode.NORMAL, true),
  CS(SaleMode.COPY, false),
  CC(SaleMode.COPY, true),
  TS(SaleMode.TRAINING, false),
  TC(SaleMode.TRAINING, true),
  PS(SaleMode.PROFORMA, false);

  /** TIS §11: printed at least twice the size of the amounts on every copy, training and proforma receipt. */
  public static final String WATERMARK = "THIS IS NOT AN OFFICIAL RECEIPT";

  private final SaleMode mode;
  private final boolean credit;

  KraLabel(SaleMode mode, boolean credit) {
    this.mode = mode;
    this.credit = credit;
  }

  /**
   * The label of a document.
   *
   * @throws FiscalException INVALID_ARGUMENT for a proforma credit note, which eTIMS does not have
   */
  public static KraLabel of(SaleMode mode, boolean credit) {
    for (KraLabel label : values()) {
      if (label.mode == mode && label.credit == credit) {
        return label;
      }
    }
    throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "eTIMS has no proforma credit note; only a proforma sale (PS)",
        Map.of("salesTyCd", mode.salesTyCd(), "rcptTyCd", "R"));
  }

  /**
   * The label a journalled receipt was issued under ({@link KraProfile#LABEL_FIELD}); NS or NC for receipts
   * journalled without one.
   */
  public static KraLabel ofReceipt(io.fiscald.agent.core.FiscalReceipt r) {
    String stored = r.authorityFields().get(KraProfile.LABEL_FIELD);
    if (stored != null) {
      for (KraLabel label : values()) {
        if (label.name().equals(stored)) {
          return label;
        }
      }
    }
    return r.type() == io.fiscald.agent.receipt.ReceiptType.CREDIT_NOTE ? NC : NS;
  }

  public SaleMode mode() {
    return mode;
  }

  public boolean credit() {
    return credit;
  }

  /** {@code salesTyCd}: N, C, T or P (code class 14). */
  public String salesTyCd() {
    return mode.salesTyCd();
  }

  /** {@code rcptTyCd}: S sale or R credit note after sale (code class 37). */
  public String rcptTyCd() {
    return credit ? "R" : "S";
  }

  /** The copy's label: a reprint of NS prints CS, of NC prints CC (sheet §7); other labels are not reprinted as copies. */
  public KraLabel copy() {
    return switch (this) {
      case NS, CS -> CS;
      case NC, CC -> CC;
      default -> this;
    };
  }

  /** Whether the receipt must carry {@link #WATERMARK}. */
  public boolean watermarked() {
    return mode != SaleMode.NORMAL;
  }
}
