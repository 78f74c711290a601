package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.tax.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code saveTrnsSalesOsdc} request (sheet §5) from a journalled receipt: header, all 15 band
 * fields, {@code receipt{}} and {@code itemList[]}, amounts per §6.1. Credit notes go out with positive
 * amounts; their direction is {@code rcptTyCd R} + {@code orgInvcNo} (§6.2). Stateless.
 */
public final class SalePayloadBuilder {
  private static final int TRADE_NAME_MAX = 20;
  private static final int CUSTOMER_NAME_MAX = 60;

  private SalePayloadBuilder() {}

  /**
   * @throws FiscalException INVALID_FIELD when the receipt cannot be an eTIMS sale (not KES, a tax code that is
   *     not a band, prices in the other mode, no item for a line)
   */
  public static KraSale build(FiscalReceipt r, SaleContext ctx) {
    checkShape(r, ctx.priceMode());
    if (ctx.items().size() != r.lines().size()) {
      throw new IllegalArgumentException("one registered item per line: " + r.lines().size() + " lines, "
          + ctx.items().size() + " items");
    }
    if (ctx.label().credit() && ctx.orgInvcNo() < 1) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "a credit note needs the original's eTIMS invoice number"
          + " (orgInvcNo); KRA rejects: orgInvcNo does not exist", Map.of("field", "orgInvcNo"));
    }
    KraRates rates = ratesOfReceipt(r, ctx.rates());
    List<KraLineAmounts> lines = new ArrayList<>();
    for (FiscalReceipt.Line line : r.lines()) {
      KraBand band = KraBand.of(line.taxCode()).orElseThrow();
      lines.add(KraArithmetic.line(band, new BigDecimal(line.quantity()), new BigDecimal(line.unitPrice()),
          Money.fromMinor(line.discountMinor(), r.minorDigits()), rates.rate(band), ctx.priceMode()));
    }
    KraTotals totals = KraArithmetic.totals(lines, rates);
    Instant issued = Instant.parse(r.issuedAt());
    String tin = r.buyer() == null ? null : r.buyer().tin();
    String name = r.buyer() == null ? null : r.buyer().name();

    Map<String, Object> p = new LinkedHashMap<>();
    p.put("tin", ctx.pin());
    p.put("bhfId", ctx.bhfId());
    p.put("trdInvcNo", r.receiptNumber());
    p.put("invcNo", ctx.invcNo()); // a JSON number, never a string (sheet §13)
    p.put("orgInvcNo", ctx.label().credit() ? ctx.orgInvcNo() : 0L);
    p.put("custTin", tin); // never invented (sheet §5.1)
    p.put("custNm", cut(name, CUSTOMER_NAME_MAX));
    p.put("salesTyCd", ctx.label().salesTyCd());
    p.put("rcptTyCd", ctx.label().rcptTyCd());
    p.put("pmtTyCd", ctx.pmtTyCd());
    p.put("salesSttsCd", "02");
    p.put("cfmDt", KraDates.stamp(issued));
    p.put("salesDt", KraDates.day(issued));
    p.put("stockRlsDt", null);
    p.put("cnclReqDt", null);
    p.put("cnclDt", null);
    // Live gateway: "Missing RfdDt Date" / "Invalid RfdRsnCd" without these on R (sheet §5.1, §15.1).
    p.put("rfdDt", ctx.label().credit() ? KraDates.stamp(issued) : null);
    p.put("rfdRsnCd", ctx.label().credit() ? ctx.rfdRsnCd() : null);
    p.put("totItemCnt", lines.size());
    for (KraBand b : KraBand.ALL) {
      p.put("taxblAmt" + b, totals.taxblAmt().get(b));
    }
    for (KraBand b : KraBand.ALL) {
      p.put("taxRt" + b, totals.taxRt().get(b));
    }
    for (KraBand b : KraBand.ALL) {
      p.put("taxAmt" + b, totals.taxAmt().get(b));
    }
    p.put("totTaxblAmt", totals.totTaxblAmt());
    p.put("totTaxAmt", totals.totTaxAmt());
    p.put("totAmt", totals.totAmt());
    p.put("prchrAcptcYn", "N");
    p.put("remark", r.reason());
    p.put("regrId", ctx.registrantId());
    p.put("regrNm", ctx.registrantId());
    p.put("modrId", ctx.registrantId());
    p.put("modrNm", ctx.registrantId());

    Map<String, Object> receipt = new LinkedHashMap<>();
    receipt.put("custTin", tin);
    receipt.put("custMblNo", null);
    receipt.put("rcptPbctDt", KraDates.stamp(issued));
    receipt.put("trdeNm", cut(ctx.tradeName(), TRADE_NAME_MAX));
    receipt.put("adrs", cut(ctx.address(), 200));
    receipt.put("topMsg", null);
    receipt.put("btmMsg", null);
    receipt.put("prchrAcptcYn", "N");
    p.put("receipt", receipt);

    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      KraLineAmounts a = lines.get(i);
      KraItem item = ctx.items().get(i);
      FiscalReceipt.Line line = r.lines().get(i);
      Map<String, Object> it = new LinkedHashMap<>();
      it.put("itemSeq", i + 1);
      it.put("itemCd", item.itemCd());
      it.put("itemClsCd", item.itemClsCd());
      it.put("itemNm", line.name());
      it.put("bcd", null);
      it.put("pkgUnitCd", item.pkgUnitCd());
      // "Invalid pkg for ItemList 1. Expected: 1, Found: 0": pkg is a real count (sheet §5.3).
      it.put("pkg", a.qty());
      it.put("qtyUnitCd", item.qtyUnitCd());
      it.put("qty", a.qty());
      it.put("prc", a.prc());
      it.put("splyAmt", a.splyAmt());
      it.put("dcRt", a.dcRt());
      it.put("dcAmt", a.dcAmt());
      it.put("isrccCd", null);
      it.put("isrccNm", null);
      it.put("isrcRt", null);
      it.put("isrcAmt", null);
      it.put("taxTyCd", a.band().name());
      it.put("taxblAmt", a.taxblAmt());
      it.put("taxAmt", a.taxAmt());
      it.put("totAmt", a.totAmt());
      items.add(it);
    }
    p.put("itemList", items);
    return new KraSale(p, lines, totals);
  }

  /**
   * Refuses what eTIMS cannot take, before anything is journalled: another currency, a tax code that is not
   * a band, debit notes (eTIMS has S and R only), prices in the mode the device does not send.
   */
  public static void checkShape(FiscalReceipt r, PriceMode mode) {
    if (!"KES".equals(r.currency())) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "eTIMS receipts are in KES; this one is in " + r.currency(),
          Map.of("field", "currency"));
    }
    if (r.type() == io.fiscald.agent.receipt.ReceiptType.DEBIT_NOTE) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "eTIMS has no debit note (receipt types are S sale and R"
          + " credit note); issue a new invoice for the difference", Map.of("field", "type"));
    }
    boolean inclusive = mode == PriceMode.INCLUSIVE;
    if (r.pricesIncludeTax() != inclusive) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "this device sends eTIMS " + (inclusive ? "tax-inclusive"
          : "tax-exclusive") + " prices (price mode " + mode.name().toLowerCase(java.util.Locale.ROOT)
          + "); send pricesIncludeTax: " + inclusive, Map.of("field", "pricesIncludeTax"));
    }
    for (FiscalReceipt.Line line : r.lines()) {
      if (KraBand.of(line.taxCode()).isEmpty()) {
        throw new FiscalException(ErrorCode.UNKNOWN_TAX_CODE, "lines[" + line.index() + "].taxCode \"" + line.taxCode()
            + "\" is not an eTIMS band (A to E)", Map.of("field", "lines[" + line.index() + "].taxCode"));
      }
    }
  }

  /** The rates the receipt was taxed at for its bands, the current ones for the bands it does not use. */
  static KraRates ratesOfReceipt(FiscalReceipt r, KraRates current) {
    Map<KraBand, BigDecimal> rates = new EnumMap<>(current.asMap());
    for (FiscalReceipt.Tax tax : r.taxes()) {
      KraBand.of(tax.code()).ifPresent(b -> rates.put(b, new BigDecimal(tax.percent())));
    }
    return KraRates.of(rates);
  }

  private static String cut(String s, int max) {
    return s == null ? null : s.length() > max ? s.substring(0, max) : s;
  }
}
