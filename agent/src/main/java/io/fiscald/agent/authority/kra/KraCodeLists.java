package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cached answer of {@code selectCodeList}: code classes with their codes, and the {@code lastReqDt}
 * of the last successful pull (sheet §2, §1.4). Immutable; {@link #merge} applies an incremental pull.
 */
public final class KraCodeLists {
  /** Code class of the tax bands; the rate is in {@code userDfnCd1} (sheet §2). */
  public static final String TAX_TYPE = "04";
  public static final String PAYMENT_TYPE = "07";
  public static final String REFUND_REASON = "32";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode doc;

  private KraCodeLists(ObjectNode doc) {
    this.doc = doc;
  }

  /** Nothing pulled yet: the next pull asks for everything since {@link KraDates#FIRST_PULL}. */
  public static KraCodeLists empty() {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("lastReqDt", KraDates.FIRST_PULL);
    doc.putObject("classes");
    return new KraCodeLists(doc);
  }

  public static KraCodeLists fromJson(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (!(node instanceof ObjectNode o) || !o.has("classes")) {
        throw new IllegalArgumentException("not a code list document");
      }
      return new KraCodeLists(o);
    } catch (Exception e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "the cached KRA code list is not readable: " + e.getMessage());
    }
  }

  public String toJson() {
    return doc.toString();
  }

  public String lastReqDt() {
    return doc.path("lastReqDt").asText(KraDates.FIRST_PULL);
  }

  /**
   * This list with the classes of a {@code selectCodeList} answer ({@code data.clsList[]}) merged in, code
   * by code, and {@code lastReqDt} advanced: only after a successful pull (sheet §1.4).
   */
  public KraCodeLists merge(JsonNode data, String newLastReqDt) {
    ObjectNode copy = doc.deepCopy();
    ObjectNode classes = (ObjectNode) copy.get("classes");
    for (JsonNode cls : data.path("clsList")) {
      String id = cls.path("cdCls").asText();
      ObjectNode target = classes.has(id) ? (ObjectNode) classes.get(id) : classes.putObject(id);
      target.put("cdClsNm", cls.path("cdClsNm").asText(""));
      ObjectNode codes = target.has("codes") ? (ObjectNode) target.get("codes") : target.putObject("codes");
      for (JsonNode d : cls.path("dtlList")) {
        ObjectNode code = JSON.createObjectNode();
        code.put("cd", d.path("cd").asText());
        code.put("cdNm", d.path("cdNm").asText(""));
        code.put("useYn", d.path("useYn").asText("Y"));
        if (d.hasNonNull("userDfnCd1")) {
          code.put("userDfnCd1", d.path("userDfnCd1").asText());
        }
        if (d.hasNonNull("srtOrd")) {
          code.put("srtOrd", d.path("srtOrd").asText());
        }
        codes.set(d.path("cd").asText(), code);
      }
    }
    copy.put("lastReqDt", newLastReqDt);
    return new KraCodeLists(copy);
  }

  /** A code of a class, as eTIMS listed it. */
  public record Code(String cd, String cdNm, String userDfnCd1, boolean inUse) {}

  public List<Code> codes(String cdCls) {
    List<Code> out = new ArrayList<>();
    doc.path("classes").path(cdCls).path("codes").forEach(c -> out.add(new Code(c.path("cd").asText(),
        c.path("cdNm").asText(), c.hasNonNull("userDfnCd1") ? c.get("userDfnCd1").asText() : null,
        !"N".equals(c.path("useYn").asText("Y")))));
    return out;
  }

  public int classCount() {
    return doc.path("classes").size();
  }

  public int codeCount() {
    int n = 0;
    for (JsonNode cls : doc.path("classes")) {
      n += cls.path("codes").size();
    }
    return n;
  }

  /** The band rates of class 04, or empty when the list does not hold all five bands yet. */
  public Optional<KraRates> rates() {
    Map<KraBand, BigDecimal> rates = new EnumMap<>(KraBand.class);
    for (Code code : codes(TAX_TYPE)) {
      Optional<KraBand> band = KraBand.of(code.cd());
      if (band.isPresent() && code.userDfnCd1() != null) {
        try {
          rates.put(band.get(), new BigDecimal(code.userDfnCd1().trim()));
        } catch (NumberFormatException e) {
          throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "code list class 04 gives band " + code.cd()
              + " the rate '" + code.userDfnCd1() + "', which is not a number", Map.of("band", code.cd()));
        }
      }
    }
    return rates.size() == KraBand.ALL.size() ? Optional.of(KraRates.of(rates)) : Optional.empty();
  }

  /** The codes of a class as a JSON array, for {@code fiscalctl kra codes}. */
  public ArrayNode classAsJson(String cdCls) {
    ArrayNode out = JSON.createArrayNode();
    doc.path("classes").path(cdCls).path("codes").forEach(out::add);
    return out;
  }
}
