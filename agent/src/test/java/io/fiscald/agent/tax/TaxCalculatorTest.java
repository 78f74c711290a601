package io.fiscald.agent.tax;

import static io.fiscald.agent.tax.TaxRounding.PER_GROUP;
import static io.fiscald.agent.tax.TaxRounding.PER_LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptLine;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.agent.receipt.ReceiptType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Worked examples, every expected number computed by hand (see the comments). */
class TaxCalculatorTest {
  private static final TaxTable KENYA = TaxTable.kenyaDefault();

  @ParameterizedTest
  @EnumSource(TaxRounding.class)
  void documentedExample(TaxRounding rounding) {
    // 2 × 522.00 = 1044.00 gross at 16% inclusive: tax = 104400 × 16/116 = 14400 exactly, net 90000.
    TaxedReceipt r = TaxCalculator.compute(
        request("KES", true, List.of(line("Sugar 1kg", "2", "522.00", "B")), cash("1044.00")), KENYA, rounding);

    assertThat(r.currency()).isEqualTo("KES");
    assertThat(r.minorDigits()).isEqualTo(2);
    assertThat(r.pricesIncludeTax()).isTrue();
    assertThat(r.lines()).containsExactly(new TaxedLine(0, "Sugar 1kg", null, null, null, new BigDecimal("2"),
        new BigDecimal("522.00"), 0, 104400, 104400, 90000, 14400, "B"));
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 90000, 14400, 104400));
    assertThat(r.netMinor()).isEqualTo(90000);
    assertThat(r.taxMinor()).isEqualTo(14400);
    assertThat(r.totalMinor()).isEqualTo(104400);
    assertThat(r.payments()).containsExactly(new TaxedPayment(PaymentMethod.CASH, 104400, null));
    assertThat(r.paidMinor()).isEqualTo(104400);
    assertThat(r.changeMinor()).isZero();
  }

  @Test
  void lineAmountsRoundHalfUpNotHalfEven() {
    // 1 × 0.125 = 0.125 → 0.13 (half-even would give 0.12); 3 × 0.125 = 0.375 → 0.38.
    TaxedReceipt r = TaxCalculator.compute(sale(
        line("Sweet", "1", "0.125", "C"), line("Sweets", "3", "0.125", "C")), KENYA, PER_GROUP);
    assertThat(r.lines()).extracting(TaxedLine::amountMinor).containsExactly(13L, 38L);
    assertThat(r.totalMinor()).isEqualTo(51);
  }

  @Test
  void taxRoundsHalfUpToo() {
    TaxTable table = new TaxTable(List.of(
        new TaxRate("H", "Half", new BigDecimal("12.5"), false),
        new TaxRate("F", "Fifteen and a half", new BigDecimal("15.5"), false)));
    // Exclusive: 1.00 × 12.5% = 0.125 → 0.13; 3.00 × 15.5% = 0.465 → 0.47 (half-even: 0.12 and 0.46).
    TaxedReceipt r = TaxCalculator.compute(request("KES", false,
        List.of(line("Half", "1", "1.00", "H"), line("Odd", "1", "3.00", "F")), cash("100")), table, PER_GROUP);
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("F", "Fifteen and a half", new BigDecimal("15.5"), false, 300, 47, 347),
        new TaxTotal("H", "Half", new BigDecimal("12.5"), false, 100, 13, 113));
    assertThat(r.totalMinor()).isEqualTo(460);
  }

  /**
   * 8% + 16% + exempt, prices inclusive. Line amounts: 104400, 100, 100, 100 (B); 10.5 × 1.99 = 20.895 →
   * 2090 and 250 (E); 15000 (A).
   */
  private static List<ReceiptLine> mixedLines() {
    return List.of(
        line("Sugar 1kg", "2", "522.00", "B"),
        line("Gum", "1", "1.00", "B"),
        line("Gum", "1", "1.00", "B"),
        line("Gum", "1", "1.00", "B"),
        line("Petrol", "10.5", "1.99", "E"),
        line("Milk", "1", "2.50", "E"),
        line("Maize flour", "1", "150.00", "A"));
  }

  @Test
  void mixedReceiptPerGroup() {
    // B: 104700 × 16/116 = 14441.38 → 14441; E: 2340 × 8/108 = 173.33 → 173; A: exempt.
    TaxedReceipt r = TaxCalculator.compute(request("KES", true, mixedLines(), cash("1220.40")), KENYA, PER_GROUP);
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("A", "Exempt", BigDecimal.ZERO, true, 15000, 0, 15000),
        new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 90259, 14441, 104700),
        new TaxTotal("E", "VAT 8%", new BigDecimal("8"), false, 2167, 173, 2340));
    assertThat(r.netMinor()).isEqualTo(107426);
    assertThat(r.taxMinor()).isEqualTo(14614);
    assertThat(r.totalMinor()).isEqualTo(122040);
    assertThat(r.changeMinor()).isZero();
    // Lines keep their own (informational) rounding: 100 × 16/116 = 13.79 → 14.
    assertThat(r.lines()).extracting(TaxedLine::taxMinor).containsExactly(14400L, 14L, 14L, 14L, 155L, 19L, 0L);
    assertThat(r.lines()).extracting(TaxedLine::amountMinor)
        .containsExactly(104400L, 100L, 100L, 100L, 2090L, 250L, 15000L);
  }

  @Test
  void mixedReceiptPerLine() {
    // B: 14400 + 14 + 14 + 14 = 14442; E: 2090 × 8/108 = 154.81 → 155, 250 × 8/108 = 18.52 → 19, so 174.
    TaxedReceipt r = TaxCalculator.compute(request("KES", true, mixedLines(), cash("1220.40")), KENYA, PER_LINE);
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("A", "Exempt", BigDecimal.ZERO, true, 15000, 0, 15000),
        new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 90258, 14442, 104700),
        new TaxTotal("E", "VAT 8%", new BigDecimal("8"), false, 2166, 174, 2340));
    assertThat(r.netMinor()).isEqualTo(107424);
    assertThat(r.taxMinor()).isEqualTo(14616);
    assertThat(r.totalMinor()).isEqualTo(122040);
    assertThat(r.lines().get(4)).satisfies(petrol -> {
      assertThat(petrol.grossMinor()).isEqualTo(2090);
      assertThat(petrol.taxMinor()).isEqualTo(155);
      assertThat(petrol.netMinor()).isEqualTo(1935);
    });
  }

  @Test
  void exclusivePricingAddsTaxOnTop() {
    // 2 × 522.00 = 1044.00 net; 104400 × 16% = 16704; gross 121104.
    TaxedReceipt r = TaxCalculator.compute(
        request("KES", false, List.of(line("Sugar 1kg", "2", "522.00", "B")), cash("1211.04")), KENYA, PER_GROUP);
    assertThat(r.lines().get(0)).satisfies(l -> {
      assertThat(l.amountMinor()).isEqualTo(104400);
      assertThat(l.netMinor()).isEqualTo(104400);
      assertThat(l.taxMinor()).isEqualTo(16704);
      assertThat(l.grossMinor()).isEqualTo(121104);
    });
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 104400, 16704, 121104));
    assertThat(r.totalMinor()).isEqualTo(121104);
    assertThat(r.pricesIncludeTax()).isFalse();
  }

  @Test
  void exclusivePricingDiffersBetweenRoundings() {
    // Three lines of 0.03 at 16%: per line 0.48 cents → 0 each; per group 9 × 16% = 1.44 → 1.
    List<ReceiptLine> lines = List.of(line("Pin", "1", "0.03", "B"), line("Pin", "1", "0.03", "B"),
        line("Pin", "1", "0.03", "B"));
    TaxedReceipt perLine = TaxCalculator.compute(request("KES", false, lines, cash("1")), KENYA, PER_LINE);
    TaxedReceipt perGroup = TaxCalculator.compute(request("KES", false, lines, cash("1")), KENYA, PER_GROUP);
    assertThat(perLine.taxes()).containsExactly(new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 9, 0, 9));
    assertThat(perGroup.taxes()).containsExactly(new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 9, 1, 10));
    assertThat(perLine.changeMinor()).isEqualTo(91);
    assertThat(perGroup.changeMinor()).isEqualTo(90);
  }

  @Test
  void threeDecimalQuantity() {
    // 1.255 kg × 399.99 = 501.98745 → 501.99; tax 50199 × 16/116 = 6924 exactly; net 43275.
    TaxedReceipt r = TaxCalculator.compute(sale(line("Beef", "1.255", "399.99", "B")), KENYA, PER_GROUP);
    assertThat(r.lines().get(0).amountMinor()).isEqualTo(50199);
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 43275, 6924, 50199));
  }

  @Test
  void currencyWithoutMinorUnit() {
    // JPY has 0 digits: 1000 × 16/116 = 137.93 → 138; 3 × 0.5 = 1.5 → 2 (zero rated).
    TaxedReceipt r = TaxCalculator.compute(request("JPY", true,
        List.of(line("Tea", "1", "1000", "B"), line("Candy", "3", "0.5", "C")), cash("1002")), KENYA, PER_GROUP);
    assertThat(r.minorDigits()).isZero();
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 862, 138, 1000),
        new TaxTotal("C", "Zero rated", BigDecimal.ZERO, false, 2, 0, 2));
    assertThat(r.totalMinor()).isEqualTo(1002);
    assertThat(r.paidMinor()).isEqualTo(1002);

    expectRefusal(() -> TaxCalculator.compute(request("JPY", true,
        List.of(line("Tea", "1", "1000", "B")), cash("1000.5")), KENYA, PER_GROUP),
        ErrorCode.INVALID_AMOUNT, "payments[0].amount");
  }

  @Test
  void threeDigitCurrency() {
    // KWD has 3 digits: 2 × 1.2345 = 2.469 exactly; at 16% inclusive 2469 × 16/116 = 340.55 → 341.
    TaxedReceipt r = TaxCalculator.compute(
        request("KWD", true, List.of(line("Dates", "2", "1.2345", "B")), cash("2.469")), KENYA, PER_GROUP);
    assertThat(r.minorDigits()).isEqualTo(3);
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 2128, 341, 2469));
  }

  @Test
  void exemptAndZeroRatedCarryNoTaxButStayApart() {
    TaxedReceipt r = TaxCalculator.compute(sale(line("Bread", "1", "50.00", "C"), line("Books", "1", "70.00", "A"),
        line("Stamps", "1", "30.00", "D")), KENYA, PER_LINE);
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("A", "Exempt", BigDecimal.ZERO, true, 7000, 0, 7000),
        new TaxTotal("C", "Zero rated", BigDecimal.ZERO, false, 5000, 0, 5000),
        new TaxTotal("D", "Non-VAT", BigDecimal.ZERO, true, 3000, 0, 3000));
    assertThat(r.taxMinor()).isZero();
    assertThat(r.totalMinor()).isEqualTo(15000);
  }

  @Test
  void taxesAreSortedByCode() {
    TaxedReceipt r = TaxCalculator.compute(sale(line("x", "1", "1", "E"), line("y", "1", "1", "B"),
        line("z", "1", "1", "A")), KENYA, PER_GROUP);
    assertThat(r.taxes()).extracting(TaxTotal::taxCode).containsExactly("A", "B", "E");
    assertThat(r.lines()).extracting(TaxedLine::index).containsExactly(0, 1, 2);
  }

  @Test
  void discountComesOffTheLineBeforeTax() {
    // 1044.00 − 44.00 = 1000.00; tax 100000 × 16/116 = 13793.10 → 13793; net 86207.
    TaxedReceipt r = TaxCalculator.compute(request("KES", true,
        List.of(line("Sugar 1kg", "2", "522.00", "B", "44.00")), cash("1000")), KENYA, PER_GROUP);
    assertThat(r.lines().get(0)).satisfies(l -> {
      assertThat(l.discountMinor()).isEqualTo(4400);
      assertThat(l.amountMinor()).isEqualTo(100000);
      assertThat(l.taxMinor()).isEqualTo(13793);
    });
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 86207, 13793, 100000));
  }

  @Test
  void discountMayMakeTheLineFreeButNotNegative() {
    TaxedReceipt free = TaxCalculator.compute(request("KES", true,
        List.of(line("Gift", "2", "5.00", "B", "10.00"), line("Tea", "1", "1.00", "B")), cash("1")), KENYA, PER_LINE);
    assertThat(free.lines().get(0).amountMinor()).isZero();
    assertThat(free.totalMinor()).isEqualTo(100);

    FiscalException e = expectRefusal(() -> TaxCalculator.compute(request("KES", true,
        List.of(line("Tea", "1", "1.00", "B"), line("Gift", "2", "5.00", "B", "10.01")), cash("1")), KENYA, PER_LINE),
        ErrorCode.INVALID_AMOUNT, "lines[1].discount");
    assertThat(e.getMessage()).contains("KES 10.01", "KES 10.00", "2 × 5.00");
  }

  @Test
  void discountFinerThanTheCurrencyIsRefused() {
    expectRefusal(() -> TaxCalculator.compute(request("KES", true,
        List.of(line("Tea", "1", "1.00", "B", "0.005")), cash("1")), KENYA, PER_LINE),
        ErrorCode.INVALID_AMOUNT, "lines[0].discount");
  }

  @Test
  void unknownTaxCodeNamesTheLine() {
    FiscalException e = expectRefusal(() -> TaxCalculator.compute(sale(line("Tea", "1", "1", "B"),
        line("Fuel", "1", "1", "Z")), KENYA, PER_GROUP), ErrorCode.UNKNOWN_TAX_CODE, "lines[1].taxCode");
    assertThat(e.getMessage()).contains("A (Exempt)", "E (VAT 8%)");
  }

  @Test
  void unknownCurrencyIsRefused() {
    expectRefusal(() -> TaxCalculator.compute(request("XYZ", true, List.of(line("Tea", "1", "1", "B")), cash("1")),
        KENYA, PER_GROUP), ErrorCode.UNKNOWN_CURRENCY, "currency");
  }

  @Test
  void requestsBuiltInCodeAreCheckedToo() {
    expectRefusal(() -> TaxCalculator.compute(sale(line("Tea", "0", "1", "B")), KENYA, PER_GROUP),
        ErrorCode.INVALID_QUANTITY, "lines[0].quantity");
    expectRefusal(() -> TaxCalculator.compute(sale(line("Tea", "1", "-1", "B")), KENYA, PER_GROUP),
        ErrorCode.INVALID_AMOUNT, "lines[0].unitPrice");
    expectRefusal(() -> TaxCalculator.compute(sale(line("Tea", "1", "1", "B", "-1")), KENYA, PER_GROUP),
        ErrorCode.INVALID_AMOUNT, "lines[0].discount");
    expectRefusal(() -> TaxCalculator.compute(request("KES", true, List.of(line("Tea", "1", "1", "B")),
        new Payment(PaymentMethod.CARD, BigDecimal.ZERO, null), cash("1")), KENYA, PER_GROUP),
        ErrorCode.INVALID_AMOUNT, "payments[0].amount");
  }

  // Payments.

  @Test
  void exactPaymentGivesNoChange() {
    TaxedReceipt r = TaxCalculator.compute(request("KES", true, List.of(line("Sugar", "2", "522.00", "B")),
        new Payment(PaymentMethod.MOBILE_MONEY, new BigDecimal("1000"), "QK7ABC123"), cash("44.00")), KENYA, PER_GROUP);
    assertThat(r.payments()).containsExactly(
        new TaxedPayment(PaymentMethod.MOBILE_MONEY, 100000, "QK7ABC123"),
        new TaxedPayment(PaymentMethod.CASH, 4400, null));
    assertThat(r.paidMinor()).isEqualTo(104400);
    assertThat(r.changeMinor()).isZero();
  }

  @Test
  void cashOverpaymentBecomesChange() {
    TaxedReceipt r = TaxCalculator.compute(
        request("KES", true, List.of(line("Sugar", "2", "522.00", "B")), cash("1100")), KENYA, PER_GROUP);
    assertThat(r.paidMinor()).isEqualTo(110000);
    assertThat(r.changeMinor()).isEqualTo(5600);

    // Card 1000 + cash 100 = 1100: the 56.00 excess is within the cash, so it is change.
    TaxedReceipt mixed = TaxCalculator.compute(request("KES", true, List.of(line("Sugar", "2", "522.00", "B")),
        card("1000"), cash("100")), KENYA, PER_GROUP);
    assertThat(mixed.changeMinor()).isEqualTo(5600);
  }

  @Test
  void overpaymentWithoutEnoughCashIsRefused() {
    FiscalException card = expectRefusal(() -> TaxCalculator.compute(request("KES", true,
        List.of(line("Sugar", "2", "522.00", "B")), card("1100")), KENYA, PER_GROUP),
        ErrorCode.OVERPAYMENT_WITHOUT_CASH, null);
    assertThat(card.getMessage()).contains("KES 1044.00", "KES 56.00", "KES 0.00");
    assertThat(card.details()).containsEntry("total", "1044.00").containsEntry("paid", "1100.00")
        .containsEntry("cash", "0.00").containsEntry("currency", "KES");

    // Card 1050 + cash 1 = 1051: 7.00 over, but only 1.00 of it was cash.
    expectRefusal(() -> TaxCalculator.compute(request("KES", true, List.of(line("Sugar", "2", "522.00", "B")),
        card("1050"), cash("1")), KENYA, PER_GROUP), ErrorCode.OVERPAYMENT_WITHOUT_CASH, null);
  }

  @Test
  void changeMayUseAllTheCashButNotOneCentMore() {
    // Card 1044.00 + cash 0.01: 0.01 over, all of it cash, so 0.01 change.
    TaxedReceipt r = TaxCalculator.compute(request("KES", true, List.of(line("Sugar", "2", "522.00", "B")),
        card("1044.00"), cash("0.01")), KENYA, PER_GROUP);
    assertThat(r.changeMinor()).isEqualTo(1);
    // Card 1044.01 + cash 0.01: 0.02 over, only 0.01 of it cash.
    expectRefusal(() -> TaxCalculator.compute(request("KES", true, List.of(line("Sugar", "2", "522.00", "B")),
        card("1044.01"), cash("0.01")), KENYA, PER_GROUP), ErrorCode.OVERPAYMENT_WITHOUT_CASH, null);
  }

  @Test
  void shortPaymentIsRefusedWithTheShortfall() {
    FiscalException e = expectRefusal(() -> TaxCalculator.compute(request("KES", true,
        List.of(line("Sugar", "2", "522.00", "B")), cash("600"), card("400")), KENYA, PER_GROUP),
        ErrorCode.PAYMENTS_DO_NOT_COVER_TOTAL, null);
    assertThat(e.getMessage()).contains("KES 1000.00", "KES 1044.00", "KES 44.00");
    assertThat(e.details()).isEqualTo(Map.of("total", "1044.00", "paid", "1000.00", "currency", "KES"));
  }

  @Test
  void paymentFinerThanTheCurrencyIsRefused() {
    expectRefusal(() -> TaxCalculator.compute(request("KES", true, List.of(line("Sugar", "2", "522.00", "B")),
        cash("1043.999")), KENYA, PER_GROUP), ErrorCode.INVALID_AMOUNT, "payments[0].amount");
  }

  // Overflow: refused, never wrapped around.

  @Test
  void lineTooLargeForMinorUnits() {
    // 1 000 000 × 10^12 KES = 10^20 cents > Long.MAX_VALUE.
    expectRefusal(() -> TaxCalculator.compute(sale(line("Ship", "1000000", "1000000000000", "B")), KENYA, PER_GROUP),
        ErrorCode.INVALID_AMOUNT, "lines[0]");
    // An absurd exponent is refused without being expanded.
    expectRefusal(() -> TaxCalculator.compute(sale(line("Ship", "1E+999999999", "1", "B")), KENYA, PER_GROUP),
        ErrorCode.INVALID_AMOUNT, "lines[0]");
  }

  @Test
  void tinyProductRoundsToZeroWithoutExpanding() {
    TaxedReceipt r = TaxCalculator.compute(sale(line("Dust", "1E-999999999", "1", "C"), line("Tea", "1", "1", "C")),
        KENYA, PER_GROUP);
    assertThat(r.lines().get(0).amountMinor()).isZero();
  }

  @Test
  void receiptTotalTooLargeForMinorUnits() {
    // Each line is 9 223 372 036 854 000 000 cents, just under Long.MAX_VALUE; two overflow.
    ReceiptLine huge = line("Ship", "1000000", "92233720368.54", "B");
    expectRefusal(() -> TaxCalculator.compute(sale(huge, huge), KENYA, PER_GROUP), ErrorCode.INVALID_AMOUNT, "lines");
    expectRefusal(() -> TaxCalculator.compute(sale(huge, huge), KENYA, PER_LINE), ErrorCode.INVALID_AMOUNT, "lines");
    // Exclusive: the line alone fits, with 16% on top it does not.
    expectRefusal(() -> TaxCalculator.compute(request("KES", false, List.of(huge), cash("1")), KENYA, PER_LINE),
        ErrorCode.INVALID_AMOUNT, "lines[0]");
  }

  @Test
  void paymentsTooLargeForMinorUnits() {
    expectRefusal(() -> TaxCalculator.compute(request("KES", true, List.of(line("Tea", "1", "1", "B")),
        cash("92233720368547758.07"), cash("1")), KENYA, PER_GROUP), ErrorCode.INVALID_AMOUNT, "payments");
    expectRefusal(() -> TaxCalculator.compute(request("KES", true, List.of(line("Tea", "1", "1", "B")),
        cash("92233720368547758.08")), KENYA, PER_GROUP), ErrorCode.INVALID_AMOUNT, "payments[0].amount");
  }

  @Test
  void notesAreTaxedWithPositiveAmounts() {
    ReceiptRequest note = new ReceiptRequest(ReceiptType.CREDIT_NOTE, "KES", true,
        List.of(line("Sugar 1kg", "1", "522.00", "B")), List.of(cash("522.00")), null,
        new io.fiscald.agent.receipt.OriginalReference("INV-000001"), "returned goods");
    TaxedReceipt r = TaxCalculator.compute(note, KENYA, PER_GROUP);
    assertThat(r.totalMinor()).isEqualTo(52200);
    assertThat(r.taxMinor()).isEqualTo(7200);
  }

  @Test
  void documentedMultiRateExampleBalances() throws Exception {
    // docs/examples: B = 2 × 780.00 + (2 × 65.00 − 10.00) = 1680.00 → tax 168000 × 16/116 = 23172.41 → 23172;
    // E = 10.125 × 179.45 = 1816.93125 → 1816.93 → tax 181693 × 8/108 = 13458.74 → 13459; A = 6 × 60.00.
    ReceiptRequest request = new ReceiptRequestParser().parse(
        Files.readAllBytes(Path.of("..", "docs", "examples", "multi-rate-multi-payment.json")));
    TaxedReceipt r = TaxCalculator.compute(request, KENYA, PER_GROUP);
    assertThat(r.taxes()).containsExactly(
        new TaxTotal("A", "Exempt", BigDecimal.ZERO, true, 36000, 0, 36000),
        new TaxTotal("B", "VAT 16%", new BigDecimal("16"), false, 144828, 23172, 168000),
        new TaxTotal("E", "VAT 8%", new BigDecimal("8"), false, 168234, 13459, 181693));
    assertThat(r.totalMinor()).isEqualTo(385693);
    assertThat(r.paidMinor()).isEqualTo(385693);
    assertThat(r.changeMinor()).isZero();
    assertThat(r.lines().get(3).discountMinor()).isEqualTo(1000);
  }

  @Test
  void documentedExamplesAllTax() throws Exception {
    ReceiptRequestParser parser = new ReceiptRequestParser();
    try (var files = Files.list(Path.of("..", "docs", "examples"))) {
      List<Path> examples = files.filter(p -> p.toString().endsWith(".json")).toList();
      assertThat(examples).isNotEmpty();
      for (Path example : examples) {
        for (TaxRounding rounding : TaxRounding.values()) {
          TaxedReceipt r = TaxCalculator.compute(parser.parse(Files.readAllBytes(example)), KENYA, rounding);
          assertThat(r.paidMinor()).as(example.toString()).isGreaterThanOrEqualTo(r.totalMinor());
        }
      }
    }
  }

  // Helpers.

  static ReceiptLine line(String name, String quantity, String unitPrice, String taxCode) {
    return new ReceiptLine(name, new BigDecimal(quantity), new BigDecimal(unitPrice), taxCode);
  }

  static ReceiptLine line(String name, String quantity, String unitPrice, String taxCode, String discount) {
    return new ReceiptLine(name, new BigDecimal(quantity), new BigDecimal(unitPrice), taxCode, null,
        new BigDecimal(discount), null, null);
  }

  static Payment cash(String amount) {
    return new Payment(PaymentMethod.CASH, new BigDecimal(amount), null);
  }

  static Payment card(String amount) {
    return new Payment(PaymentMethod.CARD, new BigDecimal(amount), null);
  }

  static ReceiptRequest request(String currency, boolean inclusive, List<ReceiptLine> lines, Payment... payments) {
    return new ReceiptRequest(ReceiptType.INVOICE, currency, inclusive, lines, List.of(payments), null, null, null);
  }

  /** A KES tax-inclusive invoice paid with more cash than it can cost. */
  static ReceiptRequest sale(ReceiptLine... lines) {
    return request("KES", true, List.of(lines), cash("100000000000000"));
  }

  static FiscalException expectRefusal(ThrowingCallable call, ErrorCode code, String field) {
    FiscalException[] caught = new FiscalException[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(FiscalException.class, e -> {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
      if (field != null) {
        assertThat(e.details()).as(e.getMessage()).containsEntry("field", field);
        assertThat(e.getMessage()).contains(field);
      }
      caught[0] = e;
    });
    return caught[0];
  }
}
