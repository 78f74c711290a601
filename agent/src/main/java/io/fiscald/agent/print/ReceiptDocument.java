package io.fiscald.agent.print;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.profile.ReceiptHeader;
import io.fiscald.agent.tax.Money;
import io.fiscald.hal.print.Align;
import io.fiscald.hal.print.DocumentBuilder;
import io.fiscald.hal.print.PrintDocument;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Lays a fiscal receipt out as a {@link PrintDocument} (32, 42 or 48 columns): header, lines with their
 * tax codes, totals, the per-tax table, payments, buyer, the profile's fiscal block, and — on paper — the
 * QR code, the cut and the drawer kick. The on-screen text ({@code ReceiptText}) is this same document.
 */
public final class ReceiptDocument {
  private ReceiptDocument() {}

  /**
   * What to print besides the receipt itself.
   *
   * @param copyNumber 0 for the original; a reprint is marked as a copy
   * @param qrContent the QR code's data, or null for none (screen text)
   * @param note a line under the title (e.g. a retried print), or null
   * @param paper true to end with cut and, for a cash sale's original, the drawer kick
   */
  public record Options(int copyNumber, String qrContent, String note, boolean paper) {
    public static Options screen(int copyNumber) {
      return new Options(copyNumber, null, null, false);
    }
  }

  public static PrintDocument build(FiscalReceipt r, DeviceSettings shop, List<String> fiscalBlock, int width,
      Options options) {
    return build(r, shop, fiscalBlock, null, width, options);
  }

  /**
   * @param header the authority's header and layout rules ({@code AuthorityProfile.header}), or null for the
   *     generic header from {@code shop}
   */
  public static PrintDocument build(FiscalReceipt r, DeviceSettings shop, List<String> fiscalBlock,
      ReceiptHeader header, int width, Options options) {
    int digits = r.minorDigits();
    DocumentBuilder t = new DocumentBuilder(width);
    if (options.paper()) {
      t.logo();
    }
    if (header != null) {
      t.styled(header.name().toUpperCase(Locale.ROOT), Align.CENTER, true, false);
      header.lines().forEach(t::center);
    } else {
      t.styled(shop.taxpayerName().toUpperCase(Locale.ROOT), Align.CENTER, true, false);
      if (shop.branchName() != null) {
        t.center(shop.branchName());
      }
      if (shop.branchAddress() != null) {
        t.center(shop.branchAddress());
      }
      if (shop.taxpayerTin() != null) {
        t.center("TIN: " + shop.taxpayerTin());
      }
    }
    t.rule();
    t.title(header != null ? header.title() : title(r));
    if (options.copyNumber() > 0) {
      t.styled(copyMarking(options.copyNumber()), Align.CENTER, true, false);
    }
    if (options.note() != null) {
      t.center(options.note());
    }
    if (header == null) {
      t.split("No: " + r.receiptNumber(), "Day " + r.dayNo() + " #" + r.dayCounter());
      t.split("Date: " + r.issuedAt().replace('T', ' ').replace("Z", " UTC"), "G#" + r.globalNo());
    }
    if (header != null && !header.buyer().isEmpty()) {
      t.rule();
      header.buyer().forEach(t::left);
    }
    if (header != null && !header.reference().isEmpty()) {
      t.rule();
      header.reference().forEach(t::left);
    }
    if (r.originalNumber() != null) {
      if (header == null || header.reference().isEmpty()) {
        t.left("Ref. receipt: " + r.originalNumber());
      }
      t.left("Reason: " + r.reason());
    }
    t.rule();
    for (FiscalReceipt.Line line : r.lines()) {
      t.left(header != null && header.hsCodes() && line.hsCode() != null
          ? line.hsCode() + " " + line.name() : line.name());
      String qty = line.quantity() + (line.unit() != null ? " " + line.unit() : "") + " x "
          + price(line.unitPrice(), digits);
      t.split("  " + qty, Money.formatGrouped(line.amountMinor(), digits) + " " + line.taxCode());
      if (line.discountMinor() > 0) {
        t.split("  discount", "-" + Money.formatGrouped(line.discountMinor(), digits) + "  ");
      }
    }
    t.rule();
    t.split(header != null && header.totalLabel() != null ? header.totalLabel() : "TOTAL " + r.currency(),
        Money.formatGrouped(r.totalMinor(), digits), true);
    if (header == null || header.taxTable()) {
      t.split("of which tax", Money.formatGrouped(r.taxMinor(), digits));
    }
    if (header != null && header.itemCount()) {
      t.split("Number of items", itemCount(r));
    }
    t.rule();
    if (header == null || header.taxTable()) {
      int c = (width - 10) / 3;
      int[] cols = {10, c, c, width - 10 - 2 * c};
      t.columns(cols, "Tax", "Net", "Tax", "Gross");
      for (FiscalReceipt.Tax tax : r.taxes()) {
        String name = tax.code() + " " + (tax.exempt() ? "EX" : tax.percent() + "%");
        t.columns(cols, name, Money.formatGrouped(tax.netMinor(), digits),
            Money.formatGrouped(tax.taxMinor(), digits), Money.formatGrouped(tax.grossMinor(), digits));
      }
      t.rule();
    }
    for (FiscalReceipt.Paid p : r.payments()) {
      t.split(p.method().replace('_', ' ') + (p.reference() != null ? " " + p.reference() : ""),
          Money.formatGrouped(p.amountMinor(), digits));
    }
    if (r.changeMinor() > 0) {
      t.split("CHANGE", Money.formatGrouped(r.changeMinor(), digits));
    }
    if (r.buyer() != null && header == null) {
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
    if (options.qrContent() != null) {
      t.qr(options.qrContent());
    }
    if (options.copyNumber() > 0 && options.paper()) {
      t.styled(copyMarking(options.copyNumber()), Align.CENTER, true, false);
    }
    if (options.paper()) {
      if (options.copyNumber() == 0 && r.payments().stream().anyMatch(p -> p.method().equals("CASH"))) {
        t.kickDrawer(PrintDocument.DrawerPin.PIN_2);
      }
      t.cut();
    }
    return t.build();
  }

  /** The marking on every reprint: it is not a second fiscal receipt. */
  public static String copyMarking(int copyNumber) {
    return "*** COPY " + copyNumber + " - NOT A FISCAL RECEIPT ***";
  }

  /** The sum of the lines' quantities, always positive (ZIMRA §10.3 item 39: 4 + 0.555 = 4.555). */
  static String itemCount(FiscalReceipt r) {
    BigDecimal n = BigDecimal.ZERO;
    for (FiscalReceipt.Line line : r.lines()) {
      n = n.add(new BigDecimal(line.quantity()).abs());
    }
    return n.stripTrailingZeros().toPlainString();
  }

  /** At least the currency's decimals ({@code 1500} prints as {@code 1500.00}), more if the POS sent more. */
  private static String price(String unitPrice, int digits) {
    BigDecimal p = new BigDecimal(unitPrice);
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
