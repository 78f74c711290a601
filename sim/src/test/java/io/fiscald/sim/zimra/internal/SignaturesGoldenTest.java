package io.fiscald.sim.zimra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.sim.zimra.FiscalCounterOrder;
import io.fiscald.sim.zimra.internal.Signatures.Counter;
import io.fiscald.sim.zimra.internal.Signatures.TaxLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ZIMRA sheet's worked strings (§9.1) and its only reproducible hashes (§9.2, §10.1) in the simulator's builder. */
class SignaturesGoldenTest {
  static final String PREV = "hNVJXP/ACOiE8McD3pKsDlqBXpuaUqQOfPnMyfZWI9k=";

  static TaxLine t(int id, String code, String pct, String tax, String sales) {
    return new TaxLine(id, code, pct == null ? null : new BigDecimal(pct), new BigDecimal(tax), new BigDecimal(sales));
  }

  static List<TaxLine> shuffled(TaxLine... lines) {
    List<TaxLine> l = new ArrayList<>(List.of(lines));
    Collections.reverse(l);
    return l;
  }

  @Test
  void fiscalInvoiceExamples() {
    assertThat(Signatures.receiptString(321, "FiscalInvoice", "ZWL", 432, "2019-09-19T15:43:12",
        new BigDecimal("9450.00"), shuffled(t(1, "A", null, "0", "2500"), t(2, "B", "0", "0", "3500"),
            t(3, "C", "15", "150", "1150"), t(3, "D", "15", "300", "2300")), PREV))
        .isEqualTo("321FISCALINVOICEZWL4322019-09-19T15:43:12945000A0250000B0.000350000C15.0015000115000"
            + "D15.0030000230000" + PREV);
    assertThat(Signatures.receiptString(322, "FiscalInvoice", "USD", 85, "2019-09-19T09:23:07",
        new BigDecimal("40.35"), shuffled(t(1, null, null, "0", "7.00"), t(2, null, "0", "0", "10.00"),
            t(3, null, "14.5", "0.05", "0.35")), PREV))
        .isEqualTo("322FISCALINVOICEUSD852019-09-19T09:23:07403507000.000100014.50535" + PREV);
  }

  @Test
  void creditAndDebitNoteExamplesAndTheOneReproducibleHash() {
    assertThat(Signatures.receiptString(321, "CreditNote", "ZWL", 432, "2020-09-19T15:43:12",
        new BigDecimal("-9450.00"), shuffled(t(1, "A", null, "0", "-2500"), t(2, "B", "0", "0", "-3500"),
            t(3, "C", "15", "-150", "-1150"), t(3, "D", "15", "-300", "-2300")), PREV))
        .isEqualTo("321CREDITNOTEZWL4322020-09-19T15:43:12-945000A0-250000B0.000-350000C15.00-15000-115000"
            + "D15.00-30000-230000" + PREV);
    String cn2 = Signatures.receiptString(322, "CreditNote", "USD", 85, "2020-09-19T09:23:07",
        new BigDecimal("-40.35"), shuffled(t(1, null, null, "0", "-7.00"), t(2, null, "0", "0", "-10.00"),
            t(3, null, "14.5", "-3.00", "-23.00")), PREV);
    assertThat(cn2).isEqualTo("322CREDITNOTEUSD852020-09-19T09:23:07-40350-7000.000-100014.50-300-2300" + PREV);
    assertThat(Signatures.sha256Base64(cn2)).isEqualTo("F9/QB0vhxQlEF2nk+oebwP8V+qBcNlOFvoTeE/1QxPc=");
    assertThat(Signatures.receiptString(321, "DebitNote", "ZWL", 432, "2020-09-19T15:43:12",
        new BigDecimal("9450.00"), List.of(t(3, "D", "15", "300", "2300"), t(1, "A", null, "0", "2500"),
            t(3, "C", "15", "150", "1150"), t(2, "B", "0", "0", "3500")), PREV))
        .isEqualTo("321DEBITNOTEZWL4322020-09-19T15:43:12945000A0250000B0.000350000C15.0015000115000"
            + "D15.0030000230000" + PREV);
    assertThat(Signatures.receiptString(322, "DebitNote", "USD", 85, "2020-09-19T09:23:07",
        new BigDecimal("40.35"), shuffled(t(1, null, null, "0", "7.00"), t(2, null, "0", "0", "10.00"),
            t(3, null, "14.5", "3.00", "23.00")), PREV))
        .isEqualTo("322DEBITNOTEUSD852020-09-19T09:23:07403507000.000100014.503002300" + PREV);
  }

