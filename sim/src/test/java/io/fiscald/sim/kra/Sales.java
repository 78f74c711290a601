package io.fiscald.sim.kra;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds correct eTIMS payloads for tests (items, stock, sales, credit notes) with the sheet's §6.1 arithmetic. */
final class Sales {
  static final String TIN = "P051234567X";
  static final String BHF = "00";
  static final Map<String, BigDecimal> RATES = Map.of("A", BigDecimal.ZERO, "B", new BigDecimal("16"),
      "C", BigDecimal.ZERO, "D", BigDecimal.ZERO, "E", new BigDecimal("8"));

  /** A line: registered item code, quantity, VAT-inclusive unit price, band. */
  record Line(String itemCd, String qty, String prc, String band) {
  }

  private Sales() {
  }

  static ObjectNode item(String itemCd, String itemTyCd, String taxTyCd) {
    return EtimsTestClient.obj().put("itemCd", itemCd).put("itemClsCd", "5020220100").put("itemTyCd", itemTyCd)
        .put("itemNm", "Item " + itemCd).put("orgnNatCd", itemCd.substring(0, 2))
        .put("pkgUnitCd", itemCd.substring(3, 5)).put("qtyUnitCd", itemCd.substring(5, 7)).put("taxTyCd", taxTyCd)
        .put("dftPrc", 100).put("useYn", "Y").put("regrId", "admin").put("regrNm", "Admin")
        .put("modrId", "admin").put("modrNm", "Admin");
  }

  static ObjectNode stockIn(long sarNo, String itemCd, String qty) {
    return stock(sarNo, "02", itemCd, qty);
  }

  static ObjectNode stock(long sarNo, String sarTyCd, String itemCd, String qty) {
    ObjectNode s = EtimsTestClient.obj().put("sarNo", sarNo).put("orgSarNo", 0).put("regTyCd", "M")
        .put("sarTyCd", sarTyCd).put("ocrnDt", "20250301").put("totItemCnt", 1).put("totTaxblAmt", 0)
        .put("totTaxAmt", 0).put("totAmt", 0).put("regrId", "admin").put("regrNm", "Admin")
        .put("modrId", "admin").put("modrNm", "Admin");
    s.putArray("itemList").addObject().put("itemSeq", 1).put("itemCd", itemCd).put("itemClsCd", "5020220100")
        .put("itemNm", "Item").put("pkgUnitCd", itemCd.substring(3, 5)).put("pkg", new BigDecimal(qty))
        .put("qtyUnitCd", itemCd.substring(5, 7)).put("qty", new BigDecimal(qty)).put("prc", 0).put("splyAmt", 0)
        .put("totDcAmt", 0).put("taxblAmt", 0).put("taxTyCd", "B").put("taxAmt", 0).put("totAmt", 0);
    return s;
  }

  static ObjectNode sale(long invcNo, String trdInvcNo, Line... lines) {
    return document(invcNo, trdInvcNo, "S", 0, null, "20250301", lines);
  }

  static ObjectNode credit(long invcNo, String trdInvcNo, long orgInvcNo, String custTin, Line... lines) {
    ObjectNode c = document(invcNo, trdInvcNo, "R", orgInvcNo, custTin, "20250302", lines);
    c.put("rfdDt", "20250302101500").put("rfdRsnCd", "06");
    return c;
  }

  static ObjectNode document(long invcNo, String trdInvcNo, String rcptTyCd, long orgInvcNo, String custTin,
      String salesDt, Line... lines) {
    ObjectNode s = EtimsTestClient.obj().put("tin", TIN).put("bhfId", BHF).put("trdInvcNo", trdInvcNo)
        .put("invcNo", invcNo).put("orgInvcNo", orgInvcNo).put("custTin", custTin).put("custNm", "Buyer")
        .put("salesTyCd", "N").put("rcptTyCd", rcptTyCd).put("pmtTyCd", "01").put("salesSttsCd", "02")
        .put("cfmDt", salesDt + "101500").put("salesDt", salesDt).putNull("stockRlsDt").putNull("cnclReqDt")
        .putNull("cnclDt").putNull("rfdDt").putNull("rfdRsnCd").put("totItemCnt", lines.length);
    BigDecimal[] taxbl = new BigDecimal[5];
    BigDecimal[] tax = new BigDecimal[5];
    java.util.Arrays.fill(taxbl, BigDecimal.ZERO);
    java.util.Arrays.fill(tax, BigDecimal.ZERO);
    BigDecimal total = BigDecimal.ZERO;
    ArrayNode items = EtimsTestClient.JSON.createArrayNode();
    int seq = 0;
    for (Line l : lines) {
      seq++;
      BigDecimal qty = new BigDecimal(l.qty);
      BigDecimal prc = new BigDecimal(l.prc);
      BigDecimal sply = qty.multiply(prc).setScale(2, RoundingMode.HALF_UP);
      BigDecimal rate = RATES.get(l.band);
      BigDecimal lineTaxbl = sply.divide(BigDecimal.ONE.add(rate.movePointLeft(2)), 2, RoundingMode.HALF_UP);
      BigDecimal lineTax = sply.subtract(lineTaxbl);
      int b = "ABCDE".indexOf(l.band);
      taxbl[b] = taxbl[b].add(lineTaxbl);
      tax[b] = tax[b].add(lineTax);
      total = total.add(sply);
      items.addObject().put("itemSeq", seq).put("itemCd", l.itemCd).put("itemClsCd", "5020220100")
          .put("itemNm", "Item " + l.itemCd).putNull("bcd").put("pkgUnitCd", l.itemCd.substring(3, 5))
          .put("pkg", qty).put("qtyUnitCd", l.itemCd.substring(5, 7)).put("qty", qty).put("prc", prc)
          .put("splyAmt", sply).put("dcRt", 0).put("dcAmt", 0).put("taxTyCd", l.band).put("taxblAmt", lineTaxbl)
          .put("taxAmt", lineTax).put("totAmt", sply);
    }
    BigDecimal totTaxbl = BigDecimal.ZERO;
    BigDecimal totTax = BigDecimal.ZERO;
    for (int i = 0; i < 5; i++) {
      String x = String.valueOf("ABCDE".charAt(i));
      s.put("taxblAmt" + x, taxbl[i]);
      s.put("taxRt" + x, RATES.get(x));
      s.put("taxAmt" + x, tax[i]);
      totTaxbl = totTaxbl.add(taxbl[i]);
      totTax = totTax.add(tax[i]);
    }
    s.put("totTaxblAmt", totTaxbl).put("totTaxAmt", totTax).put("totAmt", total).put("prchrAcptcYn", "N")
        .put("remark", "").put("regrId", "cashier").put("regrNm", "Cashier").put("modrId", "cashier")
        .put("modrNm", "Cashier");
    s.putObject("receipt").put("custTin", custTin).putNull("custMblNo").put("rcptPbctDt", salesDt + "101500")
        .put("trdeNm", "Sim Shop").put("adrs", "Nairobi").put("topMsg", "Welcome").put("btmMsg", "Thanks")
        .put("prchrAcptcYn", "N");
    s.set("itemList", items);
    return s;
  }

  static List<Line> lines(Line... l) {
    return new ArrayList<>(List.of(l));
  }
}
