package io.fiscald.sim.zimra.internal;

import static io.fiscald.sim.zimra.FdmsValidationError.GREY;
import static io.fiscald.sim.zimra.FdmsValidationError.RED;
import static io.fiscald.sim.zimra.FdmsValidationError.YELLOW;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsSimulator.EcdsaEncoding;
import io.fiscald.sim.zimra.FdmsTax;
import io.fiscald.sim.zimra.FdmsValidationError;
import io.fiscald.sim.zimra.internal.State.DayState;
import io.fiscald.sim.zimra.internal.State.DeviceState;
import io.fiscald.sim.zimra.internal.State.ReceiptState;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's receipt checks: structure (RCPT02, refused) and RCPT010…RCPT048 with their colours (sheet §14, §7,
 * §8). Checks that need the previous receipt show Grey while it is missing.
 */
public final class ReceiptValidator {

  /** Receipt dates: local, no zone, no fraction (sheet §6, §8 rule 5). */
  public static final String DATE_PATTERN = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}";

  private static final Set<String> TYPES = Set.of("FiscalInvoice", "CreditNote", "DebitNote");
  private static final Set<String> LINE_TYPES = Set.of("Sale", "Discount");

  private final EcdsaEncoding ecdsa;
  private final RoundingMode rounding;
  private final int dayMaxHrs;
  private final Duration futureTolerance;

  public ReceiptValidator(EcdsaEncoding ecdsa, RoundingMode rounding, int dayMaxHrs, Duration futureTolerance) {
    this.ecdsa = ecdsa;
    this.rounding = rounding;
    this.dayMaxHrs = dayMaxHrs;
    this.futureTolerance = futureTolerance;
  }

  /** Null when the receipt has the required fields and lengths (SWAGGER Receipt), else what is wrong (RCPT02). */
  public static String structureProblem(JsonNode r) {
    if (r == null || !r.isObject()) {
      return "receipt is missing";
    }
    if (!TYPES.contains(Json.text(r, "receiptType"))) {
      return "receiptType must be FiscalInvoice, CreditNote or DebitNote";
    }
    String cur = Json.text(r, "receiptCurrency");
    if (cur == null || cur.length() != 3) {
      return "receiptCurrency must have 3 letters";
    }
    if (!Json.isInt(r.get("receiptCounter")) || !Json.isInt(r.get("receiptGlobalNo"))) {
      return "receiptCounter and receiptGlobalNo are required integers";
    }
    String inv = Json.text(r, "invoiceNo");
    if (inv == null || inv.isEmpty() || inv.length() > 50) {
      return "invoiceNo is required, at most 50 characters";
    }
    String date = Json.text(r, "receiptDate");
    if (date == null || !date.matches(DATE_PATTERN)) {
      return "receiptDate must be local time yyyy-MM-ddTHH:mm:ss (no zone, no fraction)";
    }
    try {
      LocalDateTime.parse(date);
    } catch (RuntimeException e) {
      return "receiptDate is not a valid date: " + date;
    }
    if (!r.path("receiptLinesTaxInclusive").isBoolean()) {
      return "receiptLinesTaxInclusive is a required boolean";
    }
    if (Json.decimal(r.get("receiptTotal")) == null) {
      return "receiptTotal is a required number";
    }
    for (String arr : List.of("receiptLines", "receiptTaxes", "receiptPayments")) {
      JsonNode a = r.get(arr);
      if (a != null && !a.isNull() && !a.isArray()) {
        return arr + " must be an array";
      }
    }
    JsonNode sig = r.get("receiptDeviceSignature");
    if (sig == null || Json.text(sig, "hash") == null || Json.text(sig, "signature") == null) {
      return "receiptDeviceSignature {hash, signature} is required";
    }
    try {
      if (Base64.getDecoder().decode(Json.text(sig, "hash")).length != 32) {
        return "receiptDeviceSignature.hash must be the base64 of 32 bytes";
      }
      if (Base64.getDecoder().decode(Json.text(sig, "signature")).length > 256) {
        return "receiptDeviceSignature.signature is longer than 256 bytes";
      }
    } catch (IllegalArgumentException e) {
      return "receiptDeviceSignature is not base64";
    }
    int withCode = 0;
    int lines = 0;
    for (JsonNode l : r.path("receiptLines")) {
      lines++;
      if (!LINE_TYPES.contains(Json.text(l, "receiptLineType"))) {
        return "receiptLineType must be Sale or Discount";
      }
      if (!Json.isInt(l.get("receiptLineNo")) || !Json.isInt(l.get("taxID"))) {
        return "receiptLineNo and taxID are required integers on every line";
      }
      String name = Json.text(l, "receiptLineName");
      if (name == null || name.length() > 200) {
        return "receiptLineName is required, at most 200 characters";
      }
      if (Json.decimal(l.get("receiptLineQuantity")) == null || Json.decimal(l.get("receiptLineTotal")) == null) {
        return "receiptLineQuantity and receiptLineTotal are required numbers";
      }
      String hs = Json.text(l, "receiptLineHSCode");
      if (hs != null && hs.length() > 8) {
        return "receiptLineHSCode is at most 8 characters";
      }
      String code = Json.text(l, "taxCode");
      if (code != null && code.length() > 3) {
        return "taxCode is at most 3 characters";
      }
      if (code != null) {
        withCode++;
      }
    }
    if (withCode != 0 && withCode != lines) {
      return "taxCode must be sent on all lines or on none (sheet §6)";
    }
    for (JsonNode t : r.path("receiptTaxes")) {
      if (!Json.isInt(t.get("taxID")) || Json.decimal(t.get("taxAmount")) == null
          || Json.decimal(t.get("salesAmountWithTax")) == null) {
        return "receiptTaxes need taxID, taxAmount and salesAmountWithTax";
      }
    }
    for (JsonNode p : r.path("receiptPayments")) {
      if (!Signatures.MONEY_TYPES.contains(Json.text(p, "moneyTypeCode"))
          || Json.decimal(p.get("paymentAmount")) == null) {
        return "receiptPayments need a moneyTypeCode (" + Signatures.MONEY_TYPES + ") and a paymentAmount";
      }
    }
    return null;
  }

  /** Everything a check may look at. */
  public record Context(FdmsDevice device, List<X509Certificate> certificates, State state, DeviceState deviceState,
      DayState day, ReceiptState self, LocalDateTime receivedAt) { }

  /** The validation errors of {@code ctx.self()}, each code once, in code order. */
  public List<FdmsValidationError> validate(Context ctx) {
    Map<String, String> errs = new LinkedHashMap<>();
    JsonNode r = ctx.self().receipt;
    String type = r.path("receiptType").asText();
    boolean cn = type.equals("CreditNote");
    boolean note = cn || type.equals("DebitNote");
    boolean inclusive = r.path("receiptLinesTaxInclusive").asBoolean();
    LocalDateTime date = LocalDateTime.parse(r.path("receiptDate").asText());
    BigDecimal total = Json.decimalOrZero(r.get("receiptTotal"));
    FdmsDevice device = ctx.device();

    // RCPT010: ISO 4217 currency
    String cur = r.path("receiptCurrency").asText();
    if (!cur.equals(cur.toUpperCase()) || !isIsoCurrency(cur)) {
      errs.put("RCPT010", RED);
    }

    chainChecks(ctx, date, errs);

    // RCPT013: invoiceNo unique per taxpayer (the earlier receipt keeps it)
    String tin = device.taxPayerTIN();
    for (DeviceState ds : ctx.state().devices.values()) {
      if (ds.device == null || !tin.equals(ds.device.taxPayerTIN())) {
        continue;
      }
      for (DayState d : ds.days) {
        for (ReceiptState o : d.receipts) {
          if (o != ctx.self() && o.receiptID < ctx.self().receiptID && o.invoiceNo.equals(ctx.self().invoiceNo)) {
            errs.put("RCPT013", RED);
          }
        }
      }
    }

    // RCPT014 / RCPT041: within the fiscal day's window (sheet §5)
    LocalDateTime opened = LocalDateTime.parse(ctx.day().opened);
    if (date.isBefore(opened)) {
      errs.put("RCPT014", YELLOW);
    }
    if (date.isAfter(opened.plusHours(dayMaxHrs))) {
      errs.put("RCPT041", YELLOW);
    }
    // RCPT031: not in the future beyond the tolerance
    if (date.isAfter(ctx.receivedAt().plus(futureTolerance))) {
      errs.put("RCPT031", YELLOW);
    }

    JsonNode cdn = r.get("creditDebitNote");
    boolean hasCdn = cdn != null && cdn.isObject() && (cdn.hasNonNull("receiptID")
        || cdn.hasNonNull("receiptGlobalNo") || cdn.hasNonNull("deviceID") || cdn.hasNonNull("fiscalDayNo"));
    if (note && !hasCdn) {
      errs.put("RCPT015", RED);
    }
    if (!note && hasCdn) {
      errs.put("RCPT029", RED);
    }
    if (note && (Json.text(r, "receiptNotes") == null || Json.text(r, "receiptNotes").isBlank())) {
      errs.put("RCPT034", RED);
    }

    List<JsonNode> lines = new ArrayList<>();
    r.path("receiptLines").forEach(lines::add);
    List<JsonNode> taxes = new ArrayList<>();
    r.path("receiptTaxes").forEach(taxes::add);
    List<JsonNode> payments = new ArrayList<>();
    r.path("receiptPayments").forEach(payments::add);
    if (lines.isEmpty()) {
      errs.put("RCPT016", RED);
    }
    if (taxes.isEmpty()) {
      errs.put("RCPT017", RED);
    }
    if (payments.isEmpty()) {
      errs.put("RCPT018", RED);
    }

    BigDecimal sumLines = BigDecimal.ZERO;
    Map<String, BigDecimal> groupLines = new LinkedHashMap<>();
    for (JsonNode l : lines) {
      BigDecimal lt = Json.decimalOrZero(l.get("receiptLineTotal"));
      BigDecimal qty = Json.decimalOrZero(l.get("receiptLineQuantity"));
      BigDecimal price = Json.decimal(l.get("receiptLinePrice"));
      sumLines = sumLines.add(lt);
      groupLines.merge(groupKey(l), lt, BigDecimal::add);
      BigDecimal signed = price != null ? price : lt;
      boolean sale = "Sale".equals(Json.text(l, "receiptLineType"));
      // RCPT022: sale > 0 (< 0 on a credit note); discount < 0 (> 0 on a credit note)
      int want = (sale ? 1 : -1) * (cn ? -1 : 1);
      if (signed.signum() != want) {
        errs.put("RCPT022", RED);
      }
      if (qty.signum() <= 0) {
        errs.put("RCPT023", RED);
      }
      if (price != null && price.multiply(qty).setScale(2, rounding).compareTo(lt) != 0) {
        errs.put("RCPT024", RED);
      }
      checkTax(device, l, date, errs);
      // RCPT047 / RCPT048: HS codes (sheet §14)
      String hs = Json.text(l, "receiptLineHSCode");
      BigDecimal pct = Json.decimal(l.get("taxPercent"));
      if (device.vatPayer() && (hs == null || hs.isEmpty())) {
        errs.put("RCPT047", RED);
      } else if (hs != null && !hs.isEmpty()) {
        boolean eightOnly = device.vatPayer() && (pct == null || pct.signum() == 0);
        boolean ok = hs.matches("\\d+") && (hs.length() == 8 || (!eightOnly && hs.length() == 4));
        if (!ok) {
          errs.put("RCPT048", RED);
        }
      }
    }

    BigDecimal sumTax = BigDecimal.ZERO;
    BigDecimal sumSales = BigDecimal.ZERO;
    Set<String> taxKeys = new LinkedHashSet<>();
    for (JsonNode t : taxes) {
      BigDecimal amount = Json.decimalOrZero(t.get("taxAmount"));
      BigDecimal sales = Json.decimalOrZero(t.get("salesAmountWithTax"));
      sumTax = sumTax.add(amount);
      sumSales = sumSales.add(sales);
      checkTax(device, t, date, errs);
      String key = groupKey(t);
      taxKeys.add(key);
      BigDecimal base = groupLines.getOrDefault(key, BigDecimal.ZERO);
      BigDecimal p = Json.decimal(t.get("taxPercent"));
      BigDecimal rate = p == null ? BigDecimal.ZERO : p;
      // sheet §7: tax per (taxID, percent, code) group, one rounding
      BigDecimal expectedTax = inclusive
          ? base.multiply(rate).divide(rate.add(BigDecimal.valueOf(100)), 2, rounding)
          : base.multiply(rate).divide(BigDecimal.valueOf(100), 2, rounding);
      BigDecimal expectedSales = inclusive ? base : base.add(expectedTax);
      if (amount.compareTo(expectedTax) != 0) {
        errs.put("RCPT026", RED);
      }
      if (sales.compareTo(expectedSales) != 0) {
        errs.put("RCPT027", RED);
      }
    }
    for (String key : groupLines.keySet()) {
      if (!taxKeys.contains(key)) {
        errs.put("RCPT027", RED);
      }
    }

    BigDecimal sumPay = BigDecimal.ZERO;
    for (JsonNode p : payments) {
      BigDecimal amount = Json.decimalOrZero(p.get("paymentAmount"));
      sumPay = sumPay.add(amount);
      if (cn ? amount.signum() > 0 : amount.signum() < 0) {
        errs.put("RCPT028", RED);
      }
    }
    if (inclusive && total.compareTo(sumLines) != 0) {
      errs.put("RCPT019", RED);
    }
    if (!inclusive && total.compareTo(sumLines.add(sumTax)) != 0) {
      errs.put("RCPT037", RED);
    }
    if (!taxes.isEmpty() && total.compareTo(sumSales) != 0) {
      errs.put("RCPT038", RED);
    }
    if (!payments.isEmpty() && total.compareTo(sumPay) != 0) {
      errs.put("RCPT039", RED);
    }
    if (cn ? total.signum() > 0 : total.signum() < 0) {
      errs.put("RCPT040", RED);
    }

    if (note && hasCdn) {
      noteChecks(ctx, cdn, cur, date, total, taxes, errs);
    }

    JsonNode buyer = r.get("buyerData");
    if (buyer != null && buyer.isObject()) {
      String name = Json.text(buyer, "buyerRegisterName");
      String btin = Json.text(buyer, "buyerTIN");
      if (name == null || name.isBlank() || btin == null || btin.isBlank()) {
        errs.put("RCPT043", RED);
      }
    }

    List<FdmsValidationError> out = new ArrayList<>();
    errs.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.add(new FdmsValidationError(e.getKey(), e.getValue())));
    return out;
  }

  /** RCPT011, RCPT012, RCPT030 (need the previous receipt: Grey while missing) and RCPT020 (sheet §8, §14). */
  private void chainChecks(Context ctx, LocalDateTime date, Map<String, String> errs) {
    ReceiptState self = ctx.self();
    DayState day = ctx.day();
    String previousHash = null;
    boolean signatureCheckable = true;
    for (ReceiptState o : day.receipts) {
      if (o != self && o.receiptCounter == self.receiptCounter) {
        errs.put("RCPT011", RED);
      }
    }
    if (self.receiptCounter < 1) {
      errs.put("RCPT011", RED);
    } else if (self.receiptCounter == 1) {
      // sheet §8: no previous hash on the day's first receipt; the global number continues or restarts at 1
      ReceiptState last = lastOfPreviousDays(ctx.deviceState(), day);
      if (self.receiptGlobalNo != 1 && (last == null || self.receiptGlobalNo != last.receiptGlobalNo + 1)) {
        errs.put("RCPT012", RED);
      }
      if (last != null && date.isBefore(LocalDateTime.parse(last.receiptDate))) {
        errs.put("RCPT030", RED);
      }
    } else {
      ReceiptState prev = day.byCounter(self.receiptCounter - 1);
      if (prev == null || prev == self) {
        // sheet §14: previous receipt missing → Grey until it arrives
        errs.putIfAbsent("RCPT011", GREY);
        errs.putIfAbsent("RCPT012", GREY);
        signatureCheckable = false;
        ReceiptState lower = null;
        for (ReceiptState o : day.receipts) {
          if (o != self && o.receiptCounter < self.receiptCounter
              && (lower == null || o.receiptCounter > lower.receiptCounter)) {
            lower = o;
          }
        }
        if (lower != null && date.isBefore(LocalDateTime.parse(lower.receiptDate))) {
          errs.put("RCPT030", RED);
        }
      } else {
        previousHash = prev.hash;
        if (self.receiptGlobalNo != prev.receiptGlobalNo + 1) {
          errs.put("RCPT012", RED);
        }
        if (date.isBefore(LocalDateTime.parse(prev.receiptDate))) {
          errs.put("RCPT030", RED);
        }
      }
    }
    if (signatureCheckable && !signatureValid(ctx, previousHash)) {
      errs.put("RCPT020", RED);
    }
  }

  private boolean signatureValid(Context ctx, String previousHash) {
    String s = Signatures.receiptString(ctx.device().deviceID(), ctx.self().receipt, previousHash);
    if (!Signatures.sha256Base64(s).equals(ctx.self().hash)) {
      return false;
    }
    for (int i = ctx.certificates().size() - 1; i >= 0; i--) {
      if (Signatures.verify(ctx.certificates().get(i).getPublicKey(), s, ctx.self().signature, ecdsa)) {
        return true;
      }
    }
    return false;
  }

  private static ReceiptState lastOfPreviousDays(DeviceState ds, DayState current) {
    ReceiptState last = null;
    for (DayState d : ds.days) {
      if (d == current || d.fiscalDayNo >= current.fiscalDayNo) {
        continue;
      }
      for (ReceiptState r : d.receipts) {
        if (last == null || r.receiptID > last.receiptID) {
          last = r;
        }
      }
    }
    return last;
  }

  /** RCPT021, RCPT025 for one line or tax entry. */
  private static void checkTax(FdmsDevice device, JsonNode n, LocalDateTime date, Map<String, String> errs) {
    int taxID = n.path("taxID").asInt();
    BigDecimal pct = Json.decimal(n.get("taxPercent"));
    FdmsTax match = null;
    for (FdmsTax t : device.applicableTaxes()) {
      if (t.taxID() == taxID) {
        match = t;
      }
    }
    boolean samePercent = match != null && (match.taxPercent() == null ? pct == null
        : pct != null && match.taxPercent().compareTo(pct) == 0);
    if (match == null || !samePercent || !match.validAt(date)) {
      errs.put("RCPT025", RED);
    }
    if (match != null && match.vat() && !device.vatPayer()) {
      errs.put("RCPT021", RED);
    }
  }

  /** RCPT032, RCPT033, RCPT035, RCPT036, RCPT042 against the referenced original invoice. */
  private static void noteChecks(Context ctx, JsonNode cdn, String currency, LocalDateTime date, BigDecimal total,
      List<JsonNode> taxes, Map<String, String> errs) {
    ReceiptState original = findOriginal(ctx.state(), cdn);
    if (original == null || !original.receiptType.equals("FiscalInvoice")) {
      errs.put("RCPT032", RED);
      return;
    }
    if (LocalDateTime.parse(original.receiptDate).isBefore(date.minusMonths(12))) {
      errs.put("RCPT033", RED);
    }
    if (!original.currency.equals(currency)) {
      errs.put("RCPT042", RED);
    }
    Set<String> originalTaxes = new LinkedHashSet<>();
    for (JsonNode t : original.receipt.path("receiptTaxes")) {
      originalTaxes.add(taxIdentity(t));
    }
    for (JsonNode t : taxes) {
      if (!originalTaxes.contains(taxIdentity(t))) {
        errs.put("RCPT036", RED);
      }
    }
    // RCPT035: original − credit notes + debit notes must stay ≥ 0 (credit note totals are negative)
    BigDecimal balance = Json.decimalOrZero(original.receipt.get("receiptTotal")).add(total);
    for (DeviceState ds : ctx.state().devices.values()) {
      for (DayState d : ds.days) {
        for (ReceiptState o : d.receipts) {
          if (o != ctx.self() && o.receiptID < ctx.self().receiptID && !o.receiptType.equals("FiscalInvoice")
              && findOriginal(ctx.state(), o.receipt.get("creditDebitNote")) == original) {
            balance = balance.add(Json.decimalOrZero(o.receipt.get("receiptTotal")));
          }
        }
      }
    }
    if (balance.signum() < 0) {
      errs.put("RCPT035", RED);
    }
  }

  /** The receipt a creditDebitNote points at: by receiptID, or deviceID + receiptGlobalNo + fiscalDayNo. */
  static ReceiptState findOriginal(State state, JsonNode cdn) {
    if (cdn == null || !cdn.isObject()) {
      return null;
    }
    if (cdn.hasNonNull("receiptID")) {
      long id = cdn.path("receiptID").asLong();
      for (DeviceState ds : state.devices.values()) {
        for (DayState d : ds.days) {
          for (ReceiptState o : d.receipts) {
            if (o.receiptID == id) {
              return o;
            }
          }
        }
      }
      return null;
    }
    DeviceState ds = state.devices.get(cdn.path("deviceID").asInt(-1));
    if (ds == null) {
      return null;
    }
    DayState d = ds.day(cdn.path("fiscalDayNo").asInt(-1));
    return d == null ? null : d.byGlobalNo(cdn.path("receiptGlobalNo").asInt(-1));
  }

  private static String taxIdentity(JsonNode t) {
    BigDecimal p = Json.decimal(t.get("taxPercent"));
    return t.path("taxID").asInt() + "|" + (p == null ? "-" : p.stripTrailingZeros().toPlainString());
  }

  private static String groupKey(JsonNode n) {
    String code = Json.text(n, "taxCode");
    return taxIdentity(n) + "|" + (code == null ? "" : code);
  }

  private static boolean isIsoCurrency(String code) {
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
