package io.fiscald.sim.kra;

import static io.fiscald.sim.kra.Sales.BHF;
import static io.fiscald.sim.kra.Sales.TIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.sim.kra.Sales.Line;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Sales, credit notes, sequencing, arithmetic and ordering over OSCU on loopback (sheet §5, §6, §13–§15). */
class EtimsSaleTest extends EtimsFixture {

  @Test
  void fullSaleThenCreditNoteAreAcceptedSignedAndRecorded() throws Exception {
    catalogue(oscu);
    EtimsTestClient.Answer sale = ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "TRD-1",
        new Line(WATER, "2", "116.00", "B"), new Line(SODA, "1", "54.00", "E"), new Line(SERVICE, "1", "500", "A"))));
    assertThat(sale.data().path("curRcptNo").asText()).isEqualTo("1");
    assertThat(sale.data().path("curRcptNo").isTextual()).isTrue();
    assertThat(sale.data().path("totRcptNo").asText()).isEqualTo("1");
    assertThat(sale.data().path("intrlData").asText()).matches("[A-Z2-7]{26}");
    assertThat(sale.data().path("rcptSign").asText()).matches("[A-Z2-7]{16}");
    assertThat(sale.data().path("sdcDateTime").asText()).matches("\\d{14}");
    assertThat(sale.data().has("rcptNo")).isFalse();

    // stock follows the sale (sheet §14 step 6)
    ok(oscu.post(EtimsEndpoint.SAVE_STOCK_IO, Sales.stock(3, "11", WATER, "2")));
    ok(oscu.post(EtimsEndpoint.SAVE_STOCK_MASTER, stockMaster(WATER, "98")));

    EtimsTestClient.Answer credit = ok(oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.credit(2, "TRD-2", 1, null, new Line(WATER, "1", "116.00", "B"))));
    assertThat(credit.data().path("curRcptNo").asText()).isEqualTo("1");
    assertThat(credit.data().path("totRcptNo").asText()).isEqualTo("2");

    BranchSnapshot b = sim.branch(TIN, BHF);
    assertThat(b.invcNos()).containsExactly(1L, 2L);
    AcceptedInvoice first = b.invoice(1).orElseThrow();
    assertThat(first.trdInvcNo()).isEqualTo("TRD-1");
    assertThat(first.label()).isEqualTo("NS");
    assertThat(first.items()).extracting(InvoiceLine::itemCd).containsExactly(WATER, SODA, SERVICE);
    assertThat(first.taxblAmt().get("B")).isEqualByComparingTo("200.00");
    assertThat(first.taxAmt().get("B")).isEqualByComparingTo("32.00");
    assertThat(first.taxblAmt().get("E")).isEqualByComparingTo("50.00");
    assertThat(first.totAmt()).isEqualByComparingTo("786.00");
    assertThat(first.cuInvoiceNo()).isEqualTo(device.sdcId() + "/1");
    assertThat(first.intrlData()).isEqualTo(sale.data().path("intrlData").asText());
    assertThat(b.invoice(2).orElseThrow().label()).isEqualTo("NC");
    assertThat(b.invoice(2).orElseThrow().orgInvcNo()).isEqualTo(1);
    assertThat(b.stockMoves()).extracting(StockMove::sarNo).containsExactly(1L, 2L, 3L);
    assertThat(b.stockQuantities().get(WATER)).isEqualByComparingTo("98");
    assertThat(b.stockMaster().get(WATER)).isEqualByComparingTo("98");
    assertThat(b.items()).containsKeys(WATER, SODA, SERVICE);
  }

  @Test
  void signaturesAreDeterministicPerBranchKeyAndDifferPerDocument() throws Exception {
    catalogue(oscu);
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(SERVICE, "1", "10", "A"))));
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(2, "T2", new Line(SERVICE, "1", "10", "A"))));
    AcceptedInvoice a = sim.branch(TIN, BHF).invoice(1).orElseThrow();
    AcceptedInvoice b = sim.branch(TIN, BHF).invoice(2).orElseThrow();
    assertThat(a.rcptSign()).isNotEqualTo(b.rcptSign());
    assertThat(a.intrlData()).isNotEqualTo(b.intrlData());
    String material = String.join("|", TIN, BHF, "1", "S", "1", "1", "10.00", "0.00", a.sdcDateTime(), a.sdcId());
    byte[] key = sha256("fiscald-etims-sim|branch|" + TIN + "|" + BHF);
    assertThat(a.rcptSign()).isEqualTo(EtimsLedger.base32(EtimsLedger.hmac(key, "rcptSign|" + material))
        .substring(0, 16));
  }

  @Test
  void wrongTaxableAmountIsRejectedWithKraMessage() throws Exception {
    catalogue(oscu);
    ObjectNode sale = Sales.sale(1, "T1", new Line(WATER, "1", "100.00", "B"));
    // sheet §6.1: an inclusive 100.00 at 16 % must carry taxblAmt 86.21 and taxAmt 13.79
    assertThat(sale.get("itemList").get(0).get("taxblAmt").decimalValue()).isEqualByComparingTo("86.21");
    assertThat(sale.get("itemList").get(0).get("taxAmt").decimalValue()).isEqualByComparingTo("13.79");
    ((ObjectNode) sale.get("itemList").get(0)).put("taxblAmt", new BigDecimal("100.00"));
    EtimsTestClient.Answer a = oscu.post(EtimsEndpoint.SAVE_SALE, sale);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.resultCd()).isEqualTo("910");
    assertThat(a.resultMsg()).isEqualTo("Invalid taxblAmt on item: 1. Expected: 86.21, But Found: 100.00");
    assertThat(sim.branch(TIN, BHF).lastInvcNo()).isZero();
  }

  @Test
  void wrongSupplyAmountBandSumAndRateAreRejected() throws Exception {
    catalogue(oscu);
    ObjectNode sply = Sales.sale(1, "T1", new Line(WATER, "3", "434.02", "B"));
    ((ObjectNode) sply.get("itemList").get(0)).put("splyAmt", new BigDecimal("1122.00"));
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, sply).resultMsg())
        .isEqualTo("Invalid splyAmnt on item: 1. Expected: 1302.06, But Found: 1122.00");

    ObjectNode band = Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"));
    band.put("taxAmtB", new BigDecimal("16.01"));
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, band).resultMsg())
        .isEqualTo("Invalid taxAmtB. Expected: 16.00, But Found: 16.01");

    ObjectNode rate = Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"));
    rate.put("taxRtE", 0);
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, rate).resultMsg())
        .isEqualTo("Rule taxRtE failed: Tax rate mismatch. Expected: 8.00, Found: 0");

    ObjectNode missing = Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"));
    missing.remove("taxblAmtC");
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, missing).resultMsg())
        .isEqualTo("Request parameter error[taxblAmtC : may not be null]");

    ObjectNode negative = Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"));
    ((ObjectNode) negative.get("itemList").get(0)).put("qty", -1);
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, negative).resultMsg()).startsWith("Invalid qty on item: 1.");

    assertThat(sim.branch(TIN, BHF).lastInvcNo()).isZero();
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"))));
    assertThat(sim.branch(TIN, BHF).invoice(1).orElseThrow().taxblAmt().get("B")).isEqualByComparingTo("100.00");
  }

  @Test
  void rateChangeInCodeListIsEnforcedAndServed() throws Exception {
    catalogue(oscu);
    EtimsTestClient.Answer first = ok(oscu.post(EtimsEndpoint.CODE_LIST,
        EtimsTestClient.obj().put("lastReqDt", "20180101000000")));
    assertThat(rate(first, "E")).isEqualTo("8");
    assertThat(rate(first, "B")).isEqualTo("16");
    String lastReqDt = first.json().path("resultDt").asText();
    EtimsTestClient.Answer again = oscu.post(EtimsEndpoint.CODE_LIST,
        EtimsTestClient.obj().put("lastReqDt", lastReqDt));
    assertThat(again.resultCd()).isEqualTo("001");

    sim.setTaxRate("E", BigDecimal.ZERO);
    EtimsTestClient.Answer changed = ok(oscu.post(EtimsEndpoint.CODE_LIST,
        EtimsTestClient.obj().put("lastReqDt", lastReqDt)));
    assertThat(rate(changed, "E")).isEqualTo("0");
    ObjectNode sale = Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"));
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, sale).resultMsg())
        .isEqualTo("Rule taxRtE failed: Tax rate mismatch. Expected: 0.00, Found: 8");
  }

  @Test
  void gapAndReuseOfInvcNoAreRejectedWithTheExpectedNumber() throws Exception {
    catalogue(oscu);
    EtimsTestClient.Answer gap = oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(2, "T1", new Line(SERVICE, "1", "10", "A")));
    assertThat(gap.resultMsg()).isEqualTo("Invalid invcNo sequence, expected: 1 but found: 2");
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(SERVICE, "1", "10", "A"))));

    EtimsTestClient.Answer reuse = oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T2", new Line(SERVICE, "1", "10", "A")));
    assertThat(reuse.resultMsg()).isEqualTo("Invalid invcNo sequence, expected: 2 but found: 1");

    EtimsTestClient.Answer replay = oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line(SERVICE, "1", "10", "A")));
    assertThat(replay.resultCd()).isEqualTo("994");
    assertThat(replay.resultMsg()).isEqualTo("There is an overlapped Data");

    EtimsTestClient.Answer sameTraderNumber = oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(2, "T1", new Line(SERVICE, "1", "10", "A")));
    assertThat(sameTraderNumber.resultCd()).isEqualTo("994");

    ObjectNode asString = Sales.sale(2, "T2", new Line(SERVICE, "1", "10", "A"));
    asString.put("invcNo", "2");
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, asString).resultMsg())
        .isEqualTo("Request parameter error[invcNo : must be a number, found \"2\"]");
    assertThat(sim.branch(TIN, BHF).invcNos()).containsExactly(1L);
  }

  @Test
  void otherSequenceWordingIsAvailable() throws Exception {
    sim.close();
    sim = EtimsSimulator.start(EtimsSimulator.Options.defaults().sequenceMessage(SequenceMessage.USE_EXPECTED_VALUE)
        .requireStockForGoods(false));
    DeviceInfo d = sim.registerInitialisedDevice(TIN, BHF, "SN-9");
    EtimsTestClient c = new EtimsTestClient(sim, Transport.OSCU).device(d);
    ok(c.post(EtimsEndpoint.SAVE_ITEM, Sales.item(WATER, "2", "B")));
    assertThat(c.post(EtimsEndpoint.SAVE_SALE, Sales.sale(5, "T", new Line(WATER, "1", "1", "B"))).resultMsg())
        .isEqualTo("Invc No: 5 is invalid, use the expected value: 1");
    ok(c.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T", new Line(WATER, "1", "1", "B"))));
  }

  @Test
  void itemMustBeSavedAndGoodsStockedBeforeSale() throws Exception {
    EtimsTestClient.Answer unknown = oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line(WATER, "1", "116", "B")));
    assertThat(unknown.resultCd()).isEqualTo("910");
    assertThat(unknown.resultMsg()).isEqualTo("Item " + WATER + " does not exist in your inventory");

    ok(oscu.post(EtimsEndpoint.SAVE_ITEM, Sales.item(WATER, "2", "B")));
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "1", "116", "B")))
        .resultMsg()).isEqualTo("Items provided under the itemList section do not exist in your stock. "
            + "Consider adding them under Stock Information Management package to proceed.");

    assertThat(oscu.post(EtimsEndpoint.SAVE_STOCK_MASTER, stockMaster(WATER, "5")).resultMsg())
        .isEqualTo("Stock IO is empty, consider adding items to the stock IO first");
    assertThat(oscu.post(EtimsEndpoint.SAVE_STOCK_IO, Sales.stockIn(2, WATER, "5")).resultMsg())
        .isEqualTo("Invalid sarNo: Expected: 1 but found: 2");
    ObjectNode nullOrg = Sales.stockIn(1, WATER, "5");
    nullOrg.putNull("orgSarNo");
    assertThat(oscu.post(EtimsEndpoint.SAVE_STOCK_IO, nullOrg).resultMsg())
        .isEqualTo("Request parameter error[orgSarNo : may not be null]");
    // a sale-out before its sale is refused (sheet §14: the sales invoice goes first)
    EtimsTestClient.Answer early = oscu.post(EtimsEndpoint.SAVE_STOCK_IO, Sales.stock(1, "11", WATER, "1"));
    assertThat(early.resultCd()).isEqualTo("921");

    ok(oscu.post(EtimsEndpoint.SAVE_STOCK_IO, Sales.stockIn(1, WATER, "5")));
    ok(oscu.post(EtimsEndpoint.SAVE_STOCK_MASTER, stockMaster(WATER, "5")));
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"))));
    ok(oscu.post(EtimsEndpoint.SAVE_STOCK_IO, Sales.stock(2, "11", WATER, "1")));
    assertThat(oscu.post(EtimsEndpoint.SAVE_STOCK_IO, Sales.stock(3, "11", WATER, "1")).resultCd())
        .isEqualTo("921");
  }

  @Test
  void servicesNeedNoStockButMustBeSaved() throws Exception {
    ok(oscu.post(EtimsEndpoint.SAVE_ITEM, Sales.item(WATER, "2", "B")));
    ok(oscu.post(EtimsEndpoint.SAVE_ITEM, Sales.item(SODA, "2", "E")));
    ok(oscu.post(EtimsEndpoint.SAVE_ITEM, Sales.item(SERVICE, "3", "A")));
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(SERVICE, "2", "250", "A"))));
  }

  @Test
  void itemCodeSequenceAndUnitsAreChecked() throws Exception {
    EtimsTestClient.Answer skipped = oscu.post(EtimsEndpoint.SAVE_ITEM, Sales.item("KE2NTNO0000002", "2", "B"));
    assertThat(skipped.resultMsg())
        .isEqualTo("Invalid itemCd Sequence. Expected sequence ending with: *******0000001");
    ObjectNode badUnit = Sales.item("KE2NTNO0000001", "2", "B").put("qtyUnitCd", "U");
    assertThat(oscu.post(EtimsEndpoint.SAVE_ITEM, badUnit).resultMsg()).isEqualTo("Incorrect QtyUnitCd Prefix");
    ObjectNode mismatch = Sales.item("KE2NTNO0000001", "2", "B").put("qtyUnitCd", "KG");
    assertThat(oscu.post(EtimsEndpoint.SAVE_ITEM, mismatch).resultMsg())
        .isEqualTo("The ItemCd isn't made up of correct QtyUnitCd");
    ok(oscu.post(EtimsEndpoint.SAVE_ITEM, Sales.item("KE2NTNO0000001", "2", "B")));
    ok(oscu.post(EtimsEndpoint.SAVE_ITEM, Sales.item("KE2NTNO0000001", "2", "B").put("itemNm", "Renamed")));
    ok(oscu.post(EtimsEndpoint.SAVE_ITEM, Sales.item("KE1BAKG0000002", "1", "B")));
    assertThat(sim.branch(TIN, BHF).items().get("KE2NTNO0000001").itemNm()).isEqualTo("Renamed");
    EtimsTestClient.Answer list = ok(oscu.post(EtimsEndpoint.ITEM_LIST,
        EtimsTestClient.obj().put("lastReqDt", "20180101000000")));
    assertThat(list.data().path("itemList").size()).isEqualTo(2);
  }

  @Test
  void creditNoteRules() throws Exception {
    catalogue(oscu);
    String buyer = "A123456789Z";
    ObjectNode sale = Sales.document(1, "T1", "S", 0, buyer, "20250301",
        new Line[] {new Line(WATER, "2", "116", "B")});
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, sale));

    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.credit(2, "C1", 7, buyer, new Line(WATER, "1", "116", "B")))
        .resultMsg()).isEqualTo("orgInvcNo does not exist: 7");
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.credit(2, "C1", 1, null, new Line(WATER, "1", "116", "B")))
        .resultMsg()).isEqualTo("Invalid custTin for credit note: it must match the original invoice 1. "
            + "Expected: " + buyer + ", Found: (none)");
    ObjectNode noDate = Sales.credit(2, "C1", 1, buyer, new Line(WATER, "1", "116", "B"));
    noDate.putNull("rfdDt");
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, noDate).resultMsg()).isEqualTo("Missing RfdDt Date");
    ObjectNode badReason = Sales.credit(2, "C1", 1, buyer, new Line(WATER, "1", "116", "B")).put("rfdRsnCd", "99");
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, badReason).resultMsg()).isEqualTo("Invalid RfdRsnCd");
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.credit(2, "C1", 1, buyer, new Line(WATER, "3", "116", "B")))
        .resultMsg()).isEqualTo("Invalid qty for item " + WATER
            + ": credit note quantity 3 exceeds the original invoice quantity 2");
    ObjectNode early = Sales.document(2, "C1", "R", 1, buyer, "20250228",
        new Line[] {new Line(WATER, "1", "116", "B")});
    early.put("rfdDt", "20250228101500").put("rfdRsnCd", "06");
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, early).resultMsg())
        .isEqualTo("Credit note date cannot be earlier than the original invoice date 20250301 of invoice 1");
    ObjectNode negative = Sales.credit(2, "C1", 1, buyer, new Line(WATER, "1", "116", "B"));
    ((ObjectNode) negative.get("itemList").get(0)).put("totAmt", new BigDecimal("-116.00"));
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, negative).resultMsg()).startsWith("Invalid totAmt on item: 1.");
    assertThat(sim.branch(TIN, BHF).lastInvcNo()).isEqualTo(1);

    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.credit(2, "C1", 1, buyer, new Line(WATER, "2", "116", "B"))));
    // KRA does not check cumulative credits (sheet §15.1): a second full credit passes by default
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.credit(3, "C2", 1, buyer, new Line(WATER, "2", "116", "B"))));
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.credit(4, "C3", 2, buyer, new Line(WATER, "1", "116", "B")))
        .resultMsg()).isEqualTo("orgInvcNo does not exist: 2");
  }

  @Test
  void cumulativeCreditCheckIsASetting() throws Exception {
    sim.close();
    sim = EtimsSimulator.start(EtimsSimulator.Options.defaults().checkCumulativeCredits(true));
    DeviceInfo d = sim.registerInitialisedDevice(TIN, BHF, "SN-9");
    EtimsTestClient c = new EtimsTestClient(sim, Transport.OSCU).device(d);
    catalogue(c);
    ok(c.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "2", "116", "B"))));
    ok(c.post(EtimsEndpoint.SAVE_SALE, Sales.credit(2, "C1", 1, null, new Line(WATER, "2", "116", "B"))));
    assertThat(c.post(EtimsEndpoint.SAVE_SALE, Sales.credit(3, "C2", 1, null, new Line(WATER, "1", "116", "B")))
        .resultMsg()).contains("exceeds the original invoice quantity 0");
  }

  @Test
  void initialisationHappensOncePerDeclaredSerial() throws Exception {
    EtimsTestClient c = client();
    ObjectNode again = EtimsTestClient.obj().put("tin", TIN).put("bhfId", BHF).put("dvcSrlNo", "SN-0001");
    EtimsTestClient.Answer second = c.post(EtimsEndpoint.INIT, again);
    assertThat(second.resultCd()).isEqualTo("902");
    assertThat(second.resultMsg()).isEqualTo("This device is installed");
    assertThat(second.data().isNull()).isTrue();
    EtimsTestClient.Answer undeclared = c.post(EtimsEndpoint.INIT, again.deepCopy().put("dvcSrlNo", "OTHER"));
    assertThat(undeclared.resultCd()).isEqualTo("901");
    EtimsTestClient.Answer otherPin = c.post(EtimsEndpoint.INIT, again.deepCopy().put("tin", "P000000000Z"));
    assertThat(otherPin.resultCd()).isEqualTo("901");

    EtimsTestClient noKey = client().header("tin", TIN).header("bhfId", BHF);
    assertThat(noKey.post(EtimsEndpoint.CODE_LIST, EtimsTestClient.obj().put("lastReqDt", "20180101000000"))
        .resultCd()).isEqualTo("900");
    EtimsTestClient wrongKey = client().header("tin", TIN).header("bhfId", BHF).header("cmcKey", "nope");
    assertThat(wrongKey.post(EtimsEndpoint.CODE_LIST, EtimsTestClient.obj().put("lastReqDt", "20180101000000"))
        .resultCd()).isEqualTo("901");
    EtimsTestClient inBody = client();
    assertThat(inBody.post(EtimsEndpoint.CODE_LIST, EtimsTestClient.obj().put("tin", TIN).put("bhfId", BHF)
        .put("cmcKey", device.cmcKey()).put("lastReqDt", "20180101000000")).resultCd()).isEqualTo("000");
    assertThat(client().post(EtimsEndpoint.CODE_LIST, EtimsTestClient.obj().put("lastReqDt", "20180101000000"))
        .resultCd()).isEqualTo("900");
  }

  @Test
  void listsAnswer001WhenNothingIsNew() throws Exception {
    ObjectNode old = EtimsTestClient.obj().put("lastReqDt", "20180101000000");
    EtimsTestClient.Answer classes = ok(oscu.post(EtimsEndpoint.ITEM_CLASS_LIST, old));
    assertThat(classes.data().path("itemClsList").size()).isPositive();
    String now = classes.json().path("resultDt").asText();
    assertThat(oscu.post(EtimsEndpoint.ITEM_CLASS_LIST, EtimsTestClient.obj().put("lastReqDt", now)).resultCd())
        .isEqualTo("001");
    assertThat(oscu.post(EtimsEndpoint.NOTICE_LIST, old).resultCd()).isEqualTo("001");
    sim.addNotice("Maintenance", "eTIMS down on Sunday");
    EtimsTestClient.Answer notices = ok(oscu.post(EtimsEndpoint.NOTICE_LIST,
        EtimsTestClient.obj().put("lastReqDt", now)));
    assertThat(notices.data().path("noticeList").get(0).path("title").asText()).isEqualTo("Maintenance");
    assertThat(ok(oscu.post(EtimsEndpoint.BRANCH_LIST, old)).data().path("bhfList").get(0).path("bhfId").asText())
        .isEqualTo("00");
    assertThat(oscu.post(EtimsEndpoint.STOCK_MOVE_LIST, old).resultCd()).isEqualTo("001");
    assertThat(oscu.post(EtimsEndpoint.CODE_LIST, EtimsTestClient.obj()).resultMsg())
        .isEqualTo("Request parameter error[lastReqDt : may not be empty]");
  }

  @Test
  void branchSavesNeedRegistrantAndModifier() throws Exception {
    ObjectNode customer = EtimsTestClient.obj().put("custNo", "C1").put("custTin", "A123456789Z")
        .put("custNm", "Buyer").put("regrId", "a").put("regrNm", "A").put("modrNm", "A");
    assertThat(oscu.post(EtimsEndpoint.SAVE_BRANCH_CUSTOMER, customer).resultMsg())
        .isEqualTo("Request parameter error[modrId : may not be empty]");
    ok(oscu.post(EtimsEndpoint.SAVE_BRANCH_CUSTOMER, customer.put("modrId", "a")));
    assertThat(ok(oscu.post(EtimsEndpoint.CUSTOMER_LIST, EtimsTestClient.obj())).data().path("custList").size())
        .isEqualTo(1);
  }

  private static String rate(EtimsTestClient.Answer codes, String band) {
    for (var cls : codes.data().path("clsList")) {
      if (cls.path("cdCls").asText().equals("04")) {
        for (var d : cls.path("dtlList")) {
          if (d.path("cd").asText().equals(band)) {
            return d.path("userDfnCd1").asText();
          }
        }
      }
    }
    throw new AssertionError("no band " + band);
  }

  private static byte[] sha256(String s) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
