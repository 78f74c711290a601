package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.sign.Signer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RCPT020 debugger: rebuilds the receipt device signature string and hash from a receipt in the
 * gateway's own {@code Receipt} JSON (as sent to SubmitReceipt), and with a key the signature, QR data,
 * verification code and QR URL; it also names the usual causes of RCPT020 it can see in the JSON.
 */
public final class ZimraSignatureDebugger {
  private ZimraSignatureDebugger() {}

  /**
   * @param json a {@code Receipt}, or a SubmitReceipt body {@code {"receipt": {...}}}
   * @param previousHash null for the first receipt of the day
   * @param signer null to compute only the string and hash
   * @param qrUrl null to leave out {@code qrUrl}
   */
  public static Map<String, Object> explain(JsonNode json, long deviceId, String previousHash, Signer signer,
      String qrUrl, EcdsaEncoding encoding, QrDataSource qrSource, RoundingMode rounding) {
    JsonNode r = json.has("receipt") ? json.get("receipt") : json;
    List<String> warnings = new ArrayList<>();
    String type = required(r, "receiptType");
    String currency = required(r, "receiptCurrency");
    long globalNo = r.path("receiptGlobalNo").asLong(-1);
    if (globalNo < 0) {
      throw missing("receiptGlobalNo");
    }
    String date = required(r, "receiptDate");
    try {
      LocalDateTime parsed = LocalDateTime.parse(date, ZimraSignatures.RECEIPT_DATE);
      if (!ZimraSignatures.RECEIPT_DATE.format(parsed).equals(date)) {
        warnings.add("receiptDate is not exactly YYYY-MM-DDTHH:mm:ss");
      }
    } catch (DateTimeParseException e) {
      warnings.add("receiptDate '" + date + "' is not YYYY-MM-DDTHH:mm:ss (no milliseconds, no zone): the string "
          + "uses it as written, FDMS will not");
    }
    long total = cents(r, "receiptTotal", rounding, warnings, "receiptTotal");
    List<ZimraTaxLine> taxes = new ArrayList<>();
    int i = 0;
    for (JsonNode t : r.path("receiptTaxes")) {
      String at = "receiptTaxes[" + i++ + "]";
      if (!t.hasNonNull("taxID")) {
        throw missing(at + ".taxID");
      }
      BigDecimal percent = t.hasNonNull("taxPercent") ? t.get("taxPercent").decimalValue() : null;
      taxes.add(new ZimraTaxLine(t.get("taxID").asLong(), t.hasNonNull("taxCode") ? t.get("taxCode").asText() : null,
          percent, cents(t, "taxAmount", rounding, warnings, at), cents(t, "salesAmountWithTax", rounding, warnings,
          at)));
    }
    if (taxes.isEmpty()) {
      warnings.add("receiptTaxes is empty (RCPT017)");
    }
    String string = ZimraSignatures.receiptString(deviceId, type, currency, globalNo, date, total, taxes,
        previousHash);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("signatureString", string);
    out.put("hash", ZimraSignatures.hashBase64(string));
    JsonNode sent = r.path("receiptDeviceSignature");
    if (sent.hasNonNull("hash") && !sent.get("hash").asText().equals(out.get("hash"))) {
      warnings.add("the receipt's receiptDeviceSignature.hash differs from the recomputed hash: the string it was "
          + "made from differs (tax order, x.00 percents, cents, date, previous hash)");
    }
    if (previousHash == null && r.path("receiptCounter").asLong(1) > 1) {
      warnings.add("receiptCounter > 1 but no --previous-hash: only the day's first receipt has none");
    }
    if (signer != null) {
      String signature = ZimraSignatures.signBase64(signer, string, encoding);
      String qrData = ZimraQr.qrData(signature, qrSource);
      out.put("signature", signature);
      out.put("qrData", qrData);
      out.put("verificationCode", ZimraQr.verificationCode(qrData));
      if (qrUrl != null) {
        out.put("qrUrl", ZimraQr.qrUrl(qrUrl, deviceId, LocalDateTime.parse(date.substring(0, 19)).toLocalDate(),
            globalNo, qrData));
      }
    }
    out.put("warnings", warnings);
    return out;
  }

  private static long cents(JsonNode n, String field, RoundingMode rounding, List<String> warnings, String at) {
    if (!n.hasNonNull(field)) {
      throw missing(at.equals(field) ? field : at + "." + field);
    }
    BigDecimal v = n.get(field).decimalValue();
    if (v.stripTrailingZeros().scale() > 2) {
      warnings.add(at + (at.equals(field) ? "" : "." + field) + " has more than 2 decimals (" + v.toPlainString()
          + "); rounded " + rounding + " to cents");
    }
    return ZimraSignatures.cents(v, rounding);
  }

  private static String required(JsonNode n, String field) {
    if (!n.hasNonNull(field)) {
      throw missing(field);
    }
    return n.get(field).asText();
  }

  private static FiscalException missing(String field) {
    return new FiscalException(ErrorCode.INVALID_FIELD, "the receipt JSON has no " + field
        + " (expected the gateway's Receipt shape, as sent to SubmitReceipt)", Map.of("field", field));
  }
}
