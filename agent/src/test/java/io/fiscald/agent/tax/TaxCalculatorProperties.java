package io.fiscald.agent.tax;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptLine;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Invariants of {@link TaxCalculator} and {@link Money} over random receipts and tax tables. */
class TaxCalculatorProperties {
  /** Cash that covers any generated receipt: totals stay below 10^15 units of any currency. */
  private static final Payment PLENTY = new Payment(PaymentMethod.CASH, new BigDecimal("1000000000000000"), null);

  /** A random request and the table it is taxed with. */
  record Scenario(ReceiptRequest request, TaxTable table) {}

  @Property(tries = 300)
  void netPlusTaxIsGrossAndTotalsAreSumsOfGroups(@ForAll("scenarios") Scenario s, @ForAll TaxRounding rounding) {
    TaxedReceipt r = TaxCalculator.compute(s.request(), s.table(), rounding);
    long net = 0;
    long tax = 0;
    long gross = 0;
    for (TaxTotal t : r.taxes()) {
      assertThat(t.netMinor() + t.taxMinor()).isEqualTo(t.grossMinor());
      List<TaxedLine> group = r.lines().stream().filter(l -> l.taxCode().equals(t.taxCode())).toList();
      assertThat(group).isNotEmpty();
      long amounts = group.stream().mapToLong(TaxedLine::amountMinor).sum();
      // The POS's prices are what the group adds up to: gross when they include tax, net when not.
      assertThat(r.pricesIncludeTax() ? t.grossMinor() : t.netMinor()).isEqualTo(amounts);
      if (rounding == TaxRounding.PER_LINE) {
        assertThat(t.taxMinor()).isEqualTo(group.stream().mapToLong(TaxedLine::taxMinor).sum());
        assertThat(t.netMinor()).isEqualTo(group.stream().mapToLong(TaxedLine::netMinor).sum());
      }
      net += t.netMinor();
      tax += t.taxMinor();
      gross += t.grossMinor();
    }
    for (TaxedLine l : r.lines()) {
      assertThat(l.netMinor() + l.taxMinor()).isEqualTo(l.grossMinor());
    }
    assertThat(r.netMinor()).isEqualTo(net);
    assertThat(r.taxMinor()).isEqualTo(tax);
    assertThat(r.totalMinor()).isEqualTo(gross);
    assertThat(r.netMinor() + r.taxMinor()).isEqualTo(r.totalMinor());
    assertThat(r.taxes()).extracting(TaxTotal::taxCode).isSorted().doesNotHaveDuplicates();
  }

  @Property(tries = 300)
  void perGroupTaxMatchesAnIndependentReference(@ForAll("scenarios") Scenario s) {
    ReceiptRequest request = s.request();
    int digits = Money.minorDigits(request.currency());
    Map<String, Long> amountByCode = new LinkedHashMap<>();
    for (ReceiptLine line : request.lines()) {
      long amount = line.quantity().multiply(line.unitPrice()).setScale(digits, RoundingMode.HALF_UP)
          .subtract(line.discount()).movePointRight(digits).longValueExact();
      amountByCode.merge(line.taxCode(), amount, Long::sum);
    }

    TaxedReceipt r = TaxCalculator.compute(request, s.table(), TaxRounding.PER_GROUP);

    assertThat(r.taxes()).hasSize(amountByCode.size());
    for (TaxTotal t : r.taxes()) {
      TaxRate rate = s.table().find(t.taxCode()).orElseThrow();
      long amount = amountByCode.get(t.taxCode());
      // percent = P / 100 with P whole; inclusive tax = a·P / (10000 + P), exclusive = a·P / 10000.
      BigInteger p = rate.percent().movePointRight(2).toBigIntegerExact();
      BigInteger a = BigInteger.valueOf(amount);
      BigInteger denominator = request.pricesIncludeTax() ? BigInteger.valueOf(10000).add(p) : BigInteger.valueOf(10000);
      long expected = rate.exempt() ? 0 : halfUp(a.multiply(p), denominator);
      assertThat(t.taxMinor()).as("tax of group %s on %d", t.taxCode(), amount).isEqualTo(expected);
      assertThat(request.pricesIncludeTax() ? t.grossMinor() : t.netMinor()).isEqualTo(amount);
    }
  }

  @Property(tries = 300)
  void perGroupTaxIsWithinOneMinorUnitPerLineOfTheLineTaxes(@ForAll("scenarios") Scenario s) {
    TaxedReceipt r = TaxCalculator.compute(s.request(), s.table(), TaxRounding.PER_GROUP);
    for (TaxTotal t : r.taxes()) {
      List<TaxedLine> group = r.lines().stream().filter(l -> l.taxCode().equals(t.taxCode())).toList();
      long lineTaxes = group.stream().mapToLong(TaxedLine::taxMinor).sum();
      assertThat(Math.abs(lineTaxes - t.taxMinor())).isLessThanOrEqualTo(group.size());
    }
  }

  @Property(tries = 300)
  void noAmountIsNegative(@ForAll("scenarios") Scenario s, @ForAll TaxRounding rounding) {
    TaxedReceipt r = TaxCalculator.compute(s.request(), s.table(), rounding);
    for (TaxedLine l : r.lines()) {
      assertThat(List.of(l.discountMinor(), l.amountMinor(), l.grossMinor(), l.netMinor(), l.taxMinor()))
          .allSatisfy(v -> assertThat(v).isNotNegative());
    }
    for (TaxTotal t : r.taxes()) {
      assertThat(List.of(t.netMinor(), t.taxMinor(), t.grossMinor())).allSatisfy(v -> assertThat(v).isNotNegative());
    }
    assertThat(List.of(r.netMinor(), r.taxMinor(), r.totalMinor(), r.paidMinor(), r.changeMinor()))
        .allSatisfy(v -> assertThat(v).isNotNegative());
  }

