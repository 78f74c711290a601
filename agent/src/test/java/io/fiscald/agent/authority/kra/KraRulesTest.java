package io.fiscald.agent.authority.kra;

import static io.fiscald.agent.authority.kra.KraFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.authority.kra.client.EtimsResponse;
import io.fiscald.agent.authority.kra.client.HttpEtimsClient;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.receipt.PaymentMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KraRulesTest {
  private static final Buyer ACME = new Buyer("Acme Ltd", "P051111111A");

  @Test
  void labelsAreSalesTypePlusReceiptType() {
    assertThat(KraLabel.of(SaleMode.NORMAL, false)).isEqualTo(KraLabel.NS);
    assertThat(KraLabel.NC.salesTyCd() + KraLabel.NC.rcptTyCd()).isEqualTo("NR");
    assertThat(KraLabel.TC.salesTyCd()).isEqualTo("T");
    assertThat(KraLabel.PS.rcptTyCd()).isEqualTo("S");
    assertThat(KraLabel.NS.copy()).isEqualTo(KraLabel.CS);
    assertThat(KraLabel.NC.copy()).isEqualTo(KraLabel.CC);
    assertThat(KraLabel.NS.watermarked()).isFalse();
    assertThat(List.of(KraLabel.CS, KraLabel.CC, KraLabel.TS, KraLabel.TC, KraLabel.PS))
        .allMatch(KraLabel::watermarked);
    assertThatThrownBy(() -> KraLabel.of(SaleMode.PROFORMA, true)).hasMessageContaining("no proforma credit note");
  }

  @Test
  void itemCodesAreFourteenCharactersWithTwoCharacterUnits() {
    ItemCode code = new ItemCode("KE", "2", "NT", "BA", 12);
    assertThat(code.code()).isEqualTo("KE2NTBA0000012");
    assertThat(ItemCode.parse("KE2NTBA0000012")).isEqualTo(code);
    assertThatThrownBy(() -> new ItemCode("KE", "2", "NT", "U", 1)).hasMessageContaining("QtyUnitCd");
    assertThatThrownBy(() -> new ItemCode("KE", "2", "NT", "BLL", 1)).hasMessageContaining("exactly 2");
    assertThatThrownBy(() -> new ItemCode("KE", "4", "NT", "NO", 1)).hasMessageContaining("itemTyCd");
    assertThatThrownBy(() -> ItemCode.parse("KE2NTNOX0000001")).isInstanceOf(FiscalException.class);
    FiscalReceipt r = KraFixtures.receipt(KraFixtures.sale(null, "10.00",
        new io.fiscald.agent.receipt.ReceiptLine("Milk", java.math.BigDecimal.ONE, java.math.BigDecimal.TEN, "A",
            null, null, null, "L")), "INV-1", KraFixtures.ISSUED);
    // a 1-character unit on the line falls back to the device's 2-character default
    assertThat(KraItems.draft(KraFixtures.config(), r.lines().get(0), 3).itemCd()).isEqualTo("KE2NTNO0000003");
  }

  @Test
  void bothSequenceRejectionWordingsAreRead() {
    assertThat(SequenceRejection.expected("Invalid invcNo sequence, expected: 14 but found: 16").getAsLong())
        .isEqualTo(14);
    assertThat(SequenceRejection.expected("Invc No: 16 is invalid, use the expected value: 14").getAsLong())
        .isEqualTo(14);
    assertThat(SequenceRejection.expected("Invalid taxblAmt on item: 1. Expected: 86.21, But Found: 100.00"))
        .isEmpty();
    assertThat(KraStock.expectedSarNo("Invalid sarNo: Expected: 4 but found: 7").getAsLong()).isEqualTo(4);
  }

  @Test
  void creditNoteRules() {
    FiscalReceipt original = KraFixtures.receipt(KraFixtures.sale(ACME, "1044.00",
        line("Sugar 1kg", "2", "522.00", "B")), "INV-000001", KraFixtures.ISSUED);
    FiscalReceipt one = KraFixtures.receipt(KraFixtures.credit("INV-000001", ACME, "522.00", "06 refund",
        line("Sugar 1kg", "1", "522.00", "B")), "CRN-000001", "2026-11-24T09:00:00.000Z");
    KraCreditNotes.check(one, original, List.of());

    FiscalReceipt otherPin = KraFixtures.receipt(KraFixtures.credit("INV-000001", new Buyer("Acme", "P059999999Z"),
        "522.00", "refund", line("Sugar 1kg", "1", "522.00", "B")), "CRN-000002", "2026-11-24T09:00:00.000Z");
    assertThatThrownBy(() -> KraCreditNotes.check(otherPin, original, List.of()))
        .satisfies(e -> assertThat(((FiscalException) e).code()).isEqualTo(ErrorCode.CREDIT_NOTE_BUYER_MISMATCH));

    FiscalReceipt early = KraFixtures.receipt(KraFixtures.credit("INV-000001", ACME, "522.00", "refund",
        line("Sugar 1kg", "1", "522.00", "B")), "CRN-000003", "2026-11-23T09:00:00.000Z");
    assertThatThrownBy(() -> KraCreditNotes.check(early, original, List.of()))
        .satisfies(e -> assertThat(((FiscalException) e).code()).isEqualTo(ErrorCode.CREDIT_NOTE_BEFORE_ORIGINAL));

    // cumulative: a second and a third unit of the two sold
    KraCreditNotes.check(one, original, List.of(one));
    assertThatThrownBy(() -> KraCreditNotes.check(one, original, List.of(one, one)))
        .satisfies(e -> assertThat(((FiscalException) e).code()).isEqualTo(ErrorCode.CREDIT_EXCEEDS_ORIGINAL))
        .hasMessageContaining("more than the 2 sold");

    FiscalReceipt notSold = KraFixtures.receipt(KraFixtures.credit("INV-000001", ACME, "10.00", "refund",
        line("Salt", "1", "10.00", "B")), "CRN-000004", "2026-11-24T09:00:00.000Z");
    assertThatThrownBy(() -> KraCreditNotes.check(notSold, original, List.of())).hasMessageContaining("was not sold");

    FiscalReceipt dearer = KraFixtures.receipt(KraFixtures.credit("INV-000001", ACME, "600.00", "refund",
        line("Sugar 1kg", "1", "600.00", "B")), "CRN-000005", "2026-11-24T09:00:00.000Z");
    assertThatThrownBy(() -> KraCreditNotes.check(dearer, original, List.of(one)))
        .hasMessageContaining("more than the 1044.00");
  }

  @Test
  void refundReasonsComeFromClass32() {
    List<KraCodeLists.Code> class32 = List.of(new KraCodeLists.Code("01", "Missing Quantity", null, true),
        new KraCodeLists.Code("03", "Damaged", null, true), new KraCodeLists.Code("06", "Refund", null, true));
    assertThat(KraCreditNotes.reasonCode("Packet damaged, returned", class32, "06")).isEqualTo("03");
    assertThat(KraCreditNotes.reasonCode("01 short delivery", class32, "06")).isEqualTo("01");
    assertThat(KraCreditNotes.reasonCode("changed mind", class32, "06")).isEqualTo("06");
  }

  @Test
  void paymentCodesAreMatchedByNameInTheLiveList() {
    List<KraCodeLists.Code> live = List.of(new KraCodeLists.Code("01", "CASH", null, true),
        new KraCodeLists.Code("02", "CREDIT", null, true), new KraCodeLists.Code("03", "CASH/CREDIT", null, true),
        new KraCodeLists.Code("04", "BANK CHECK", null, true), new KraCodeLists.Code("05", "DEBIT&CREDIT CARD", null, true),
        new KraCodeLists.Code("06", "CARD", null, true), new KraCodeLists.Code("07", "MOBILE MONEY", null, true),
        new KraCodeLists.Code("08", "OTHER", null, true));
    KraPaymentCodes codes = KraPaymentCodes.from(live, Map.of());
    assertThat(codes.code(PaymentMethod.CASH)).isEqualTo("01");
    assertThat(codes.code(PaymentMethod.CARD)).isEqualTo("06");
    assertThat(codes.code(PaymentMethod.MOBILE_MONEY)).isEqualTo("07");
    assertThat(codes.code(PaymentMethod.VOUCHER)).isEqualTo("08");
    assertThat(codes.pmtTyCd(List.of(new FiscalReceipt.Paid("CASH", 100, null),
        new FiscalReceipt.Paid("CREDIT", 50, null)))).isEqualTo("03");
    assertThat(codes.pmtTyCd(List.of(new FiscalReceipt.Paid("CASH", 100, null),
        new FiscalReceipt.Paid("MOBILE_MONEY", 500, "X")))).isEqualTo("07");
    assertThat(KraPaymentCodes.from(live, Map.of("CARD", "05")).code(PaymentMethod.CARD)).isEqualTo("05");
  }

  @Test
  void codeListsMergeAndGiveRatesFromUserDfnCd1() {
    var data = KraJson.read("{\"clsList\":[{\"cdCls\":\"04\",\"cdClsNm\":\"Taxation Type\",\"dtlList\":["
        + "{\"cd\":\"A\",\"cdNm\":\"A-Exempt\",\"userDfnCd1\":\"0\"},{\"cd\":\"B\",\"cdNm\":\"B-16.00%\",\"userDfnCd1\":\"16\"},"
        + "{\"cd\":\"C\",\"cdNm\":\"C-0%\",\"userDfnCd1\":\"0\"},{\"cd\":\"D\",\"cdNm\":\"D-Non-VAT\",\"userDfnCd1\":\"0\"},"
        + "{\"cd\":\"E\",\"cdNm\":\"E-8%\",\"userDfnCd1\":\"8\"}]}]}");
    KraCodeLists lists = KraCodeLists.empty().merge(data, "20261124000000");
    assertThat(KraCodeLists.empty().lastReqDt()).isEqualTo("20180101000000");
    assertThat(lists.lastReqDt()).isEqualTo("20261124000000");
    assertThat(lists.rates().orElseThrow()).isEqualTo(KraFixtures.rates("8"));
    var change = KraJson.read("{\"clsList\":[{\"cdCls\":\"04\",\"dtlList\":[{\"cd\":\"E\",\"cdNm\":\"E-8%\","
        + "\"userDfnCd1\":\"0\"}]}]}");
    KraCodeLists later = KraCodeLists.fromJson(lists.merge(change, "20261125000000").toJson());
    assertThat(later.rates().orElseThrow()).isEqualTo(KraFixtures.rates("0"));
    assertThat(later.codeCount()).isEqualTo(5);
  }

  @Test
  void allAnswerShapesAreNormalised() {
    EtimsResponse envelope = HttpEtimsClient.normalise(200,
        "{\"resultCd\":\"000\",\"resultMsg\":\"It is succeeded\",\"resultDt\":\"20200226194328\",\"data\":{\"curRcptNo\":1}}");
    assertThat(envelope.succeeded()).isTrue();
    assertThat(envelope.data().path("curRcptNo").asInt()).isEqualTo(1);
    EtimsResponse nested = HttpEtimsClient.normalise(200,
        "{\"responseBody\":{\"resultCd\":\"001\",\"resultMsg\":\"There is no search result\"}}");
    assertThat(nested.noData()).isTrue();
    EtimsResponse header = HttpEtimsClient.normalise(200,
        "{\"responseHeader\":{\"responseCode\":\"500\",\"debugMessage\":\"tin cannot be Null\"},\"responseBody\":null}");
    assertThat(header.resultMsg()).isEqualTo("tin cannot be Null");
    assertThat(header.succeeded()).isFalse();
    EtimsResponse text = HttpEtimsClient.normalise(400, "Invalid invcNo sequence, expected: 3 but found: 5");
    assertThat(text.resultCd()).isEqualTo("400");
    assertThat(text.transientFailure()).isFalse();
    assertThat(SequenceRejection.expected(text.resultMsg()).getAsLong()).isEqualTo(3);
    EtimsResponse token = HttpEtimsClient.normalise(500, "{\"fault\":{\"faultstring\":\"Access Token expired\"}}");
    assertThat(token.httpStatus()).isEqualTo(401);
    assertThat(HttpEtimsClient.normalise(200, "{\"resultCd\":\"0000\"}").succeeded()).isTrue();
    assertThat(HttpEtimsClient.normalise(200, "{\"resultCd\":\"990\"}").transientFailure()).isTrue();
  }

  @Test
  void bothSaleAnswerShapesAreRead() {
    ScuSignature oscu = ScuSignature.read(KraJson.read("{\"curRcptNo\":\"1\",\"totRcptNo\":\"1\","
        + "\"intrlData\":\"EAHSAV6ECUUXSY6PCCJYAUP6MI\",\"rcptSign\":\"QUII27MATATSHFRB\",\"sdcDateTime\":\"20210502115145\"}"),
        7, "KRACU013000001", "WIS01000150").orElseThrow();
    assertThat(oscu.curRcptNo()).isEqualTo(1);
    assertThat(oscu.sdcId()).isEqualTo("KRACU013000001");
    assertThat(oscu.cuInvoiceNo(KraConfig.CU_NO_RECEIPT)).isEqualTo("KRACU013000001/1");
    assertThat(oscu.cuInvoiceNo(KraConfig.CU_NO_INVOICE)).isEqualTo("KRACU013000001/7");
    ScuSignature vscu = ScuSignature.read(KraJson.read("{\"rcptNo\":42,\"totRcptNo\":43,\"intrlData\":\"X\","
        + "\"rcptSign\":\"Y\",\"vsdcRcptPbctDate\":\"2021-05-02 11:51:45.0\",\"sdcId\":\"VSCU1\",\"mrcNo\":\"M1\"}"),
        9, "INIT", "INITM").orElseThrow();
    assertThat(vscu.curRcptNo()).isEqualTo(42);
    assertThat(vscu.totRcptNo()).isEqualTo(43);
    assertThat(vscu.sdcDateTime()).isEqualTo("20210502115145");
    assertThat(vscu.sdcId()).isEqualTo("VSCU1");
    assertThat(vscu.mrcNo()).isEqualTo("M1");
  }
}
