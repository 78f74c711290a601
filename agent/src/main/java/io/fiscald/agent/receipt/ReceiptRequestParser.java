package io.fiscald.agent.receipt;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.tax.Money;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns the JSON body a POS sends into a structurally valid {@link ReceiptRequest}, or refuses it with
 * a {@link FiscalException} whose {@code details.field} is the JSON path at fault and whose message
 * says how to fix it. Checks everything that needs no device state; whether a tax code exists and
 * whether the payments cover the total are left to the tax calculator.
 *
 * <p>Amounts and quantities are read from the literal JSON text, as a string ({@code "522.00"}) or a
 * number ({@code 522.00}), into BigDecimal exactly; they never pass through a double. Immutable and
 * thread-safe: one instance serves every request.
 */
public final class ReceiptRequestParser {
  /** Bodies above this are refused with REQUEST_TOO_LARGE before any parsing. */
  public static final int MAX_BODY_BYTES = 256 * 1024;
  public static final int MAX_LINES = 500;
  public static final int MAX_PAYMENTS = 20;

  static final BigDecimal MAX_QUANTITY = BigDecimal.valueOf(1_000_000);
  static final int QUANTITY_DECIMALS = 3;
  static final BigDecimal MAX_UNIT_PRICE = BigDecimal.TEN.pow(12);
  /** Caps discounts and payments: far above any sale, low enough that minor units fit in a long. */
  static final BigDecimal MAX_AMOUNT = BigDecimal.TEN.pow(15);
  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_TAX_CODE_LENGTH = 8;
  static final int MAX_ITEM_CODE_LENGTH = 64;
  static final int MAX_HS_CODE_LENGTH = 32;
  static final int MAX_UNIT_LENGTH = 32;
  static final int MAX_REFERENCE_LENGTH = 64;
  static final int MAX_RECEIPT_NUMBER_LENGTH = 64;
  static final int MAX_REASON_LENGTH = 250;

  private static final List<String> REQUEST_FIELDS =
      List.of("type", "currency", "pricesIncludeTax", "lines", "payments", "buyer", "original", "reason", "mode");
  private static final List<String> LINE_FIELDS =
      List.of("name", "quantity", "unitPrice", "taxCode", "code", "discount", "hsCode", "unit");
  private static final List<String> PAYMENT_FIELDS = List.of("method", "amount", "reference");
  private static final List<String> BUYER_FIELDS = List.of("name", "tin");
  private static final List<String> ORIGINAL_FIELDS = List.of("receiptNumber");

  /** JSON's own number grammar, also required of amounts sent as strings: no NaN, hex, "+1" or ".5". */
  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  /** Longer numeric text cannot be a sane amount and would only cost time to convert. */
  private static final int MAX_NUMBER_TEXT = 64;
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Pattern TIN = Pattern.compile("[A-Za-z0-9-]{1,20}");

  private final StrictJsonReader reader = new StrictJsonReader();

