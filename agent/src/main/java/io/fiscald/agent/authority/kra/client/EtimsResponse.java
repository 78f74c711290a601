package io.fiscald.agent.authority.kra.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One eTIMS answer normalised from the envelope, the gateway's {@code responseHeader}/{@code responseBody}
 * shapes and plain-text HTTP 400s into one record (sheet §1.2, §9).
 *
 * @param resultCd "000" on success; "001" no new data; a 9xx code, or "400" for a plain-text HTTP 400
 * @param data the envelope's {@code data}, {@link NullNode} when absent
 */
public record EtimsResponse(int httpStatus, String resultCd, String resultMsg, String resultDt, JsonNode data) {

  public EtimsResponse {
    data = data == null ? NullNode.getInstance() : data;
  }

  /** "000", and the other all-zero variants some units send (sheet §9). */
  public boolean succeeded() {
    return resultCd != null && resultCd.matches("0+");
  }

  /** "001": an empty list, not a failure (sheet §9, §17.2). */
  public boolean noData() {
    return "001".equals(resultCd);
  }

  /** 994: overlapped data; a replay that may already be registered (sheet §13). */
  public boolean duplicate() {
    return "994".equals(resultCd);
  }

  /**
   * Worth retrying later as is: rate limit (990), unknown server error (999), 5xx, and codes that say the
   * device itself is not usable right now (900–903, E04, E11), which a technician must fix; never a
   * validation refusal.
   */
  public boolean transientFailure() {
    if (httpStatus >= 500) {
      return true;
    }
    return resultCd != null && (resultCd.equals("990") || resultCd.equals("999") || resultCd.matches("90[0-3]")
        || resultCd.equals("E04") || resultCd.equals("E11") || resultCd.matches("89\\d"));
  }

  /** A short description for logs and outbox errors: {@code 910 Invalid taxblAmt on item: 1 …}. */
  public String describe() {
    return resultCd + " " + (resultMsg == null ? "" : resultMsg);
  }
}
