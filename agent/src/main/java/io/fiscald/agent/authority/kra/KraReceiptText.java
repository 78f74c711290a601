package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.tax.Money;
import io.fiscald.hal.print.DocumentBuilder;
import io.fiscald.hal.print.PlainText;
import io.fiscald.hal.print.PrintDocument;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The eTIMS receipt as a thermal printer prints it (TIS v2.0 as quoted in sheet §11): header with the PIN,
 * buyer, lines with their band letters, totals, payments, items number, the per-band tax table, the
 * {@code SCU INFORMATION} block with the QR code (§12) and the {@code TIS INFORMATION} block. Credit notes
 * print negative amounts, the original's CU number and the approval sentence.
 */
public final class KraReceiptText {
  /** TIS p.10, verbatim. */
  public static final String CREDIT_NOTE_APPROVAL = "CREDIT NOTE IS APPROVED ONLY FOR ORIGINAL SALES RECEIPT";
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private KraReceiptText() {}

  /** The receipt as on-screen text (the same document the printer gets, without QR image and cut). */
  public static String render(FiscalReceipt r, DeviceSettings shop, KraPrint p, int width) {
    return PlainText.render(document(r, shop, p, width, false, null));
  }

  /**
   * The receipt as a printer document; on {@code paper} it also carries the QR code (when signed) and the cut.
   *
   * @param note a line under the title (a retried print that may be partly on paper already), or null
   */
  public static PrintDocument document(FiscalReceipt r, DeviceSettings shop, KraPrint p, int width, boolean paper,
      String note) {
    Text t = new Text(width);
    int d = r.minorDigits();
    boolean credit = p.label().credit();
    PriceMode mode = r.pricesIncludeTax() ? PriceMode.INCLUSIVE : PriceMode.EXCLUSIVE;
    KraRates rates = SalePayloadBuilder.ratesOfReceipt(r, p.rates());
    List<KraLineAmounts> lines = new ArrayList<>();
    for (FiscalReceipt.Line line : r.lines()) {
      KraBand band = KraBand.of(line.taxCode()).orElseThrow();
      lines.add(KraArithmetic.line(band, new BigDecimal(line.quantity()), new BigDecimal(line.unitPrice()),
          Money.fromMinor(line.discountMinor(), d), rates.rate(band), mode));
    }
    KraTotals totals = KraArithmetic.totals(lines, rates);
    boolean official = p.scu() != null && !p.label().watermarked();

    if (!official) {
      t.center("*** " + KraLabel.WATERMARK + " ***");
    }
    t.center("[KRA LOGO]");
    t.center(shop.taxpayerName().toUpperCase(Locale.ROOT));
    if (shop.branchName() != null) {
      t.center(shop.branchName());
    }
    if (shop.branchAddress() != null) {
      t.center(shop.branchAddress());
    }
    t.center("PIN: " + p.pin());
    if (p.scu() == null && p.label().mode() == SaleMode.NORMAL) {
      // Sheet §15.2: until the control unit signs, what prints is not a fiscal document.
      t.center((p.rejection() != null ? "REFUSED BY KRA - NOT A " : "PROVISIONAL SLIP - NOT A ")
          + (credit ? "CREDIT NOTE" : "TAX INVOICE"));
    } else {
      t.center(credit ? "CREDIT NOTE" : "TAX INVOICE");
    }
    if (p.label().mode() != SaleMode.NORMAL) {
      t.center(p.label().mode().name() + " (" + p.label().name() + ")");
    }
    if (note != null) {
      t.center(note);
    }
    t.rule();
    if (credit) {
      t.left("ORIGINAL CU INVOICE NO.#: " + (p.originalCuInvoiceNo() == null ? "(pending)" : p.originalCuInvoiceNo()));
      t.left("REASON: " + (r.reason() == null ? "" : r.reason()));
    }
    if (r.buyer() != null) {
      if (r.buyer().tin() != null) {
        t.left("Buyer PIN: " + r.buyer().tin());
      }
      if (r.buyer().name() != null) {
        t.left("Buyer Name: " + r.buyer().name());
      }
    }
    if (credit || r.buyer() != null) {
      t.rule();
    }
    for (int i = 0; i < lines.size(); i++) {
      KraLineAmounts a = lines.get(i);
      FiscalReceipt.Line line = r.lines().get(i);
      t.left(line.name());
      // Sheet §11: the line total carries its band letter, e.g. 6,720.00B; exempt prints A-EX.
      String letter = a.band() == KraBand.A ? "A-EX" : a.band().name();
      t.split("  " + plain(a.qty()) + " x " + price(a.prc()), signed(credit, a.splyAmt()) + letter);
      if (a.dcAmt().signum() > 0) {
        t.split("  discount " + plain(a.dcRt()) + "%", (credit ? "" : "-") + money(a.dcAmt()));
      }
    }
    t.rule();
    BigDecimal before = lines.stream().map(KraLineAmounts::splyAmt).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal discount = lines.stream().map(KraLineAmounts::dcAmt).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal exempt = lines.stream().filter(a -> a.band() == KraBand.A).map(KraLineAmounts::totAmt)
        .reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    t.split("TOTAL BEFORE DISCOUNT", signed(credit, before));
    t.split("TOTAL DISCOUNT AWARDED", money(discount));
    t.split("TAX EXEMPT", signed(credit, exempt));
    t.split("SUB TOTAL", signed(credit, totals.totTaxblAmt()));
    t.split("VAT", signed(credit, totals.totTaxAmt()));
    t.split("TOTAL", signed(credit, totals.totAmt()));
    t.rule();
    for (FiscalReceipt.Paid paid : r.payments()) {
      t.split(paid.method().replace('_', ' ') + (paid.reference() != null ? " " + paid.reference() : ""),
          (credit ? "-" : "") + Money.formatGrouped(paid.amountMinor(), d));
    }
    if (r.changeMinor() > 0) {
      t.split("CHANGE", Money.formatGrouped(r.changeMinor(), d));
    }
    t.split("ITEMS NUMBER", String.valueOf(lines.size()));
    t.rule();
    int c = (width - 12) / 2;
    int[] cols = {12, c, width - 12 - c};
    t.columns(cols, "RATE", "TAXABLE AMT", "VAT");
    for (KraBand band : KraBand.ALL) {
      boolean used = lines.stream().anyMatch(a -> a.band() == band);
      // Sheet §11.5: all five bands by default (as a live certified receipt does); used only as a setting.
      if (p.printUsedBandsOnly() && !used) {
        continue;
      }
      t.columns(cols, bandLabel(band, totals.taxRt().get(band)), signed(credit, totals.taxblAmt().get(band)),
          signed(credit, totals.taxAmt().get(band)));
    }
    if (credit) {
      for (KraBand band : KraBand.ALL) {
        if (lines.stream().anyMatch(a -> a.band() == band)) {
          t.split("TOTAL " + bandLabel(band, totals.taxRt().get(band)),
              "-" + money(totals.taxblAmt().get(band).add(totals.taxAmt().get(band))));
          t.split("TOTAL TAX " + band, "-" + money(totals.taxAmt().get(band)));
        }
      }
    }
    t.rule();
    t.center("SCU INFORMATION");
    ScuSignature s = p.scu();
    if (s == null && p.rejection() != null) {
      t.left("REFUSED BY KRA: " + p.rejection());
      t.left("This is not a tax invoice. Fix the cause and issue the sale again.");
    } else if (s == null && p.label().mode() != SaleMode.NORMAL && p.label().mode() != SaleMode.COPY) {
      t.left("NOT SENT TO KRA: " + p.label().mode().name().toLowerCase(Locale.ROOT) + " document, never signed");
    } else if (s == null) {
      t.left("PENDING: not yet signed by the KRA control unit");
      t.left("This slip is provisional; the fiscal receipt prints when the signature arrives.");
    } else {
      LocalDateTime cu = KraDates.parse(s.sdcDateTime()).orElse(null);
      t.left(cu == null ? "Date: " + s.sdcDateTime() : "Date: " + DATE.format(cu) + "  Time: " + TIME.format(cu));
      t.left("SCU ID: " + s.sdcId());
      t.left("CU INVOICE NO.: " + s.cuInvoiceNo(p.cuInvoiceNoFormat()));
      t.left("RECEIPT NUMBER: " + s.curRcptNo() + "/" + s.totRcptNo() + " " + p.label().name());
      t.left("Internal Data:");
      t.left(dashed(s.intrlData()));
      t.left("Receipt Signature:");
      t.left(dashed(s.rcptSign()));
      t.left("QR code (verification URL):");
      t.left(p.qrUrl());
      if (paper) {
        t.qr(p.qrUrl());
      }
    }
    t.rule();
    t.center("TIS INFORMATION");
    LocalDateTime issued = LocalDateTime.ofInstant(Instant.parse(r.issuedAt()), KraDates.NAIROBI);
    t.left("Invoice Number: " + r.receiptNumber());
    t.left("Date: " + DATE.format(issued) + "  Time: " + TIME.format(issued));
    if (credit) {
      t.left(CREDIT_NOTE_APPROVAL);
    }
    t.rule();
    if (!official) {
      t.center("*** " + KraLabel.WATERMARK + " ***");
    }
    t.center("THANK YOU");
    if (paper) {
      t.cut();
    }
    return t.build();
  }