  @Property
  void minorUnitsRoundTrip(@ForAll long minor, @ForAll @IntRange(min = 0, max = 6) int digits) {
    BigDecimal amount = Money.fromMinor(minor, digits);
    assertThat(amount.scale()).isEqualTo(digits);
    assertThat(Money.toMinor(amount, digits)).isEqualTo(minor);
    assertThat(new BigDecimal(Money.format(minor, digits))).isEqualTo(amount);
  }

  @Property
  void decimalsRoundTripThroughMinorUnits(@ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long unscaled,
      @ForAll @IntRange(min = 0, max = 3) int scale, @ForAll @IntRange(min = 3, max = 6) int digits) {
    BigDecimal amount = BigDecimal.valueOf(unscaled, scale);
    assertThat(Money.fromMinor(Money.toMinor(amount, digits), digits)).isEqualByComparingTo(amount);
  }

  @Property(tries = 300)
  void paymentsExactlyEqualToTheTotalAlwaysPass(@ForAll("scenarios") Scenario s, @ForAll TaxRounding rounding,
      @ForAll @IntRange(min = 1, max = 5) int parts, @ForAll PaymentMethod method) {
    long total = TaxCalculator.compute(s.request(), s.table(), rounding).totalMinor();
    Assume.that(total >= parts); // every tender must be greater than zero
    int digits = Money.minorDigits(s.request().currency());
    List<Payment> payments = new ArrayList<>();
    long left = total;
    for (int i = 0; i < parts; i++) {
      long share = i == parts - 1 ? left : total / parts;
      PaymentMethod m = i % 2 == 0 ? method : PaymentMethod.values()[i % PaymentMethod.values().length];
      payments.add(new Payment(m, Money.fromMinor(share, digits), null));
      left -= share;
    }
    ReceiptRequest exact = new ReceiptRequest(s.request().type(), s.request().currency(),
        s.request().pricesIncludeTax(), s.request().lines(), payments, null, null, null);

    TaxedReceipt r = TaxCalculator.compute(exact, s.table(), rounding);

    assertThat(r.totalMinor()).isEqualTo(total);
    assertThat(r.paidMinor()).isEqualTo(total);
    assertThat(r.changeMinor()).isZero();
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<String> currency = Arbitraries.of("KES", "USD", "JPY", "KWD", "ZAR");
    return Combinators.combine(currency, taxRates(), Arbitraries.of(true, false)).flatAs((cur, rates, inclusive) -> {
      int digits = Money.minorDigits(cur);
      List<String> codes = rates.stream().map(TaxRate::code).toList();
      return line(digits, codes).list().ofMinSize(1).ofMaxSize(12).map(lines -> new Scenario(
          new ReceiptRequest(ReceiptType.INVOICE, cur, inclusive, lines, List.of(PLENTY), null, null, null),
          new TaxTable(rates)));
    });
  }

  /** One to four rates: mostly percentages with up to two decimals, some zero-rated, some exempt. */
  private static Arbitrary<List<TaxRate>> taxRates() {
    Arbitrary<BigDecimal> percent = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.of(new BigDecimal("16"), new BigDecimal("8"), new BigDecimal("15.5"))),
        Tuple.of(3, Arbitraries.integers().between(0, 10000).map(p -> BigDecimal.valueOf(p, 2))),
        Tuple.of(1, Arbitraries.just(BigDecimal.ZERO)));
    Arbitrary<Boolean> exempt = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false));
    return Combinators.combine(percent, exempt).as((p, e) -> e ? null : p).injectNull(0).list()
        .ofMinSize(1).ofMaxSize(4).map(TaxCalculatorProperties::table);
  }

  /** A null percent stands for an exempt rate. */
  private static List<TaxRate> table(List<BigDecimal> percents) {
    List<TaxRate> rates = new ArrayList<>();
    for (int i = 0; i < percents.size(); i++) {
      BigDecimal p = percents.get(i);
      rates.add(new TaxRate("T" + i, "Tax " + i, p == null ? BigDecimal.ZERO : p, p == null));
    }
    return rates;
  }

  private static Arbitrary<ReceiptLine> line(int digits, List<String> codes) {
    Arbitrary<BigDecimal> quantity = Combinators.combine(
        Arbitraries.longs().between(1, 100_000), Arbitraries.integers().between(0, 3)).as(BigDecimal::valueOf);
    Arbitrary<BigDecimal> unitPrice = Combinators.combine(
        Arbitraries.longs().between(0, 100_000_000), Arbitraries.integers().between(0, digits + 2))
        .as(BigDecimal::valueOf);
    Arbitrary<Integer> discountPercent = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 100)));
    return Combinators.combine(quantity, unitPrice, Arbitraries.of(codes), discountPercent)
        .as((q, p, code, pct) -> {
          // A discount of up to the whole line, in whole minor units, never more than the line.
          BigDecimal extended = q.multiply(p).setScale(digits, RoundingMode.HALF_UP);
          BigDecimal discount = extended.multiply(BigDecimal.valueOf(pct)).divide(BigDecimal.valueOf(100))
              .setScale(digits, RoundingMode.DOWN);
          return new ReceiptLine("Item", q, p, code, null, discount, null, null);
        });
  }

  private static long halfUp(BigInteger numerator, BigInteger denominator) {
    // floor((2n + d) / 2d) rounds n/d half-up for non-negative n and positive d.
    BigInteger two = BigInteger.TWO;
    return numerator.multiply(two).add(denominator).divide(denominator.multiply(two)).longValueExact();
  }
}