  @Test
  void firstReceiptOfTheDayHasNoPreviousHash() {
    assertThat(Signatures.receiptString(1, "FiscalInvoice", "USD", 1, "2026-01-01T08:00:00", new BigDecimal("1"),
        List.of(t(1, null, null, "0", "1")), null)).isEqualTo("1FISCALINVOICEUSD12026-01-01T08:00:001000100");
  }

  @Test
  void serverReceiptSignatureStringHash() {
    String s = Signatures.serverReceiptString("YyXTSizBBrMjMk4VQL+sCNr+2AC6aQbDAn9JMV2rk3yJ6MDZwie0wqQW3oisNWrMkeZsuAyFS"
        + "nFkU2A+pKm91sOHVdjeRBebjQgAQQIMTCVIcYrx+BizQ7Ib9iCdsVI+Jel2nThqQiQzfRef6EgtgsaIAN+PV55xSrHvPkIe+Bc=",
        48377, "2019-09-19T15:43:12");
    assertThat(Signatures.sha256Base64(s)).isEqualTo("JQoIo/AgOsvm+PUQpvlQ/U7YMei3m/jbygNrBVfz6Sg=");
  }

  @Test
  void dayCountersInTheRecommendedOrderAndTheTypoedPlumbingHash() {
    List<Counter> counters = List.of(
        new Counter("BalanceByMoneyType", "ZWL", null, null, "Card", new BigDecimal("15000.00")),
        new Counter("SaleTaxByTax", "ZWL", 3, new BigDecimal("15"), null, new BigDecimal("2300.00")),
        new Counter("SaleByTax", "ZWL", 1, null, null, new BigDecimal("23000.00")),
        new Counter("BalanceByMoneyType", "USD", null, null, "Cash", new BigDecimal("37.00")),
        new Counter("SaleByTax", "USD", 3, new BigDecimal("14.5"), null, new BigDecimal("25.00")),
        new Counter("SaleByTax", "ZWL", 2, new BigDecimal("0"), null, new BigDecimal("12000.00")),
        new Counter("CreditNoteByTax", "ZWL", 2, new BigDecimal("0"), null, BigDecimal.ZERO),
        new Counter("BalanceByMoneyType", "ZWL", null, null, "Cash", new BigDecimal("20000.00")));
    assertThat(Signatures.dayString(321, 84, "2019-09-23", counters, FiscalCounterOrder.RECOMMENDED))
        .isEqualTo("321842019-09-23SALEBYTAXUSD14.502500SALEBYTAXZWL2300000SALEBYTAXZWL0.001200000"
            + "SALETAXBYTAXZWL15.00230000BALANCEBYMONEYTYPEUSDCASH3700BALANCEBYMONEYTYPEZWLCASH2000000"
            + "BALANCEBYMONEYTYPEZWLCARD1500000");
    // §10.2: the printed hash reproduces only from the literal typo'd string (SHA-256/base64 plumbing only)
    assertThat(Signatures.sha256Base64("321842019-09-23SALEBYTAXZWL2300000SALEBYTAXZWL0.001200000SALEBYTAXUSD14.502500"
        + "SALEBYTAXZWL15.001200SALETAXBYTAXUSD15.00250SALETAXBYTAXZWL15.00230000BALANCEBYMONEYTYPEUSDLCASH3700"
        + "BALANCEBYMONEYTYPEZWLCASH2000000BALANCEBYMONEYTYPEZWLCARD1500000"))
        .isEqualTo("OdT8lLI0JXhXl1XQgr64Zb1ltFDksFXThVxqM6O8xZE=");
  }
}
