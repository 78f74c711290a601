package io.fiscald.agent.core;

import io.fiscald.agent.tax.Money;
import java.util.LinkedHashMap;
import java.util.Map;

/** The short JSON a POS gets back for an issued receipt (CLI and API share it). */
public final class ReceiptView {
  private ReceiptView() {}

  public static Map<String, Object> of(IssuedReceipt issued) {
    FiscalReceipt r = issued.receipt();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("receiptNumber", r.receiptNumber());
    view.put("type", r.type().name());
    view.put("deviceId", r.deviceId());
    view.put("dayNo", r.dayNo());
    view.put("dayCounter", r.dayCounter());
    view.put("globalNo", r.globalNo());
    view.put("issuedAt", r.issuedAt());
    view.put("currency", r.currency());
    view.put("total", Money.format(r.totalMinor(), r.minorDigits()));
    view.put("tax", Money.format(r.taxMinor(), r.minorDigits()));
    view.put("change", Money.format(r.changeMinor(), r.minorDigits()));
    view.put("journalSeq", issued.seal().journalSeq());
    view.put("hash", issued.seal().hashHex());
    view.put("verificationCode", issued.seal().verificationCode());
    return view;
  }
}