  /** Parses a body given as text; see {@link #parse(byte[])}. */
  public ReceiptRequest parse(String json) {
    Objects.requireNonNull(json, "json");
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses and validates a UTF-8 JSON body.
   *
   * @throws FiscalException REQUEST_TOO_LARGE, MALFORMED_JSON, INVALID_FIELD, UNKNOWN_CURRENCY,
   *     INVALID_AMOUNT, INVALID_QUANTITY, ORIGINAL_REQUIRED or REASON_REQUIRED
   */
  public ReceiptRequest parse(byte[] json) {
    Objects.requireNonNull(json, "json");
    if (json.length > MAX_BODY_BYTES) {
      throw new FiscalException(ErrorCode.REQUEST_TOO_LARGE, "the request body is " + json.length
          + " bytes; the limit is " + MAX_BODY_BYTES + " bytes (256 KiB), so split the sale into several receipts",
          Map.of("size", json.length, "limit", MAX_BODY_BYTES));
    }
    JsonFields root = new JsonFields(reader.readObject(json), "");
    root.rejectUnknown(REQUEST_FIELDS, "a receipt request");

    ReceiptType type = enumValue(root, "type", ReceiptType.class, ReceiptType.INVOICE);
    String currency = currency(root);
    int digits = Money.minorDigits(currency);
    Boolean pricesIncludeTax = root.bool("pricesIncludeTax");
    List<ReceiptLine> lines = lines(root, currency, digits);
    List<Payment> payments = payments(root, currency, digits);
    Buyer buyer = buyer(root);
    OriginalReference original = original(root, type);
    String reason = reason(root, type);
    ReceiptMode mode = enumValue(root, "mode", ReceiptMode.class, ReceiptMode.NORMAL);
    if (mode == ReceiptMode.PROFORMA && type != ReceiptType.INVOICE) {
      throw new FiscalException(ErrorCode.INVALID_FIELD, "mode PROFORMA is a quotation: only an INVOICE can be"
          + " proforma (got type " + type + ")", Map.of("field", "mode", "type", type.name()));
    }
    return new ReceiptRequest(type, currency, pricesIncludeTax == null || pricesIncludeTax, lines, payments,
        buyer, original, reason, mode);
  }

  private static String currency(JsonFields root) {
    String code = root.string("currency");
    if (code == null) {
      throw FiscalException.field(ErrorCode.INVALID_FIELD, "currency",
          "currency is required: the ISO 4217 code of the sale, such as \"KES\"");
    }
    if (!CURRENCY.matcher(code).matches() || !isKnownCurrency(code)) {
      throw FiscalException.field(ErrorCode.UNKNOWN_CURRENCY, "currency", "currency " + JsonFields.quote(code)
          + " is not an ISO 4217 currency code known to this device; use three upper-case letters such as \"KES\"");
    }
    return code;
  }

  private static boolean isKnownCurrency(String code) {
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static List<ReceiptLine> lines(JsonFields root, String currency, int digits) {
    List<Object> items = array(root, "lines", MAX_LINES, "lines");
    DecimalRule quantity = new DecimalRule(ErrorCode.INVALID_QUANTITY, true, MAX_QUANTITY, QUANTITY_DECIMALS, "");
    // Unit prices may be finer than the currency (fuel at 179.456/litre); the line amount is rounded.
    DecimalRule unitPrice = new DecimalRule(ErrorCode.INVALID_AMOUNT, false, MAX_UNIT_PRICE, digits + 2,
        " for a unit price in " + currency);
    DecimalRule discount = new DecimalRule(ErrorCode.INVALID_AMOUNT, false, MAX_AMOUNT, digits, " in " + currency);
    List<ReceiptLine> lines = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonFields line = JsonFields.element(items, i, "lines");
      line.rejectUnknown(LINE_FIELDS, "a receipt line");
      lines.add(new ReceiptLine(
          text(line, "name", MAX_NAME_LENGTH, true, ErrorCode.INVALID_FIELD),
          required(line, "quantity", quantity),
          required(line, "unitPrice", unitPrice),
          text(line, "taxCode", MAX_TAX_CODE_LENGTH, true, ErrorCode.INVALID_FIELD),
          text(line, "code", MAX_ITEM_CODE_LENGTH, false, ErrorCode.INVALID_FIELD),
          line.has("discount") ? decimal(line, "discount", discount) : null,
          text(line, "hsCode", MAX_HS_CODE_LENGTH, false, ErrorCode.INVALID_FIELD),
          text(line, "unit", MAX_UNIT_LENGTH, false, ErrorCode.INVALID_FIELD)));
    }
    return lines;
  }

  private static List<Payment> payments(JsonFields root, String currency, int digits) {
    List<Object> items = array(root, "payments", MAX_PAYMENTS, "payments");
    DecimalRule amount = new DecimalRule(ErrorCode.INVALID_AMOUNT, true, MAX_AMOUNT, digits, " in " + currency);
    List<Payment> payments = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonFields payment = JsonFields.element(items, i, "payments");
      payment.rejectUnknown(PAYMENT_FIELDS, "a payment");
      payments.add(new Payment(
          enumValue(payment, "method", PaymentMethod.class, null),
          required(payment, "amount", amount),
          text(payment, "reference", MAX_REFERENCE_LENGTH, false, ErrorCode.INVALID_FIELD)));
    }
    return payments;
  }

