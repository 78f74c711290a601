package io.fiscald.sim.kra;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The code classes the simulator serves from {@code selectCodeList} and validates against (sheet §7). */
final class CodeTables {
  /** One class of codes: its number, name and codes in order (code → name). */
  record CodeClass(String cdCls, String cdClsNm, Map<String, String> codes) {
  }

  private final Map<String, CodeClass> classes = new LinkedHashMap<>();
  private final Map<String, BigDecimal> taxRates;

  CodeTables(Map<String, BigDecimal> taxRates, Map<String, String> paymentCodes) {
    this.taxRates = new LinkedHashMap<>(taxRates);
    Map<String, String> tax = new LinkedHashMap<>();
    taxRates.forEach((band, rate) -> tax.put(band, band + "-" + taxName(band, rate)));
    add("04", "Taxation Type", tax);
    add("07", "Payment Type", paymentCodes);
    add("10", "Quantity Unit", ordered("U", "Pieces/item [Number]", "NO", "Number", "KG", "Kilo-Gramme",
        "LT", "Litre", "BA", "Barrel", "BG", "Bag", "BX", "Box", "CT", "Carton", "DZ", "Dozen", "GR", "Gram",
        "M", "Metre", "PR", "Pair", "ST", "Set", "TN", "Tonne", "BLL", "Barrel (petroleum)", "L", "Litre"));
    add("11", "Transaction Progress", ordered("01", "Wait for Approval", "02", "Approved", "03",
        "Cancel Requested", "04", "Canceled", "05", "Credit Note Generated", "06", "Transferred"));
    add("12", "Stock I/O Type", ordered("01", "Import", "02", "Purchase", "03", "Return", "04", "Stock Movement",
        "05", "Processing", "06", "Adjustment", "11", "Sale", "12", "Return", "13", "Stock Movement", "14",
        "Processing", "15", "Discarding", "16", "Adjustment"));
    add("14", "Transaction Type", ordered("C", "Copy", "N", "Normal", "P", "Proforma", "T", "Training"));
    add("15", "Taxpayer Status", ordered("A", "Active", "D", "Inactive"));
    add("17", "Packing Unit", ordered("NT", "Net", "BA", "Barrel", "BG", "Bag", "BX", "Box", "CT", "Carton",
        "OU", "Outer packaging", "PK", "Pack", "BO", "Bottle", "CA", "Can", "BE", "Bundle"));
    add("24", "Item Type", ordered("1", "Raw Material", "2", "Finished Product", "3", "Service without stock"));
    add("26", "Import Item Status", ordered("1", "Unsent", "2", "Waiting", "3", "Approved", "4", "Cancelled"));
    add("31", "Registration Type", ordered("A", "Automatic", "M", "Manual"));
    add("32", "Refund Reason", ordered("01", "Missing Quantity", "02", "Missing Data", "03", "Damaged", "04",
        "Wasted", "05", "Raw Material Shortage", "06", "Refund"));
    add("37", "Sales Receipt Type", ordered("S", "Sale", "R", "Credit Note after Sale"));
    add("38", "Purchase Receipt Type", ordered("P", "Purchase", "R", "Credit Note after Purchase"));
  }

  static Map<String, String> specPaymentCodes() {
    return ordered("01", "CASH", "02", "CREDIT", "03", "CASH/CREDIT", "04", "BANK CHECK", "05",
        "DEBIT&CREDIT CARD", "06", "MOBILE MONEY", "07", "OTHER");
  }

  boolean has(String cdCls, String code) {
    CodeClass c = classes.get(cdCls);
    return c != null && code != null && c.codes.containsKey(code);
  }

  BigDecimal rate(String band) {
    return taxRates.get(band);
  }

  Map<String, BigDecimal> rates() {
    return taxRates;
  }

  /** {@code data.clsList[]} of sheet §2: the tax rate of class 04 is in {@code userDfnCd1}. */
  ArrayNode clsList(JsonNodeFactory f) {
    ArrayNode list = f.arrayNode();
    for (CodeClass c : classes.values()) {
      ObjectNode cls = list.addObject();
      cls.put("cdCls", c.cdCls).put("cdClsNm", c.cdClsNm).putNull("cdClsDesc").put("useYn", "Y")
          .putNull("userDfnNm1").putNull("userDfnNm2").putNull("userDfnNm3");
      ArrayNode dtl = cls.putArray("dtlList");
      int order = 1;
      for (Map.Entry<String, String> e : c.codes.entrySet()) {
        ObjectNode d = dtl.addObject();
        d.put("cd", e.getKey()).put("cdNm", e.getValue()).putNull("cdDesc").put("useYn", "Y")
            .put("srtOrd", order++);
        if (c.cdCls.equals("04")) {
          d.put("userDfnCd1", taxRates.get(e.getKey()).stripTrailingZeros().toPlainString());
        } else {
          d.putNull("userDfnCd1");
        }
        d.putNull("userDfnCd2").putNull("userDfnCd3");
      }
    }
    return list;
  }

  private void add(String cdCls, String name, Map<String, String> codes) {
    classes.put(cdCls, new CodeClass(cdCls, name, codes));
  }

  private static String taxName(String band, BigDecimal rate) {
    if (band.equals("A")) {
      return "Exempt";
    }
    if (band.equals("D")) {
      return "Non-VAT";
    }
    String r = rate.stripTrailingZeros().toPlainString();
    return band.equals("B") ? rate.setScale(2).toPlainString() + "%" : r + "%";
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A small item classification list (UNSPSC-style codes, sheet §2 #3) with default tax types. */
  static List<String[]> itemClasses() {
    return List.of(
        new String[] {"5020220100", "Bottled water", "4", "B"},
        new String[] {"5020230100", "Soft drinks", "4", "B"},
        new String[] {"5010150000", "Fresh vegetables", "3", "A"},
        new String[] {"5018190000", "Bread", "3", "A"},
        new String[] {"5022100000", "Milk and dairy", "3", "A"},
        new String[] {"1510150000", "Fuels", "3", "E"},
        new String[] {"4321150000", "Computers", "3", "B"},
        new String[] {"5059690800", "Prepared foods", "4", "B"},
        new String[] {"9910150000", "General services", "3", "B"});
  }
}
