package io.fiscald.agent.profile;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.agent.tax.TaxRounding;
import io.fiscald.agent.tax.TaxTable;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The profile with no tax authority: receipts are numbered, taxed by the device's own tax table,
 * chained and signed in the journal, and nothing is submitted anywhere. The journal signature is the
 * receipt's signature, so a receipt costs one signing operation.
 */
public final class LocalProfile implements AuthorityProfile {
  public static final String NAME = "local";

  private final TaxTable taxTable;
  private final TaxRounding rounding;

  public LocalProfile(DeviceSettings settings) {
    this.taxTable = settings.taxTable();
    this.rounding = settings.taxRounding();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TaxTable taxTable() {
    return taxTable;
  }

  @Override
  public TaxRounding taxRounding() {
    return rounding;
  }

  @Override
  public String receiptNumber(ReceiptType type, long invoiceNo) {
    // String.format("%s-%06d") without the Formatter: it was a tenth of the writer thread's Java samples
    String digits = Long.toString(invoiceNo);
    if (invoiceNo < 0 || digits.length() >= 6) {
      return invoiceNo < 0 ? String.format("%s-%06d", type.numberPrefix(), invoiceNo) : type.numberPrefix() + "-" + digits;
    }
    return type.numberPrefix() + "-" + "000000".substring(digits.length()) + digits;
  }

  @Override
  public Map<String, String> authorityFields(FiscalReceipt receipt, AuthorityContext context) {
    return Map.of();
  }

  @Override
  public Optional<String> outboxMessageType() {
    return Optional.empty();
  }

  @Override
  public List<String> fiscalBlock(FiscalReceipt receipt, ReceiptSeal seal) {
    String signature = Base64.getEncoder().encodeToString(seal.signature());
    return List.of(
        "Device: " + receipt.deviceId(),
        "Journal seq: " + seal.journalSeq(),
        "Verification code: " + seal.verificationCode(),
        "Signature: " + signature.substring(0, Math.min(24, signature.length())) + "...",
        "Not reported to a tax authority (local profile)");
  }
}
