package io.fiscald.agent.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void minorDigitsComeFromTheCurrency() {
    assertThat(Money.minorDigits("KES")).isEqualTo(2);
    assertThat(Money.minorDigits("USD")).isEqualTo(2);
    assertThat(Money.minorDigits("JPY")).isZero();
    assertThat(Money.minorDigits("KWD")).isEqualTo(3);
    // XAU (gold) reports -1: no minor unit, so amounts are whole units.
    assertThat(Money.minorDigits("XAU")).isZero();
    assertThatThrownBy(() -> Money.minorDigits("ABC")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toMinorIsExact() {
    assertThat(Money.toMinor(new BigDecimal("1044.00"), 2)).isEqualTo(104400);
    assertThat(Money.toMinor(new BigDecimal("1044"), 2)).isEqualTo(104400);
    assertThat(Money.toMinor(new BigDecimal("0.1"), 2)).isEqualTo(10);
    assertThat(Money.toMinor(new BigDecimal("1044.000"), 2)).isEqualTo(104400);
    assertThat(Money.toMinor(new BigDecimal("5.22E+2"), 2)).isEqualTo(52200);
    assertThat(Money.toMinor(new BigDecimal("-3.5"), 2)).isEqualTo(-350);
    assertThat(Money.toMinor(new BigDecimal("0E-999999999"), 2)).isZero();
    assertThat(Money.toMinor(new BigDecimal("1500"), 0)).isEqualTo(1500);
    assertThat(Money.toMinor(new BigDecimal("1.234"), 3)).isEqualTo(1234);
    assertThat(Money.toMinor(new BigDecimal("92233720368547758.07"), 2)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void toMinorRefusesWhatItCannotHoldExactly() {
    assertThatThrownBy(() -> Money.toMinor(new BigDecimal("0.001"), 2))
        .isInstanceOf(ArithmeticException.class).hasMessageContaining("more than 2 decimal places");
    assertThatThrownBy(() -> Money.toMinor(new BigDecimal("0.5"), 0)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Money.toMinor(new BigDecimal("92233720368547758.08"), 2))
        .isInstanceOf(ArithmeticException.class);
    // Refused by its exponent, not by expanding a billion digits.
    assertThatThrownBy(() -> Money.toMinor(new BigDecimal("1E+999999999"), 2))
        .isInstanceOf(ArithmeticException.class).hasMessageContaining("too large");
    assertThatThrownBy(() -> Money.toMinor(new BigDecimal("1E-999999999"), 2))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void fromMinorKeepsTheCurrencyScale() {
    assertThat(Money.fromMinor(104400, 2)).isEqualTo(new BigDecimal("1044.00"));
    assertThat(Money.fromMinor(-350, 2)).isEqualTo(new BigDecimal("-3.50"));
    assertThat(Money.fromMinor(1500, 0)).isEqualTo(new BigDecimal("1500"));
    assertThat(Money.fromMinor(7, 3)).isEqualTo(new BigDecimal("0.007"));
  }

  @Test
  void formatsPlainAndGrouped() {
    assertThat(Money.format(104400, 2)).isEqualTo("1044.00");
    assertThat(Money.format(-350, 2)).isEqualTo("-3.50");
    assertThat(Money.format(0, 2)).isEqualTo("0.00");
    assertThat(Money.format(5, 2)).isEqualTo("0.05");
    assertThat(Money.format(1500, 0)).isEqualTo("1500");
    assertThat(Money.formatGrouped(104400, 2)).isEqualTo("1,044.00");
    assertThat(Money.formatGrouped(123456789, 2)).isEqualTo("1,234,567.89");
    assertThat(Money.formatGrouped(99999, 2)).isEqualTo("999.99");
    assertThat(Money.formatGrouped(-100000, 2)).isEqualTo("-1,000.00");
    assertThat(Money.formatGrouped(1234567, 0)).isEqualTo("1,234,567");
    assertThat(Money.formatGrouped(0, 3)).isEqualTo("0.000");
    assertThat(Money.formatGrouped(Long.MIN_VALUE, 2)).isEqualTo("-92,233,720,368,547,758.08");
  }

  @Test
  void refusesImpossibleDigitCounts() {
    assertThatThrownBy(() -> Money.fromMinor(1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.toMinor(BigDecimal.ONE, 19)).isInstanceOf(IllegalArgumentException.class);
  }
}
