package io.fiscald.agent.authority.kra;

import io.fiscald.agent.authority.kra.client.EtimsCallException;
import io.fiscald.agent.authority.kra.client.EtimsClient;
import io.fiscald.agent.authority.kra.client.EtimsEndpoint;
import io.fiscald.agent.authority.kra.client.EtimsResponse;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.Timestamps;
import java.sql.Connection;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pulls the code lists, item classifications, notices and branches with {@code lastReqDt} and caches
 * them (sheet §1.4, §15.3): "001" means no new data, not failure, and {@code lastReqDt} advances only
 * after a successful pull.
 */
public final class KraCodes {
  private KraCodes() {}

  /** What one refresh found, per kind: "updated", "unchanged" (001) or the error. */
  public record Result(Map<String, String> kinds, KraCodeLists codes) {}

  public static Result refresh(Connection c, EtimsClient client, Clock clock) {
    Map<String, String> kinds = new LinkedHashMap<>();
    String now = Timestamps.format(clock.instant());
    KraCodeLists codes = KraState.codes(c);
    EtimsResponse r = call(client, EtimsEndpoint.CODE_LIST, codes.lastReqDt());
    if (r.succeeded()) {
      codes = codes.merge(r.data(), r.resultDt() != null ? r.resultDt() : KraDates.stamp(clock.instant()));
      KraState.putCodes(c, codes, now);
      kinds.put("codes", "updated");
    } else if (r.noData()) {
      kinds.put("codes", "unchanged");
    } else {
      throw refused("selectCodeList", r);
    }
    for (var kind : Map.of(KraState.ITEM_CLASSES, EtimsEndpoint.ITEM_CLASS_LIST, KraState.NOTICES,
        EtimsEndpoint.NOTICE_LIST, KraState.BRANCHES, EtimsEndpoint.BRANCH_LIST).entrySet()) {
      var stored = KraState.document(c, kind.getKey());
      String last = stored.map(n -> n.path("lastReqDt").asText(KraDates.FIRST_PULL)).orElse(KraDates.FIRST_PULL);
      EtimsResponse answer;
      try {
        answer = call(client, kind.getValue(), last);
      } catch (FiscalException e) {
        kinds.put(kind.getKey(), "error: " + e.getMessage());
        continue;
      }
      if (answer.succeeded()) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("lastReqDt", answer.resultDt() != null ? answer.resultDt() : KraDates.stamp(clock.instant()));
        doc.put("data", answer.data());
        KraState.putDocument(c, kind.getKey(), doc, now);
        kinds.put(kind.getKey(), "updated");
      } else if (answer.noData()) {
        kinds.put(kind.getKey(), "unchanged");
      } else {
        kinds.put(kind.getKey(), "error: " + answer.describe());
      }
    }
    return new Result(kinds, codes);
  }

  private static EtimsResponse call(EtimsClient client, EtimsEndpoint endpoint, String lastReqDt) {
    try {
      return client.call(endpoint, Map.of("lastReqDt", lastReqDt));
    } catch (EtimsCallException e) {
      throw new FiscalException(ErrorCode.AUTHORITY_UNAVAILABLE, "eTIMS did not answer " + endpoint + ": "
          + e.getMessage(), Map.of("endpoint", endpoint.name()), e);
    }
  }

  static FiscalException refused(String what, EtimsResponse r) {
    ErrorCode code = r.transientFailure() ? ErrorCode.AUTHORITY_UNAVAILABLE : ErrorCode.AUTHORITY_REFUSED;
    return new FiscalException(code, "eTIMS answered " + what + " with " + r.describe(),
        Map.of("resultCd", String.valueOf(r.resultCd()), "resultMsg", String.valueOf(r.resultMsg())));
  }
}
