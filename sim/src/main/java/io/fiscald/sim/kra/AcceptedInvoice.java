package io.fiscald.sim.kra;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A sale ({@code rcptTyCd S}) or credit note ({@code R}) the simulator accepted, with what it returned: receipt
 * counters, internal data, signature, control-unit time and CU identity (sheet §5, §10).
 *
 * <p>{@code taxblAmt}, {@code taxRt} and {@code taxAmt} are keyed by band letter A–E; {@code sdcDateTime} is
 * {@code yyyyMMddHHmmss} in Africa/Nairobi; {@code requestJson} is the body exactly as received.
 */
public record AcceptedInvoice(String tin, String bhfId, long invcNo, long orgInvcNo, String trdInvcNo,
    String rcptTyCd, String salesTyCd, String pmtTyCd, String custTin, String custNm, String salesDt, String cfmDt,
    String rfdDt, String rfdRsnCd, List<InvoiceLine> items, Map<String, BigDecimal> taxblAmt,
    Map<String, BigDecimal> taxRt, Map<String, BigDecimal> taxAmt, BigDecimal totTaxblAmt, BigDecimal totTaxAmt,
    BigDecimal totAmt, long curRcptNo, long totRcptNo, String intrlData, String rcptSign, String sdcDateTime,
    String sdcId, String mrcNo, Transport transport, String requestJson) {

  /** The receipt label of sheet §7 for an accepted (normal) document: {@code NS} or {@code NC}. */
  public String label() {
    return "N" + ("R".equals(rcptTyCd) ? "C" : "S");
  }

  /** {@code CU INVOICE NO.} as the sheet recommends (§11): {@code sdcId/curRcptNo}. */
  public String cuInvoiceNo() {
    return sdcId + "/" + curRcptNo;
  }
}