  private static Buyer buyer(JsonFields root) {
    JsonFields buyer = root.object("buyer");
    if (buyer == null) {
      return null;
    }
    buyer.rejectUnknown(BUYER_FIELDS, "the buyer");
    String name = text(buyer, "name", MAX_NAME_LENGTH, false, ErrorCode.INVALID_FIELD);
    String tin = buyer.string("tin");
    if (tin != null && !TIN.matcher(tin).matches()) {
      throw FiscalException.field(ErrorCode.INVALID_FIELD, "buyer.tin",
          "buyer.tin must be 1 to 20 letters, digits or hyphens (got " + JsonFields.quote(tin) + ")");
    }
    if (name == null && tin == null) {
      throw FiscalException.field(ErrorCode.INVALID_FIELD, "buyer",
          "buyer must carry a name, a tin or both; leave buyer out for an anonymous sale");
    }
    return new Buyer(name, tin);
  }

  private static OriginalReference original(JsonFields root, ReceiptType type) {
    if (!type.isNote()) {
      if (root.has("original")) {
        throw FiscalException.field(ErrorCode.INVALID_FIELD, "original",
            "original is only for CREDIT_NOTE and DEBIT_NOTE; leave it out of an INVOICE");
      }
      return null;
    }
    JsonFields original = root.object("original");
    if (original == null) {
      throw FiscalException.field(ErrorCode.ORIGINAL_REQUIRED, "original", "a " + type
          + " must name the receipt it corrects: add \"original\": {\"receiptNumber\": \"…\"}");
    }
    original.rejectUnknown(ORIGINAL_FIELDS, "original");
    return new OriginalReference(
        text(original, "receiptNumber", MAX_RECEIPT_NUMBER_LENGTH, true, ErrorCode.ORIGINAL_REQUIRED));
  }

  private static String reason(JsonFields root, ReceiptType type) {
    if (!type.isNote()) {
      if (root.has("reason")) {
        throw FiscalException.field(ErrorCode.INVALID_FIELD, "reason",
            "reason is only for CREDIT_NOTE and DEBIT_NOTE; leave it out of an INVOICE");
      }
      return null;
    }
    if (!root.has("reason")) {
      throw FiscalException.field(ErrorCode.REASON_REQUIRED, "reason",
          "a " + type + " must say why it is issued in reason, e.g. \"returned goods\"");
    }
    return text(root, "reason", MAX_REASON_LENGTH, true, ErrorCode.REASON_REQUIRED);
  }

  private static List<Object> array(JsonFields root, String name, int max, String what) {
    List<Object> items = root.array(name);
    if (items == null || items.isEmpty() || items.size() > max) {
      String got = items == null ? "it is missing" : "got " + items.size();
      throw FiscalException.field(ErrorCode.INVALID_FIELD, name,
          name + " must hold between 1 and " + max + " " + what + " (" + got + ")");
    }
    return items;
  }

