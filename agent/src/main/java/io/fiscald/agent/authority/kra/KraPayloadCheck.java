package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-checks a {@code saveTrnsSalesOsdc} request the way the live gateway does (sheet §5, §6.1, §17) and
 * answers with KRA's own wording, so a payload can be proven before it is sent (and the inspector can
 * show why eTIMS would refuse it). Inclusive price mode only: that is what the gateway enforces.
 */
public final class KraPayloadCheck {
  private KraPayloadCheck() {}

  /** KRA-style messages for every problem found; empty when the gateway would accept the amounts. */
  public static List<String> check(JsonNode p, KraRates rates) {
    List<String> problems = new ArrayList<>();
    if (!p.path("invcNo").isIntegralNumber()) {
      problems.add("invcNo must be a number");
    }
    for (String prefix : List.of("taxblAmt", "taxRt", "taxAmt")) {
      for (KraBand b : KraBand.ALL) {
        if (!p.path(prefix + b).isNumber()) {
          problems.add("Missing " + prefix + b);
        }
      }
    }
    for (KraBand b : KraBand.ALL) {
      BigDecimal found = p.path("taxRt" + b).decimalValue();
      if (p.path("taxRt" + b).isNumber() && found.compareTo(rates.rate(b)) != 0) {
        problems.add("Rule taxRt" + b + " failed: Tax rate mismatch. Expected: " + rates.rate(b).toPlainString()
            + ", Found: " + found.stripTrailingZeros().toPlainString());
      }
    }
    if ("R".equals(p.path("rcptTyCd").asText())) {
      if (p.path("rfdDt").asText("").isBlank()) {
        problems.add("Missing RfdDt Date");
      }
      if (p.path("rfdRsnCd").asText("").isBlank()) {
        problems.add("Invalid RfdRsnCd");
      }
      if (p.path("orgInvcNo").asLong(0) < 1) {
        problems.add("orgInvcNo does not exist");
      }
    }
    BigDecimal zero = BigDecimal.ZERO.setScale(2);
    BigDecimal[] taxbl = {zero, zero, zero, zero, zero};
    BigDecimal[] tax = {zero, zero, zero, zero, zero};
    BigDecimal total = zero;
    int n = 0;
    for (JsonNode item : p.path("itemList")) {
      n++;
      int seq = item.path("itemSeq").asInt(n);
      BigDecimal qty = item.path("qty").decimalValue();
      BigDecimal prc = item.path("prc").decimalValue();
      if (item.path("pkg").decimalValue().signum() <= 0) {
        problems.add("Invalid pkg for ItemList " + seq + ". Expected: 1, Found: " + item.path("pkg").asText());
      }
      BigDecimal sply = KraArithmetic.round2(qty.multiply(prc));
      if (item.path("splyAmt").decimalValue().compareTo(sply) != 0) {
        problems.add("Invalid splyAmnt on item: " + seq + ". Expected: " + sply.toPlainString() + ", But Found: "
            + two(item.path("splyAmt").decimalValue()));
      }
      KraBand band = KraBand.of(item.path("taxTyCd").asText()).orElse(null);
      if (band == null) {
        problems.add("Invalid taxTyCd on item: " + seq);
        continue;
      }
      BigDecimal amount = item.path("splyAmt").decimalValue().subtract(item.path("dcAmt").decimalValue());
      BigDecimal rate = rates.rate(band);
      BigDecimal expectTaxbl = amount.multiply(BigDecimal.valueOf(100))
          .divide(BigDecimal.valueOf(100).add(rate), 2, RoundingMode.HALF_UP);
      BigDecimal expectTax = amount.subtract(expectTaxbl);
      BigDecimal foundTaxbl = item.path("taxblAmt").decimalValue();
      BigDecimal foundTax = item.path("taxAmt").decimalValue();
      if (foundTaxbl.compareTo(expectTaxbl) != 0) {
        problems.add("Invalid taxblAmt on item: " + seq + ". Expected: " + expectTaxbl.toPlainString()
            + ", But Found: " + two(foundTaxbl));
      }
      if (foundTax.compareTo(expectTax) != 0) {
        problems.add("Invalid taxAmt on item: " + seq + ". Expected: " + expectTax.toPlainString() + ", But Found: "
            + two(foundTax));
      }
      taxbl[band.ordinal()] = taxbl[band.ordinal()].add(foundTaxbl);
      tax[band.ordinal()] = tax[band.ordinal()].add(foundTax);
      total = total.add(item.path("totAmt").decimalValue());
    }
    if (p.path("totItemCnt").asInt(-1) != n) {
      problems.add("Invalid totItemCnt. Expected: " + n + ", But Found: " + p.path("totItemCnt").asText());
    }
    BigDecimal totTaxbl = zero;
    BigDecimal totTax = zero;
    for (KraBand b : KraBand.ALL) {
      totTaxbl = totTaxbl.add(taxbl[b.ordinal()]);
      totTax = totTax.add(tax[b.ordinal()]);
      if (p.path("taxblAmt" + b).isNumber() && p.path("taxblAmt" + b).decimalValue().compareTo(taxbl[b.ordinal()]) != 0) {
        problems.add("Invalid taxblAmt" + b + ". Expected: " + taxbl[b.ordinal()].toPlainString() + ", But Found: "
            + two(p.path("taxblAmt" + b).decimalValue()));
      }
      if (p.path("taxAmt" + b).isNumber() && p.path("taxAmt" + b).decimalValue().compareTo(tax[b.ordinal()]) != 0) {
        problems.add("Invalid taxAmt" + b + ". Expected: " + tax[b.ordinal()].toPlainString() + ", But Found: "
            + two(p.path("taxAmt" + b).decimalValue()));
      }
    }
    if (p.path("totTaxblAmt").decimalValue().compareTo(totTaxbl) != 0) {
      problems.add("Invalid totTaxblAmt. Expected: " + totTaxbl.toPlainString() + ", But Found: "
          + two(p.path("totTaxblAmt").decimalValue()));
    }
    if (p.path("totTaxAmt").decimalValue().compareTo(totTax) != 0) {
      problems.add("Invalid totTaxAmt. Expected: " + totTax.toPlainString() + ", But Found: "
          + two(p.path("totTaxAmt").decimalValue()));
    }
    if (p.path("totAmt").decimalValue().compareTo(total) != 0) {
      problems.add("Invalid totAmt. Expected: " + total.toPlainString() + ", But Found: "
          + two(p.path("totAmt").decimalValue()));
    }
    return problems;
  }

  private static String two(BigDecimal v) {
    return v.setScale(Math.max(2, v.scale()), RoundingMode.UNNECESSARY).toPlainString();
  }
}
