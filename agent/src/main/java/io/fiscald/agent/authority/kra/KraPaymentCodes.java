package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.PaymentMethod;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps fiscald's tenders onto the payment codes of class 07 as the authority lists them at run time;
 * the spec has 7 codes and the live list 8, so codes are matched by name with an overridable mapping
 * (sheet §7).
 */
public final class KraPaymentCodes {
  private final Map<PaymentMethod, String> codes;
  private final String cashCredit;

  private KraPaymentCodes(Map<PaymentMethod, String> codes, String cashCredit) {
    this.codes = codes;
    this.cashCredit = cashCredit;
  }

  /**
   * From the class-07 codes, matched by name; {@code overrides} (method name → code) win.
   *
   * @throws FiscalException INVALID_ARGUMENT if a tender has no code at all
   */
  public static KraPaymentCodes from(List<KraCodeLists.Code> class07, Map<String, String> overrides) {
    Map<PaymentMethod, String> map = new EnumMap<>(PaymentMethod.class);
    String cashCredit = null;
    for (KraCodeLists.Code c : class07) {
      String name = c.cdNm().toUpperCase(Locale.ROOT).trim();
      if (name.contains("CASH") && name.contains("CREDIT")) {
        cashCredit = c.cd();
      } else if (name.equals("CASH")) {
        map.putIfAbsent(PaymentMethod.CASH, c.cd());
      } else if (name.equals("CREDIT")) {
        map.putIfAbsent(PaymentMethod.CREDIT, c.cd());
      } else if (name.contains("MOBILE")) {
        map.putIfAbsent(PaymentMethod.MOBILE_MONEY, c.cd());
      } else if (name.contains("CARD")) {
        // "CARD" (live list) is preferred over "DEBIT&CREDIT CARD" when both exist.
        if (name.equals("CARD") || !map.containsKey(PaymentMethod.CARD)) {
          map.put(PaymentMethod.CARD, c.cd());
        }
      } else if (name.contains("BANK")) {
        map.putIfAbsent(PaymentMethod.BANK_TRANSFER, c.cd());
      } else if (name.contains("OTHER")) {
        map.putIfAbsent(PaymentMethod.OTHER, c.cd());
      }
    }
    if (map.containsKey(PaymentMethod.OTHER)) {
      map.putIfAbsent(PaymentMethod.VOUCHER, map.get(PaymentMethod.OTHER));
      map.putIfAbsent(PaymentMethod.BANK_TRANSFER, map.get(PaymentMethod.OTHER));
    }
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      try {
        map.put(PaymentMethod.valueOf(o.getKey().toUpperCase(Locale.ROOT)), o.getValue());
      } catch (IllegalArgumentException e) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "payment code override names '" + o.getKey()
            + "', which is not a tender (CASH, CARD, MOBILE_MONEY, BANK_TRANSFER, CREDIT, VOUCHER, OTHER)");
      }
    }
    return new KraPaymentCodes(map, cashCredit);
  }

  /**
   * The spec's own class-07 table (sheet §7), only for inspecting payloads offline before any code list
   * was pulled; a device always maps with the list it pulled.
   */
  public static List<KraCodeLists.Code> specTable() {
    return List.of(new KraCodeLists.Code("01", "CASH", null, true), new KraCodeLists.Code("02", "CREDIT", null, true),
        new KraCodeLists.Code("03", "CASH/CREDIT", null, true), new KraCodeLists.Code("04", "BANK CHECK", null, true),
        new KraCodeLists.Code("05", "DEBIT&CREDIT CARD", null, true),
        new KraCodeLists.Code("06", "MOBILE MONEY", null, true), new KraCodeLists.Code("07", "OTHER", null, true));
  }

  public String code(PaymentMethod method) {
    String code = codes.get(method);
    if (code == null) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the KRA payment code list has no code for " + method
          + "; map it with a payment code override", Map.of("method", method.name()));
    }
    return code;
  }

  /**
   * One {@code pmtTyCd} for a receipt: its tender's code; cash with credit is CASH/CREDIT where the list has
   * it; otherwise the largest tender decides.
   */
  public String pmtTyCd(List<FiscalReceipt.Paid> payments) {
    java.util.Set<String> methods = new java.util.TreeSet<>();
    FiscalReceipt.Paid largest = null;
    for (FiscalReceipt.Paid p : payments) {
      methods.add(p.method());
      if (largest == null || p.amountMinor() > largest.amountMinor()) {
        largest = p;
      }
    }
    if (largest == null) {
      return code(PaymentMethod.CASH);
    }
    if (cashCredit != null && methods.equals(java.util.Set.of("CASH", "CREDIT"))) {
      return cashCredit;
    }
    return code(PaymentMethod.valueOf(largest.method()));
  }
}
