package io.fiscald.agent.render;

import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.tax.Money;
import io.fiscald.hal.print.DocumentBuilder;
import io.fiscald.hal.print.PlainText;
import io.fiscald.hal.print.PrintDocument;
import java.util.Map;

/** Renders an X or Z report as printer text. */
public final class DayReportText {
  private DayReportText() {}

  public static String render(DayReport report, DeviceSettings shop, int width) {
    return PlainText.render(document(report, shop, width).build());
  }

  /** The report laid out for paper of {@code width} columns; add a cut to print it. */
  public static DocumentBuilder document(DayReport report, DeviceSettings shop, int width) {
    DocumentBuilder t = new DocumentBuilder(width);
    t.center(shop.taxpayerName().toUpperCase(java.util.Locale.ROOT));
    if (shop.taxpayerTin() != null) {
      t.center("TIN: " + shop.taxpayerTin());
    }
    t.rule();
    t.center("Z".equals(report.kind()) ? "Z REPORT - DAY CLOSED" : "X REPORT - DAY STILL OPEN");
    t.split("Device", report.deviceId());
    t.split("Fiscal day", Long.toString(report.dayNo()));
    t.split("Opened", report.openedAt());
    if (report.closedAt() != null) {
      t.split("Closed", report.closedAt());
    } else {
      t.split("Generated", report.generatedAt());
    }
    t.rule();
    t.split("Receipts", Long.toString(report.receiptCount()));
    for (Map.Entry<String, Long> e : report.countsByType().entrySet()) {
      t.split("  " + e.getKey().replace('_', ' '), Long.toString(e.getValue()));
    }
    if (report.firstReceipt() != null) {
      t.split("First / last", report.firstReceipt() + " / " + report.lastReceipt());
    }
    for (DayReport.CurrencyTotals cur : report.currencies()) {
      int d = cur.minorDigits();
      t.doubleRule();
      t.center("TOTALS IN " + cur.currency());
      t.split("Sales", Money.formatGrouped(cur.salesMinor(), d));
      t.split("Debit notes", Money.formatGrouped(cur.debitNotesMinor(), d));
      t.split("Credit notes", "-" + Money.formatGrouped(cur.creditNotesMinor(), d));
      t.split("NET TOTAL", Money.formatGrouped(cur.totalMinor(), d));
      t.split("of which tax", Money.formatGrouped(cur.taxMinor(), d));
      t.rule();
      int c = (width - 10) / 3;
      int[] cols = {10, c, c, width - 10 - 2 * c};
      t.columns(cols, "Tax", "Net", "Tax", "Gross");
      for (DayReport.TaxTotals tax : cur.byTax()) {
        t.columns(cols, tax.code() + " " + tax.percent() + "%", Money.formatGrouped(tax.netMinor(), d),
            Money.formatGrouped(tax.taxMinor(), d), Money.formatGrouped(tax.grossMinor(), d));
      }
      t.rule();
      for (DayReport.PaymentTotals p : cur.byPayment()) {
        t.split(p.method().replace('_', ' '), Money.formatGrouped(p.amountMinor(), d));
      }
    }
    t.doubleRule();
    return t;
  }

  /** The report as printed: the same lines, then the cut. */
  public static PrintDocument paper(DayReport report, DeviceSettings shop, int width) {
    return document(report, shop, width).cut().build();
  }
}
