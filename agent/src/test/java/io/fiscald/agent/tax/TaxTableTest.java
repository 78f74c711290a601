package io.fiscald.agent.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaxTableTest {

  @Test
  void kenyaDefaultHasTheFiveEtimsBands() {
    TaxTable table = TaxTable.kenyaDefault();
    assertThat(table.rates()).containsExactly(
        new TaxRate("A", "Exempt", BigDecimal.ZERO, true),
        new TaxRate("B", "VAT 16%", new BigDecimal("16"), false),
        new TaxRate("C", "Zero rated", BigDecimal.ZERO, false),
        new TaxRate("D", "Non-VAT", BigDecimal.ZERO, true),
        new TaxRate("E", "VAT 8%", new BigDecimal("8"), false));
    assertThat(table.find("B")).map(TaxRate::percent).contains(new BigDecimal("16"));
    assertThat(table.find("Z")).isEmpty();
    assertThat(table.find(null)).isEmpty();
    assertThat(table.require("E", "lines[0].taxCode").label()).isEqualTo("VAT 8%");
  }

  @Test
  void unknownCodeIsRefusedWithTheKnownCodes() {
    assertThatThrownBy(() -> TaxTable.kenyaDefault().require("Z", "lines[3].taxCode"))
        .isInstanceOfSatisfying(FiscalException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TAX_CODE);
          assertThat(e.details()).containsEntry("field", "lines[3].taxCode")
              .containsEntry("known", List.of("A", "B", "C", "D", "E"));
          assertThat(e.getMessage()).contains("lines[3].taxCode", "\"Z\"", "A (Exempt)", "B (VAT 16%)", "E (VAT 8%)");
        });
  }

  @Test
  void codesMustBeUniqueAndTheTableNotEmpty() {
    TaxRate b = new TaxRate("B", "VAT 16%", BigDecimal.valueOf(16), false);
    assertThatThrownBy(() -> new TaxTable(List.of(b, new TaxRate("B", "other", BigDecimal.ONE, false))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B appears twice");
    assertThatThrownBy(() -> new TaxTable(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ratesAreValidatedAndNormalised() {
    assertThat(new TaxRate("B", "VAT", new BigDecimal("16.00"), false))
        .isEqualTo(new TaxRate("B", "VAT", new BigDecimal("16"), false));
    assertThat(new TaxRate("X", "VAT", new BigDecimal("15.50"), false).percent()).isEqualTo(new BigDecimal("15.5"));
    assertThat(new TaxRate("X", "VAT", new BigDecimal("1E+2"), false).percent()).isEqualTo(new BigDecimal("100"));
    assertThatThrownBy(() -> new TaxRate("X", "VAT", new BigDecimal("100.01"), false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaxRate("X", "VAT", new BigDecimal("-1"), false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaxRate("X", "VAT", new BigDecimal("15.555"), false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaxRate("X", "Exempt", new BigDecimal("16"), true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaxRate("", "VAT", BigDecimal.ONE, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaxRate("TOOLONGCODE", "VAT", BigDecimal.ONE, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
