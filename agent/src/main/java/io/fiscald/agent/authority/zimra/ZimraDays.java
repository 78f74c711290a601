package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fiscald.agent.core.DayReport;
import io.fiscald.store.CanonicalJson;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fiscal day messages: openDay and closeDay bodies (SPEC §4.6, §4.11) from what the journal holds. */
public final class ZimraDays {
  /** Keys of the Z report's authority fields written by {@link ZimraProfile#dayCloseFields}. */
  public static final String FISCAL_DAY_NO = "fiscalDayNo";
  public static final String FISCAL_DAY_DATE = "fiscalDayDate";
  public static final String FISCAL_DAY_OPENED = "fiscalDayOpened";
  public static final String COUNTERS = "fiscalDayCounters";
  public static final String HASH = "fiscalDayDeviceSignatureHash";
  public static final String SIGNATURE = "fiscalDayDeviceSignature";
  public static final String RECEIPT_COUNTER = "receiptCounter";

  private ZimraDays() {}

  /** openDay: {@code fiscalDayNo} and the local opening time without zone. */
  public static Map<String, Object> openDayBody(long dayNo, String openedAtUtc, ZoneId zone) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fiscalDayNo", dayNo);
    body.put("fiscalDayOpened", ZimraSignatures.RECEIPT_DATE.format(ZimraReceipts.localTime(openedAtUtc, zone)));
    return body;
  }

  /** closeDay: counters in signature order (zero counters never sent), day signature, last receiptCounter. */
  public static Map<String, Object> closeDayBody(DayReport z) {
    Map<String, String> f = z.authorityFields();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fiscalDayNo", Long.parseLong(f.get(FISCAL_DAY_NO)));
    List<Map<String, Object>> counters = CanonicalJson.mapper().convertValue(CanonicalJson.read(f.get(COUNTERS)),
        new TypeReference<List<Map<String, Object>>>() {});
    List<Map<String, Object>> ordered = new ArrayList<>();
    for (Map<String, Object> c : counters) {
      Map<String, Object> o = new LinkedHashMap<>();
      for (String k : List.of("fiscalCounterType", "fiscalCounterCurrency", "fiscalCounterTaxID",
          "fiscalCounterTaxPercent", "fiscalCounterMoneyType", "fiscalCounterValue")) {
        if (c.containsKey(k)) {
          boolean decimal = k.equals("fiscalCounterValue") || k.equals("fiscalCounterTaxPercent");
          o.put(k, decimal ? new java.math.BigDecimal(c.get(k).toString()) : c.get(k));
        }
      }
      ordered.add(o);
    }
    body.put("fiscalDayCounters", ordered);
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("hash", f.get(HASH));
    signature.put("signature", f.get(SIGNATURE));
    body.put("fiscalDayDeviceSignature", signature);
    body.put("receiptCounter", Long.parseLong(f.get(RECEIPT_COUNTER)));
    return body;
  }

  /** The counters as FiscalDayCounter JSON objects; amounts as decimal text so they survive canonical storage. */
  static List<Map<String, Object>> wireCounters(List<ZimraCounter> counters) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ZimraCounter c : counters) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fiscalCounterType", c.type().name());
      m.put("fiscalCounterCurrency", c.currency());
      if (c.type().byTax()) {
        m.put("fiscalCounterTaxID", c.taxId());
        if (c.taxPercent() != null) {
          m.put("fiscalCounterTaxPercent", c.taxPercent().setScale(2, RoundingMode.UNNECESSARY).toPlainString());
        }
      } else {
        m.put("fiscalCounterMoneyType", c.moneyType().name());
      }
      m.put("fiscalCounterValue", ZimraReceipts.money(c.valueCents()).toPlainString());
      out.add(m);
    }
    return out;
  }
}