  private static <E extends Enum<E>> E enumValue(JsonFields obj, String name, Class<E> type, E absent) {
    String field = obj.pathOf(name);
    List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
    String value = obj.string(name);
    if (value == null) {
      if (absent != null) {
        return absent;
      }
      throw new FiscalException(ErrorCode.INVALID_FIELD, field + " is required: one of " + String.join(", ", allowed),
          Map.of("field", field, "allowed", allowed));
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(value)) {
        return constant;
      }
    }
    throw new FiscalException(ErrorCode.INVALID_FIELD, field + " must be one of " + String.join(", ", allowed)
        + " (got " + JsonFields.quote(value) + ")", Map.of("field", field, "allowed", allowed));
  }

  /**
   * A free-text field: not blank, at most {@code maxLength} characters, and no control characters,
   * which would corrupt the printed receipt and the authority's records.
   *
   * @param code the error for a missing, blank, too long or unprintable value
   */
  private static String text(JsonFields obj, String name, int maxLength, boolean required, ErrorCode code) {
    String field = obj.pathOf(name);
    String value = obj.string(name);
    if (value == null) {
      if (required) {
        throw FiscalException.field(code, field, field + " is required");
      }
      return null;
    }
    if (value.isBlank()) {
      throw FiscalException.field(code, field, required
          ? field + " must not be blank"
          : field + " must not be blank; leave it out if there is nothing to send");
    }
    int length = value.codePointCount(0, value.length());
    if (length > maxLength) {
      throw FiscalException.field(code, field,
          field + " must be at most " + maxLength + " characters (got " + length + ")");
    }
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE) {
        throw FiscalException.field(code, field, String.format(
            "%s must not contain control characters or broken surrogates (found U+%04X at position %d)", field, cp, i));
      }
      i += Character.charCount(cp);
    }
    return value;
  }

  private static BigDecimal required(JsonFields obj, String name, DecimalRule rule) {
    if (!obj.has(name)) {
      String field = obj.pathOf(name);
      throw FiscalException.field(ErrorCode.INVALID_FIELD, field, field + " is required");
    }
    return decimal(obj, name, rule);
  }

  /** Reads a present amount or quantity exactly from its JSON text and checks it against {@code rule}. */
  private static BigDecimal decimal(JsonFields obj, String name, DecimalRule rule) {
    String field = obj.pathOf(name);
    Object raw = obj.raw(name);
    String text;
    if (raw instanceof JsonNumberText number) {
      text = number.text();
    } else if (raw instanceof String s) {
      text = s;
    } else {
      throw JsonFields.wrongType(field, "a decimal number such as 12.50 or \"12.50\"", raw);
    }
    String shown = JsonFields.preview(text);
    if (text.length() > MAX_NUMBER_TEXT || !DECIMAL.matcher(text).matches()) {
      throw FiscalException.field(rule.code(), field,
          field + " must be a decimal number such as \"12.50\" (got \"" + shown + "\")");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text);
    } catch (NumberFormatException e) { // an exponent beyond ±2^31
      throw FiscalException.field(rule.code(), field, field + " is out of range (got " + shown + ")");
    }
    if (rule.positive() && value.signum() <= 0) {
      throw FiscalException.field(rule.code(), field, field + " must be greater than zero (got " + shown + ")");
    }
    if (value.signum() < 0) {
      throw FiscalException.field(rule.code(), field, field + " must not be negative (got " + shown + ")");
    }
    // compareTo looks at exponents first, so 1e999999999 is refused without being expanded.
    if (value.compareTo(rule.max()) > 0) {
      throw FiscalException.field(rule.code(), field,
          field + " must be at most " + rule.max().toPlainString() + " (got " + shown + ")");
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() > rule.maxDecimals()) {
      String limit = rule.maxDecimals() == 0 ? " must be a whole number"
          : " may have at most " + rule.maxDecimals() + " decimal places";
      throw FiscalException.field(rule.code(), field, field + limit + rule.context() + " (got " + shown + ")");
    }
    // Keep the POS's own scale ("522.00" stays 522.00) unless it is outside 0..maxDecimals, as in
    // "5.22e2" or "1.5000000", where the value is normalised to its shortest exact form.
    if (value.scale() >= 0 && value.scale() <= rule.maxDecimals()) {
      return value;
    }
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** What an amount or quantity field accepts; {@code context} finishes the decimals message. */
  private record DecimalRule(ErrorCode code, boolean positive, BigDecimal max, int maxDecimals, String context) {}
}