  /** TIS §6.23.6/7: internal data and signature printed in groups of four joined by dashes. */
  public static String dashed(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(value.length() + value.length() / 4);
    for (int i = 0; i < value.length(); i += 4) {
      out.append(i == 0 ? "" : "-").append(value, i, Math.min(i + 4, value.length()));
    }
    return out.toString();
  }

  /** {@code A-EX}, {@code B-16.00%}, {@code D-NON-VAT} as the tax table prints a band. */
  static String bandLabel(KraBand band, BigDecimal rate) {
    if (band == KraBand.A && rate.signum() == 0) {
      return "A-EX";
    }
    if (band == KraBand.D && rate.signum() == 0) {
      return "D-NON-VAT";
    }
    return band + "-" + rate.setScale(2).toPlainString() + "%";
  }

  /** Credit notes print their amounts negative (TIS p.10); zero stays 0.00. */
  private static String signed(boolean credit, BigDecimal amount) {
    return (credit && amount.signum() != 0 ? "-" : "") + money(amount);
  }

  private static String money(BigDecimal amount) {
    return Money.formatGrouped(amount.setScale(2, java.math.RoundingMode.UNNECESSARY).unscaledValue().longValueExact(), 2);
  }

  /** A unit price with at least 2 decimals, more if the POS sent more (fuel at 179.455). */
  private static String price(BigDecimal value) {
    return value.scale() < 2 ? value.setScale(2).toPlainString() : value.toPlainString();
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().scale() < 0 ? value.setScale(0).toPlainString()
        : value.stripTrailingZeros().toPlainString();
  }

  /** The eTIMS layout's lines, laid out by the shared printer document builder and read back as text. */
  private static final class Text {
    private final DocumentBuilder doc;

    Text(int width) {
      if (width < 32) {
        throw new IllegalArgumentException("eTIMS receipts need at least 32 columns, got " + width);
      }
      this.doc = new DocumentBuilder(width);
    }

    void center(String s) {
      doc.center(s);
    }

    void left(String s) {
      doc.left(s);
    }

    void split(String left, String right) {
      doc.split(left, right);
    }

    void columns(int[] widths, String... cells) {
      doc.columns(widths, cells);
    }

    void rule() {
      doc.rule();
    }

    void qr(String data) {
      doc.qr(data);
    }

    void cut() {
      doc.cut();
    }

    PrintDocument build() {
      return doc.build();
    }
  }
}
