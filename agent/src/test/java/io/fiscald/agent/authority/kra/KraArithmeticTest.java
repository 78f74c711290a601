package io.fiscald.agent.authority.kra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.core.FiscalException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class KraArithmeticTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  private static KraLineAmounts inclusive(KraBand band, String qty, String prc, String dc, String rate) {
    return KraArithmetic.line(band, d(qty), d(prc), d(dc), d(rate), PriceMode.INCLUSIVE);
  }

  @Test
  void inclusiveHundredAtSixteenPercentIsWhatKraExpects() {
    // Sheet §6.1: "Invalid taxblAmt on item: 1. Expected: 86.21, But Found: 100.00".
    KraLineAmounts a = inclusive(KraBand.B, "1", "100.00", "0", "16");
    assertThat(a.splyAmt()).isEqualByComparingTo("100.00");
    assertThat(a.taxblAmt()).isEqualTo(d("86.21"));
    assertThat(a.taxAmt()).isEqualTo(d("13.79"));
    assertThat(a.totAmt()).isEqualTo(d("100.00"));
  }

  @Test
  void sheetIllustrationOneSixteen() {
    KraLineAmounts a = inclusive(KraBand.B, "1", "116.00", "0", "16");
    assertThat(a.taxblAmt()).isEqualTo(d("100.00"));
    assertThat(a.taxAmt()).isEqualTo(d("16.00"));
    assertThat(a.totAmt()).isEqualTo(d("116.00"));
  }

  @Test
  void supplyAmountIsQuantityTimesPriceRoundedHalfUp() {
    KraLineAmounts a = inclusive(KraBand.E, "10.125", "179.45", "0", "8");
    assertThat(a.splyAmt()).isEqualTo(d("1816.93")); // 1816.93125
    assertThat(a.taxblAmt()).isEqualTo(d("1682.34")); // 1816.93 / 1.08 = 1682.3426
    assertThat(a.taxAmt()).isEqualTo(d("134.59"));
    KraLineAmounts half = inclusive(KraBand.B, "1.5", "0.05", "0", "16");
    assertThat(half.splyAmt()).isEqualTo(d("0.08")); // 0.075 half-up
  }

  @Test
  void discountComesOffBeforeTheSplitAndItsRateIsReported() {
    KraLineAmounts a = inclusive(KraBand.B, "2", "65.00", "10.00", "16");
    assertThat(a.splyAmt()).isEqualTo(d("130.00"));
    assertThat(a.dcAmt()).isEqualTo(d("10.00"));
    assertThat(a.dcRt()).isEqualTo(d("7.69"));
    assertThat(a.taxblAmt()).isEqualTo(d("103.45")); // 120 / 1.16 = 103.448
    assertThat(a.taxAmt()).isEqualTo(d("16.55"));
    assertThat(a.totAmt()).isEqualTo(d("120.00"));
  }

  @Test
  void exemptAndZeroRatedCarryNoTax() {
    KraLineAmounts a = inclusive(KraBand.A, "6", "60.00", "0", "0");
    assertThat(a.taxblAmt()).isEqualTo(d("360.00"));
    assertThat(a.taxAmt()).isEqualTo(d("0.00"));
  }

  @Test
  void bandsAreSumsOfRoundedLinesNotRoundedSums() {
    KraRates rates = KraFixtures.rates();
    List<KraLineAmounts> lines = List.of(inclusive(KraBand.B, "1", "0.10", "0", "16"),
        inclusive(KraBand.B, "1", "0.10", "0", "16"), inclusive(KraBand.B, "1", "0.10", "0", "16"));
    // each line: 0.10 / 1.16 = 0.0862 → 0.09, tax 0.01; the group rounded once would give 0.26 / 0.04
    KraTotals t = KraArithmetic.totals(lines, rates);
    assertThat(t.taxblAmt().get(KraBand.B)).isEqualTo(d("0.27"));
    assertThat(t.taxAmt().get(KraBand.B)).isEqualTo(d("0.03"));
    assertThat(t.totTaxblAmt()).isEqualTo(d("0.27"));
    assertThat(t.totTaxAmt()).isEqualTo(d("0.03"));
    assertThat(t.totAmt()).isEqualTo(d("0.30"));
  }

  @Test
  void allFiveBandsArePresentWithZerosAndTheirRates() {
    KraTotals t = KraArithmetic.totals(List.of(inclusive(KraBand.B, "1", "116", "0", "16")), KraFixtures.rates("0"));
    assertThat(t.taxblAmt()).containsOnlyKeys(KraBand.values());
    assertThat(t.taxAmt()).containsOnlyKeys(KraBand.values());
    assertThat(t.taxRt()).containsOnlyKeys(KraBand.values());
    assertThat(t.taxblAmt().get(KraBand.C)).isEqualTo(d("0.00"));
    assertThat(t.taxRt().get(KraBand.B)).isEqualTo(d("16.00"));
    // the rate comes from the code list: E at 0 where the live gateway says so (sheet §6.2)
    assertThat(t.taxRt().get(KraBand.E)).isEqualTo(d("0.00"));
  }

  @Test
  void exclusiveModeMatchesOdoosFixture() {
    // Sheet §6.2: prc 1.0, splyAmt 1.0, dcRt 10, dcAmt 0.1, taxblAmt 0.9, taxAmt 0.14, totAmt 1.04.
    KraLineAmounts a = KraArithmetic.line(KraBand.B, d("1"), d("1.0"), d("0.10"), d("16"), PriceMode.EXCLUSIVE);
    assertThat(a.splyAmt()).isEqualTo(d("1.00"));
    assertThat(a.dcRt()).isEqualTo(d("10.00"));
    assertThat(a.taxblAmt()).isEqualTo(d("0.90"));
    assertThat(a.taxAmt()).isEqualTo(d("0.14"));
    assertThat(a.totAmt()).isEqualTo(d("1.04"));
  }

  @Test
  void ratesComeOnlyFromTheAuthorityOrAnExplicitOverride() {
    assertThatThrownBy(() -> KraRates.parse("B=16", null)).isInstanceOf(FiscalException.class)
        .hasMessageContaining("no tax rate for band A");
    KraRates over = KraRates.parse("E=0", KraFixtures.rates("8"));
    assertThat(over.rate(KraBand.E)).isEqualTo(d("0.00"));
    assertThat(over.rate(KraBand.B)).isEqualTo(d("16.00"));
    assertThatThrownBy(() -> KraRates.parse("F=3", KraFixtures.rates())).hasMessageContaining("bands A to E");
    assertThat(KraFixtures.rates().toTaxTable().find("A").orElseThrow().exempt()).isTrue();
    assertThat(KraFixtures.rates().toTaxTable().find("C").orElseThrow().exempt()).isFalse();
  }
}
