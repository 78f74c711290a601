package io.fiscald.agent.render;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.tax.Money;
import java.util.List;

/**
 * Renders a fiscal receipt as the text a thermal printer prints (32, 42 or 48 columns): header,
 * lines with their tax codes, totals, the per-tax table, payments, buyer, the profile's fiscal block.
 */
public final class ReceiptText {
  private ReceiptText() {}

  /**
   * @param fiscalBlock the authority profile's lines (verification code, signature, ...)
   * @param copyNumber 0 for the original; a reprint is marked as a copy
   */
  public static String render(FiscalReceipt r, DeviceSettings shop, List<String> fiscalBlock, int copyNumber,
      int width) {
    int digits = r.minorDigits();
    TextLayout t = new TextLayout(width);
    t.center(shop.taxpayerName().toUpperCase(java.util.Locale.ROOT));
    if (shop.branchName() != null) {
      t.center(shop.branchName());
    }
    if (shop.branchAddress() != null) {
      t.center(shop.branchAddress());
    }
    if (shop.taxpayerTin() != null) {
      t.center("TIN: " + shop.taxpayerTin());
    }
    t.rule();
    t.center(title(r));
    if (copyNumber > 0) {
      t.center("*** COPY " + copyNumber + " - NOT A FISCAL RECEIPT ***");
    }
    t.split("No: " + r.receiptNumber(), "Day " + r.dayNo() + " #" + r.dayCounter());
    t.split("Date: " + r.issuedAt().replace('T', ' ').replace("Z", " UTC"), "G#" + r.globalNo());
    if (r.originalNumber() != null) {
      t.left("Ref. receipt: " + r.originalNumber());
      t.left("Reason: " + r.reason());
    }
    t.rule();
    for (FiscalReceipt.Line line : r.lines()) {
      t.left(line.name());
      String qty = line.quantity() + (line.unit() != null ? " " + line.unit() : "") + " x "
          + price(line.unitPrice(), digits);
      t.split("  " + qty, Money.formatGrouped(line.amountMinor(), digits) + " " + line.taxCode());
      if (line.discountMinor() > 0) {
        t.split("  discount", "-" + Money.formatGrouped(line.discountMinor(), digits) + "  ");
      }
    }
    t.rule();
    t.split("TOTAL " + r.currency(), Money.formatGrouped(r.totalMinor(), digits));
    t.split("of which tax", Money.formatGrouped(r.taxMinor(), digits));
    t.rule();
    int c = (width - 10) / 3;
    int[] cols = {10, c, c, width - 10 - 2 * c};
    t.columns(cols, "Tax", "Net", "Tax", "Gross");
    for (FiscalReceipt.Tax tax : r.taxes()) {
      String name = tax.code() + " " + (tax.exempt() ? "EX" : tax.percent() + "%");
      t.columns(cols, name, Money.formatGrouped(tax.netMinor(), digits),
          Money.formatGrouped(tax.taxMinor(), digits), Money.formatGrouped(tax.grossMinor(), digits));
    }
    t.rule();
    for (FiscalReceipt.Paid p : r.payments()) {
      t.split(p.method().replace('_', ' ') + (p.reference() != null ? " " + p.reference() : ""),
          Money.formatGrouped(p.amountMinor(), digits));
    }
    if (r.changeMinor() > 0) {
      t.split("CHANGE", Money.formatGrouped(r.changeMinor(), digits));
    }
    if (r.buyer() != null) {
      t.rule();
      if (r.buyer().name() != null) {
        t.left("Buyer: " + r.buyer().name());
      }
      if (r.buyer().tin() != null) {
        t.left("Buyer TIN: " + r.buyer().tin());
      }
    }
    t.doubleRule();
    fiscalBlock.forEach(t::left);
    t.doubleRule();
    return t.toString();
  }

  /** At least the currency's decimals ({@code 1500} prints as {@code 1500.00}), more if the POS sent more. */
  private static String price(String unitPrice, int digits) {
    java.math.BigDecimal p = new java.math.BigDecimal(unitPrice);
    return p.scale() < digits ? p.setScale(digits).toPlainString() : p.toPlainString();
  }

  private static String title(FiscalReceipt r) {
    return switch (r.type()) {
      case INVOICE -> "FISCAL INVOICE";
      case CREDIT_NOTE -> "CREDIT NOTE";
      case DEBIT_NOTE -> "DEBIT NOTE";
    };
  }
}
