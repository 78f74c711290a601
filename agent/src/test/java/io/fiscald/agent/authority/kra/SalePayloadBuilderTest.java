package io.fiscald.agent.authority.kra;

import static io.fiscald.agent.authority.kra.KraFixtures.ISSUED;
import static io.fiscald.agent.authority.kra.KraFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class SalePayloadBuilderTest {
  private static final Buyer ACME = new Buyer("Acme Ltd", "P051111111A");

  private static FiscalReceipt mixedSale() {
    return KraFixtures.receipt(KraFixtures.sale(ACME, "3856.93",
        line("Rice 5kg", "2", "780.00", "B"),
        line("Fresh milk 500ml", "6", "60.00", "A"),
        line("Petrol", "10.125", "179.45", "E"),
        line("Bread 400g", "2", "65.00", "B", "10.00")), "INV-000001", ISSUED);
  }

  private static JsonNode wire(KraSale sale) {
    return KraJson.read(KraJson.write(sale.payload()));
  }

  @Test
  void saleHeaderFollowsTheSheet() {
    FiscalReceipt r = mixedSale();
    JsonNode p = wire(SalePayloadBuilder.build(r, KraFixtures.context(r, 7, 0, KraLabel.NS, KraFixtures.rates())));
    assertThat(p.get("tin").asText()).isEqualTo(KraFixtures.PIN);
    assertThat(p.get("bhfId").asText()).isEqualTo("00");
    assertThat(p.get("trdInvcNo").asText()).isEqualTo("INV-000001");
    assertThat(p.get("invcNo").isIntegralNumber()).as("invcNo is a JSON number, never a string").isTrue();
    assertThat(p.get("invcNo").asLong()).isEqualTo(7);
    assertThat(p.get("orgInvcNo").asLong()).isZero();
    assertThat(p.get("custTin").asText()).isEqualTo("P051111111A");
    assertThat(p.get("custNm").asText()).isEqualTo("Acme Ltd");
    assertThat(p.get("salesTyCd").asText()).isEqualTo("N");
    assertThat(p.get("rcptTyCd").asText()).isEqualTo("S");
    assertThat(p.get("pmtTyCd").asText()).isEqualTo("01");
    assertThat(p.get("salesSttsCd").asText()).isEqualTo("02");
    assertThat(p.get("cfmDt").asText()).isEqualTo("20261124112142"); // Africa/Nairobi, UTC+3
    assertThat(p.get("salesDt").asText()).isEqualTo("20261124");
    assertThat(p.get("rfdDt").isNull()).isTrue();
    assertThat(p.get("totItemCnt").asInt()).isEqualTo(4);
    assertThat(p.get("prchrAcptcYn").asText()).isEqualTo("N");
    assertThat(p.get("receipt").get("rcptPbctDt").asText()).isEqualTo("20261124112142");
    assertThat(p.get("receipt").get("custTin").asText()).isEqualTo("P051111111A");
    assertThat(p.get("receipt").get("trdeNm").asText()).hasSizeLessThanOrEqualTo(20);
    assertThat(p.has("cmcKey")).as("the key is added by the client, never stored in a payload").isFalse();
  }

  @Test
  void allFifteenBandFieldsAndTotals() {
    FiscalReceipt r = mixedSale();
    JsonNode p = wire(SalePayloadBuilder.build(r, KraFixtures.context(r, 1, 0, KraLabel.NS, KraFixtures.rates())));
    for (String f : List.of("taxblAmt", "taxRt", "taxAmt")) {
      for (KraBand b : KraBand.values()) {
        assertThat(p.get(f + b)).as(f + b).isNotNull();
        assertThat(p.get(f + b).isNumber()).as(f + b).isTrue();
      }
    }
    // B: 1560 → 1344.83 / 215.17; 120 → 103.45 / 16.55
    assertThat(p.get("taxblAmtB").decimalValue()).isEqualByComparingTo("1448.28");
    assertThat(p.get("taxAmtB").decimalValue()).isEqualByComparingTo("231.72");
    assertThat(p.get("taxblAmtA").decimalValue()).isEqualByComparingTo("360.00");
    assertThat(p.get("taxblAmtE").decimalValue()).isEqualByComparingTo("1682.34");
    assertThat(p.get("taxAmtE").decimalValue()).isEqualByComparingTo("134.59");
    assertThat(p.get("taxblAmtC").decimalValue()).isEqualByComparingTo("0");
    assertThat(p.get("taxRtB").decimalValue()).isEqualByComparingTo("16");
    assertThat(p.get("taxRtE").decimalValue()).isEqualByComparingTo("8");
    assertThat(p.get("totAmt").decimalValue()).isEqualByComparingTo("3856.93");
    assertThat(p.get("totTaxAmt").decimalValue()).isEqualByComparingTo("366.31");
    assertThat(p.get("totTaxblAmt").decimalValue()).isEqualByComparingTo("3490.62");
    assertThat(KraPayloadCheck.check(p, KraFixtures.rates())).isEmpty();
  }

  @Test
  void itemLinesCarryCodesAmountsAndPackages() {
    FiscalReceipt r = mixedSale();
    JsonNode items = wire(SalePayloadBuilder.build(r, KraFixtures.context(r, 1, 0, KraLabel.NS,
        KraFixtures.rates()))).get("itemList");
    assertThat(items).hasSize(4);
    JsonNode bread = items.get(3);
    assertThat(bread.get("itemSeq").asInt()).isEqualTo(4);
    assertThat(bread.get("itemCd").asText()).isEqualTo("KE2NTNO0000004");
    assertThat(bread.get("itemNm").asText()).isEqualTo("Bread 400g");
    assertThat(bread.get("pkg").decimalValue()).isEqualByComparingTo("2");
    assertThat(bread.get("qty").decimalValue()).isEqualByComparingTo("2");
    assertThat(bread.get("prc").decimalValue()).isEqualByComparingTo("65.00");
    assertThat(bread.get("splyAmt").decimalValue()).isEqualByComparingTo("130.00");
    assertThat(bread.get("dcRt").decimalValue()).isEqualByComparingTo("7.69");
    assertThat(bread.get("dcAmt").decimalValue()).isEqualByComparingTo("10.00");
    assertThat(bread.get("taxTyCd").asText()).isEqualTo("B");
    assertThat(bread.get("taxblAmt").decimalValue()).isEqualByComparingTo("103.45");
    assertThat(bread.get("taxAmt").decimalValue()).isEqualByComparingTo("16.55");
    assertThat(bread.get("totAmt").decimalValue()).isEqualByComparingTo("120.00");
  }

  @Test
  void kraRejectionMessagesAreReproducedForWrongAmounts() {
    FiscalReceipt r = KraFixtures.receipt(KraFixtures.sale(null, "100.00", line("Soap", "1", "100.00", "B")),
        "INV-000002", ISSUED);
    ObjectNode p = (ObjectNode) wire(SalePayloadBuilder.build(r, KraFixtures.context(r, 1, 0, KraLabel.NS,
        KraFixtures.rates())));
    ObjectNode item = (ObjectNode) p.get("itemList").get(0);
    item.put("taxblAmt", new BigDecimal("100.00"));
    assertThat(KraPayloadCheck.check(p, KraFixtures.rates()))
        .contains("Invalid taxblAmt on item: 1. Expected: 86.21, But Found: 100.00");

    FiscalReceipt big = KraFixtures.receipt(KraFixtures.sale(null, "1302.07", line("Tyre", "1", "1302.07", "B")),
        "INV-000003", ISSUED);
    ObjectNode q = (ObjectNode) wire(SalePayloadBuilder.build(big, KraFixtures.context(big, 1, 0, KraLabel.NS,
        KraFixtures.rates())));
    ((ObjectNode) q.get("itemList").get(0)).put("splyAmt", new BigDecimal("1122.00"));
    assertThat(KraPayloadCheck.check(q, KraFixtures.rates()))
        .contains("Invalid splyAmnt on item: 1. Expected: 1302.07, But Found: 1122.00");
  }

  @Test
  void hardCodedEightPercentForEIsWhatTheLiveGatewayRefuses() {
    FiscalReceipt r = KraFixtures.receipt(KraFixtures.sale(null, "100.00", line("Soap", "1", "100.00", "B")),
        "INV-000004", ISSUED);
    JsonNode p = wire(SalePayloadBuilder.build(r, KraFixtures.context(r, 1, 0, KraLabel.NS, KraFixtures.rates("8"))));
    assertThat(KraPayloadCheck.check(p, KraFixtures.rates("0")))
        .containsExactly("Rule taxRtE failed: Tax rate mismatch. Expected: 0.00, Found: 8");
    JsonNode fromList = wire(SalePayloadBuilder.build(r, KraFixtures.context(r, 1, 0, KraLabel.NS,
        KraFixtures.rates("0"))));
    assertThat(KraPayloadCheck.check(fromList, KraFixtures.rates("0"))).isEmpty();
  }

  @Test
  void creditNoteGoesOutPositiveWithItsOriginalAndRefundFields() {
    FiscalReceipt note = KraFixtures.receipt(KraFixtures.credit("INV-000001", ACME, "522.00", "damaged",
        line("Sugar 1kg", "1", "522.00", "B")), "CRN-000001", "2026-11-24T09:00:00.000Z");
    JsonNode p = wire(SalePayloadBuilder.build(note, KraFixtures.context(note, 9, 7, KraLabel.NC, KraFixtures.rates())));
    assertThat(p.get("rcptTyCd").asText()).isEqualTo("R");
    assertThat(p.get("salesTyCd").asText()).isEqualTo("N");
    assertThat(p.get("orgInvcNo").asLong()).isEqualTo(7);
    assertThat(p.get("invcNo").asLong()).isEqualTo(9);
    assertThat(p.get("rfdDt").asText()).isEqualTo("20261124120000");
    assertThat(p.get("rfdRsnCd").asText()).isEqualTo("06");
    assertThat(p.get("totAmt").decimalValue()).isEqualByComparingTo("522.00");
    assertThat(p.get("taxblAmtB").decimalValue()).isPositive();
    assertThat(p.get("itemList").get(0).get("qty").decimalValue()).isPositive();
    assertThat(KraPayloadCheck.check(p, KraFixtures.rates())).isEmpty();
  }

  @Test
  void creditNoteWithoutTheOriginalsInvoiceNumberIsRefused() {
    FiscalReceipt note = KraFixtures.receipt(KraFixtures.credit("INV-000001", ACME, "522.00", "damaged",
        line("Sugar 1kg", "1", "522.00", "B")), "CRN-000001", ISSUED);
    assertThatThrownBy(() -> SalePayloadBuilder.build(note, KraFixtures.context(note, 9, 0, KraLabel.NC,
        KraFixtures.rates()))).isInstanceOf(FiscalException.class).hasMessageContaining("orgInvcNo");
  }

  @Test
  void trainingAndProformaSalesCarryTheirSalesType() {
    FiscalReceipt r = KraFixtures.receipt(KraFixtures.sale(null, "100.00", line("Soap", "1", "100.00", "B")),
        "INV-000005", ISSUED);
    assertThat(wire(SalePayloadBuilder.build(r, KraFixtures.context(r, 1, 0, KraLabel.TS, KraFixtures.rates())))
        .get("salesTyCd").asText()).isEqualTo("T");
    assertThat(wire(SalePayloadBuilder.build(r, KraFixtures.context(r, 1, 0, KraLabel.PS, KraFixtures.rates())))
        .get("salesTyCd").asText()).isEqualTo("P");
  }

  @Test
  void whatEtimsCannotTakeIsRefusedBeforeJournalling() {
    FiscalReceipt usd = KraDraftReceipt.of(new ReceiptRequest(ReceiptType.INVOICE, "USD", true,
        List.of(line("Soap", "1", "1.00", "B")), List.of(new Payment(PaymentMethod.CASH, BigDecimal.ONE, null)),
        null, null, null), KraFixtures.rates(), "INV-1", ISSUED, null);
    assertThatThrownBy(() -> SalePayloadBuilder.checkShape(usd, PriceMode.INCLUSIVE))
        .hasMessageContaining("KES");
    FiscalReceipt exclusive = KraDraftReceipt.of(new ReceiptRequest(ReceiptType.INVOICE, "KES", false,
        List.of(line("Soap", "1", "1.00", "B")), List.of(new Payment(PaymentMethod.CASH, new BigDecimal("1.16"), null)),
        null, null, null), KraFixtures.rates(), "INV-1", ISSUED, null);
    assertThatThrownBy(() -> SalePayloadBuilder.checkShape(exclusive, PriceMode.INCLUSIVE))
        .isInstanceOf(FiscalException.class).hasMessageContaining("pricesIncludeTax: true")
        .satisfies(e -> assertThat(((FiscalException) e).code()).isEqualTo(ErrorCode.INVALID_FIELD));
    FiscalReceipt debit = KraDraftReceipt.of(new ReceiptRequest(ReceiptType.DEBIT_NOTE, "KES", true,
        List.of(line("Soap", "1", "1.00", "B")), List.of(new Payment(PaymentMethod.CASH, BigDecimal.ONE, null)),
        null, new io.fiscald.agent.receipt.OriginalReference("INV-1"), "more"), KraFixtures.rates(), "DBN-1", ISSUED,
        "INV-1");
    assertThatThrownBy(() -> SalePayloadBuilder.checkShape(debit, PriceMode.INCLUSIVE))
        .hasMessageContaining("no debit note");
  }
}
