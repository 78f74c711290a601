package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a KRA receipt stands with the control unit, read from its outbox row: SIGNED with the SCU data,
 * PENDING (journalled, not yet signed), REJECTED by eTIMS, or NOT_SENT (training and proforma documents,
 * which eTIMS does not receive). What the API answers as {@code fiscalSignature}, GET shows, and the print
 * worker decides on.
 *
 * @param signature the control unit's answer when SIGNED, else null
 * @param stored the stored answer (label, cuInvoiceNo, qrUrl, ...) when SIGNED or REJECTED, else null
 * @param error eTIMS's refusal when REJECTED, the last transient error while PENDING, else null
 * @param attempts failed attempts so far while PENDING (eTIMS unreachable or busy)
 */
public record KraFiscalSignature(State state, ScuSignature signature, JsonNode stored, String error, int attempts) {

  /** The four states, as the API spells them. */
  public enum State { SIGNED, PENDING, REJECTED, NOT_SENT }

  /** The state of receipt row {@code receiptId} as committed now. */
  public static KraFiscalSignature of(Connection c, long receiptId) {
    return of(Outbox.latestForReceipt(c, receiptId));
  }

  /** The state given the receipt's outbox row (empty: the receipt was never queued for eTIMS). */
  public static KraFiscalSignature of(Optional<OutboxMessage> row) {
    if (row.isEmpty()) {
      return new KraFiscalSignature(State.NOT_SENT, null, null, null, 0);
    }
    OutboxMessage m = row.get();
    JsonNode stored = m.response() == null ? null : CanonicalJson.read(m.response());
    return switch (m.status()) {
      case "SENT" -> new KraFiscalSignature(State.SIGNED, ScuSignature.fromStored(stored), stored, null, m.attempts());
      case "REJECTED" -> new KraFiscalSignature(State.REJECTED, null, stored, m.lastError(), m.attempts());
      default -> new KraFiscalSignature(State.PENDING, null, null, m.lastError(), m.attempts());
    };
  }

  public boolean settled() {
    return state != State.PENDING;
  }

  /**
   * The API's {@code fiscalSignature} object: the SCU data when signed (sdcId, CU invoice number, counters
   * with label, internal data, receipt signature, SCU date/time, QR URL), else the state and what to do.
   *
   * @param config the device's settings, for the QR URL and CU number of answers stored before they were kept
   */
  public Map<String, Object> toView(KraConfig config) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("state", state.name());
    switch (state) {
      case SIGNED -> {
        ScuSignature s = signature;
        String label = stored.path("label").asText("NS");
        v.put("sdcId", s.sdcId());
        v.put("mrcNo", s.mrcNo());
        v.put("invcNo", s.invcNo());
        v.put("cuInvoiceNo", stored.hasNonNull("cuInvoiceNo") ? stored.get("cuInvoiceNo").asText()
            : s.cuInvoiceNo(config.cuInvoiceNoFormat()));
        v.put("curRcptNo", s.curRcptNo());
        v.put("totRcptNo", s.totRcptNo());
        v.put("label", label);
        v.put("receiptCounter", s.curRcptNo() + "/" + s.totRcptNo() + " " + label);
        v.put("internalData", s.intrlData());
        v.put("receiptSignature", s.rcptSign());
        v.put("scuDateTime", s.sdcDateTime());
        v.put("qrUrl", stored.hasNonNull("qrUrl") ? stored.get("qrUrl").asText()
            : qrUrl(config, s.rcptSign()));
      }
      case PENDING -> {
        v.put("message", "journalled; the KRA control unit has not signed it yet. The signature comes as the"
            + " receipt.synced webhook and in GET /v1/receipts/{number}; the receipt prints when it arrives");
        v.put("lastError", error);
      }
      case REJECTED -> {
        v.put("message", "eTIMS refused the receipt: it is not a tax invoice; fix the cause and issue it again");
        v.put("error", error);
        v.put("resultCd", stored == null ? null : stored.path("resultCd").asText(null));
      }
      case NOT_SENT -> v.put("message", "training and proforma documents are not sent to eTIMS and are never"
          + " signed (sheet §7); they print watermarked THIS IS NOT AN OFFICIAL RECEIPT");
      default -> throw new IllegalStateException(state.name());
    }
    return v;
  }

  /** The state at commit, before any answer: PENDING, or NOT_SENT for a label eTIMS does not receive. */
  public static KraFiscalSignature atCommit(KraLabel label) {
    boolean sent = label.mode() == SaleMode.NORMAL;
    return new KraFiscalSignature(sent ? State.PENDING : State.NOT_SENT, null, null, null, 0);
  }

  /** The verification URL (sheet §12) of a signature. */
  static String qrUrl(KraConfig config, String rcptSign) {
    return config.verificationBase() + "/common/link/etims/receipt/indexEtimsReceiptData?Data=" + config.pin()
        + config.bhfId() + rcptSign;
  }
}
