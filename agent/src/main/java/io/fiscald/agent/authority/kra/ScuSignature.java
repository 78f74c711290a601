package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the control unit returns for an accepted sale, normalised from both shapes: OSCU
 * {@code curRcptNo/sdcDateTime} (sheet §10) and VSCU {@code rcptNo/vsdcRcptPbctDate/sdcId/mrcNo}
 * (§15.2). Counters arrive as strings or numbers and are kept as integers.
 *
 * @param invcNo the eTIMS invoice number the sale was registered under
 * @param sdcDateTime the control unit's time, {@code yyyyMMddHHmmss}
 * @param sdcId from the answer (VSCU) or else from initialisation (OSCU does not repeat it)
 */
public record ScuSignature(
    long invcNo,
    long curRcptNo,
    long totRcptNo,
    String intrlData,
    String rcptSign,
    String sdcDateTime,
    String sdcId,
    String mrcNo) {

  /**
   * Reads a sale answer's {@code data} (or a lookup's {@code receipt} object).
   *
   * @return empty when the answer lacks the counters or the signature
   */
  public static Optional<ScuSignature> read(JsonNode data, long invcNo, String initSdcId, String initMrcNo) {
    if (data == null || !data.isObject()) {
      return Optional.empty();
    }
    Long cur = number(data, "curRcptNo", "rcptNo");
    Long tot = number(data, "totRcptNo", "totRcptNo");
    String sign = text(data, "rcptSign");
    if (cur == null || sign == null) {
      return Optional.empty();
    }
    String time = text(data, "sdcDateTime");
    if (time == null) {
      time = text(data, "vsdcRcptPbctDate");
    }
    String sdcId = text(data, "sdcId");
    String mrcNo = text(data, "mrcNo");
    return Optional.of(new ScuSignature(invcNo, cur, tot == null ? cur : tot, text(data, "intrlData"), sign,
        time == null ? null : KraDates.normalise(time), sdcId != null ? sdcId : initSdcId,
        mrcNo != null ? mrcNo : initMrcNo));
  }

  /** The stored form (outbox response): plain JSON fields. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("invcNo", invcNo);
    m.put("curRcptNo", curRcptNo);
    m.put("totRcptNo", totRcptNo);
    m.put("intrlData", intrlData);
    m.put("rcptSign", rcptSign);
    m.put("sdcDateTime", sdcDateTime);
    m.put("sdcId", sdcId);
    m.put("mrcNo", mrcNo);
    return m;
  }

  /** Reads {@link #toMap()}'s form back. */
  public static ScuSignature fromStored(JsonNode n) {
    return new ScuSignature(n.path("invcNo").asLong(), n.path("curRcptNo").asLong(), n.path("totRcptNo").asLong(),
        n.path("intrlData").asText(null), n.path("rcptSign").asText(null), n.path("sdcDateTime").asText(null),
        n.path("sdcId").asText(null), n.path("mrcNo").asText(null));
  }

  /** A counter given as {@code "1"} or {@code 1} (sheet §10). */
  private static Long number(JsonNode data, String name, String alternative) {
    JsonNode n = data.hasNonNull(name) ? data.get(name) : data.get(alternative);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.asLong();
    }
    try {
      return Long.parseLong(n.asText().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String text(JsonNode data, String name) {
    JsonNode n = data.get(name);
    return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
  }

  /** {@code sdcId/curRcptNo} (default) or {@code sdcId/invcNo} (ODOO), per the device's setting (sheet §11). */
  public String cuInvoiceNo(String format) {
    return sdcId + "/" + (KraConfig.CU_NO_INVOICE.equals(format) ? invcNo : curRcptNo);
  }
}
