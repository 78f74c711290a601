package io.fiscald.agent.print;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.agent.tax.Money;
import java.util.List;

/**
 * What a receipt's QR code says. An authority profile that has a verification link puts it in the
 * receipt's authority fields (the first of {@code qrUrl}, {@code qrCode}, {@code qr}); otherwise the code
 * carries the receipt's own verification data, which {@code fiscalctl} and an auditor can check against
 * the journal.
 */
public final class ReceiptQr {
  private static final List<String> AUTHORITY_KEYS = List.of("qrUrl", "qrCode", "qr");

  private ReceiptQr() {}

  public static String content(FiscalReceipt r, ReceiptSeal seal) {
    for (String key : AUTHORITY_KEYS) {
      String v = r.authorityFields().get(key);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return "FISCALD1|" + r.deviceId() + "|" + r.receiptNumber() + "|" + r.issuedAt() + "|"
        + Money.format(r.totalMinor(), r.minorDigits()) + "|" + r.currency() + "|" + seal.verificationCode();
  }
}
