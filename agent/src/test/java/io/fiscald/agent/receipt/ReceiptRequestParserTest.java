package io.fiscald.agent.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReceiptRequestParserTest {
  private static final ReceiptRequestParser PARSER = new ReceiptRequestParser();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The example of the public contract, as an invoice. */
  private static final String EXAMPLE = """
      {"type": "INVOICE",
       "currency": "KES",
       "pricesIncludeTax": true,
       "lines": [{"name": "Sugar 1kg", "quantity": "2", "unitPrice": "522.00", "taxCode": "B", "code": "SKU-1",
                  "discount": "0.00", "hsCode": "1701.99.00", "unit": "kg"}],
       "payments": [{"method": "CASH", "amount": "1044.00", "reference": "QK7ABC123"}],
       "buyer": {"name": "Acme Ltd", "tin": "P051234567X"}}
      """;

  private static final String CREDIT_NOTE = """
      {"type": "CREDIT_NOTE", "currency": "KES",
       "lines": [{"name": "Sugar 1kg", "quantity": 1, "unitPrice": 522.00, "taxCode": "B"}],
       "payments": [{"method": "MOBILE_MONEY", "amount": 522.00}],
       "original": {"receiptNumber": "INV-000001"},
       "reason": "returned goods"}
      """;

  @Test
  void documentedExampleParsesToTheExactValues() {
    assertThat(PARSER.parse(EXAMPLE)).isEqualTo(new ReceiptRequest(ReceiptType.INVOICE, "KES", true,
        List.of(new ReceiptLine("Sugar 1kg", new BigDecimal("2"), new BigDecimal("522.00"), "B", "SKU-1",
            new BigDecimal("0.00"), "1701.99.00", "kg")),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal("1044.00"), "QK7ABC123")),
        new Buyer("Acme Ltd", "P051234567X"), null, null));
  }

  @Test
  void creditNoteCarriesOriginalAndReason() {
    ReceiptRequest note = PARSER.parse(CREDIT_NOTE);
    assertThat(note.type()).isEqualTo(ReceiptType.CREDIT_NOTE);
    assertThat(note.original()).isEqualTo(new OriginalReference("INV-000001"));
    assertThat(note.reason()).isEqualTo("returned goods");
    assertThat(note.buyer()).isNull();
    assertThat(note.lines().get(0).unitPrice()).isEqualTo(new BigDecimal("522.00"));
  }

  @Test
  void optionalFieldsTakeTheirDefaults() {
    ReceiptRequest r = PARSER.parse("""
        {"currency": "KES", "lines": [{"name": "Tea", "quantity": 1, "unitPrice": 0, "taxCode": "C", "code": null}],
         "payments": [{"method": "CARD", "amount": 1}], "buyer": null, "original": null, "reason": null}""");
    assertThat(r.type()).isEqualTo(ReceiptType.INVOICE);
    assertThat(r.pricesIncludeTax()).isTrue();
    assertThat(r.lines().get(0)).isEqualTo(new ReceiptLine("Tea", BigDecimal.ONE, BigDecimal.ZERO, "C"));
    assertThat(r.lines().get(0).discount()).isSameAs(BigDecimal.ZERO);
    assertThat(r.payments().get(0).reference()).isNull();
    assertThat(r.buyer()).isNull();
    assertThat(PARSER.parse(EXAMPLE.replace("\"pricesIncludeTax\": true", "\"pricesIncludeTax\": false"))
        .pricesIncludeTax()).isFalse();
  }

  @Test
  void numbersAndStringsGiveIdenticalExactDecimals() {
    String asNumbers = EXAMPLE.replace("\"2\"", "2").replace("\"522.00\"", "522.00")
        .replace("\"0.00\"", "0.00").replace("\"1044.00\"", "1044.00");
    assertThat(asNumbers).doesNotContain("\"522.00\"");
    assertThat(PARSER.parse(asNumbers)).isEqualTo(PARSER.parse(EXAMPLE));

    // 0.1 has no exact double; 900719925474.0993 needs 16 significant digits, more than a double holds.
    ReceiptLine number = lineOf("{\"name\": \"x\", \"quantity\": 0.1, \"unitPrice\": 900719925474.0993, \"taxCode\": \"B\"}");
    ReceiptLine string = lineOf("{\"name\": \"x\", \"quantity\": \"0.1\", \"unitPrice\": \"900719925474.0993\", \"taxCode\": \"B\"}");
    assertThat(number).isEqualTo(string);
    assertThat(number.quantity()).isEqualTo(new BigDecimal("0.1"));
    assertThat(number.quantity().scale()).isEqualTo(1);
    assertThat(number.unitPrice().toPlainString()).isEqualTo("900719925474.0993");
  }

  @Test
  void exponentsAndSurplusTrailingZerosAreNormalisedExactly() {
    ReceiptLine line = lineOf("{\"name\": \"x\", \"quantity\": 2.0000, \"unitPrice\": 5.22e2, \"taxCode\": \"B\","
        + " \"discount\": \"1E+1\"}");
    // More decimals than allowed but all zeros: the value is kept, in its shortest exact form.
    assertThat(line.quantity()).isEqualTo(new BigDecimal("2"));
    assertThat(line.unitPrice()).isEqualTo(new BigDecimal("522"));
    assertThat(line.discount()).isEqualTo(new BigDecimal("10"));
    assertThat(lineOf("{\"name\": \"x\", \"quantity\": 1, \"unitPrice\": \"0e-999999999\", \"taxCode\": \"B\"}")
        .unitPrice()).isEqualTo(BigDecimal.ZERO);
    Payment payment = PARSER.parse(EXAMPLE.replace("\"1044.00\"", "1044.0000")).payments().get(0);
    assertThat(payment.amount()).isEqualTo(new BigDecimal("1044"));
  }

  @Test
  void limitsAreInclusive() {
    ReceiptLine line = lineOf("{\"name\": \"" + "n".repeat(200) + "\", \"quantity\": \"1000000\","
        + " \"unitPrice\": \"1000000000000\", \"taxCode\": \"ABCDEFGH\", \"discount\": \"0.01\"}");
    assertThat(line.quantity()).isEqualTo(new BigDecimal("1000000"));
    assertThat(line.unitPrice()).isEqualTo(new BigDecimal("1000000000000"));
    assertThat(lineOf("{\"name\": \"x\", \"quantity\": 0.001, \"unitPrice\": 0.0001, \"taxCode\": \"B\"}").unitPrice())
        .isEqualTo(new BigDecimal("0.0001"));
    ObjectNode root = example();
    ArrayNode lines = root.putArray("lines");
    for (int i = 0; i < ReceiptRequestParser.MAX_LINES; i++) {
      lines.addObject().put("name", "Item " + i).put("quantity", 1).put("unitPrice", "1").put("taxCode", "B");
    }
    ArrayNode payments = root.putArray("payments");
    for (int i = 0; i < ReceiptRequestParser.MAX_PAYMENTS; i++) {
      payments.addObject().put("method", "CARD").put("amount", "1");
    }
    root.putObject("buyer").put("tin", "A".repeat(20));
    ReceiptRequest r = PARSER.parse(root.toString());
    assertThat(r.lines()).hasSize(500);
    assertThat(r.payments()).hasSize(20);
    assertThat(r.buyer()).isEqualTo(new Buyer(null, "A".repeat(20)));
  }

  @Test
  void unpairedSurrogatesAreRefused() {
    // Escaped in the JSON text: a high surrogate with no low one after it cannot be printed or sent on.
    FiscalException e = expectRefusal("{\"currency\": \"KES\", \"lines\": [{\"name\": \"Bread \\ud83c\","
        + " \"quantity\": 1, \"unitPrice\": 1, \"taxCode\": \"B\"}], \"payments\": [{\"method\": \"CASH\", \"amount\": 1}]}",
        ErrorCode.INVALID_FIELD, "lines[0].name");
    assertThat(e.getMessage()).contains("U+D83C");
  }

  @Test
  void textKeepsUnicodeAndEscapes() {
    ReceiptLine line = lineOf("{\"name\": \"Caf\\u00e9 \\\"Bora\\\" \uD83C\uDF5E\", \"quantity\": 1, \"unitPrice\": 1,"
        + " \"taxCode\": \"B\"}");
    assertThat(line.name()).isEqualTo("Café \"Bora\" 🍞");
  }

  // Malformed bodies.

  @Test
  void emptyBodyIsMalformed() {
    assertThat(expectRefusal("", ErrorCode.MALFORMED_JSON, null).getMessage()).contains("empty");
    expectRefusal("  \n ", ErrorCode.MALFORMED_JSON, null);
    expectRefusal(new byte[0], ErrorCode.MALFORMED_JSON);
  }

  @Test
  void nonObjectRootIsMalformed() {
    for (String body : List.of("[]", "42", "\"receipt\"", "null", "true")) {
      assertThat(expectRefusal(body, ErrorCode.MALFORMED_JSON, null).getMessage()).contains("must be a JSON object");
    }
  }

  @Test
  void syntaxErrorsReportLineAndColumn() {
    FiscalException e = expectRefusal("{\"currency\": \"KES\",\n \"lines\": [1 2]}", ErrorCode.MALFORMED_JSON, null);
    assertThat(e.getMessage()).contains("line 2, column");
    assertThat(e.details()).containsEntry("line", 2).containsKey("column");
    assertThat(e.getMessage()).doesNotContain("REDACTED");

    for (String body : List.of("{", "{\"currency\": \"KES\",}", "{'currency': 'KES'}", "{\"a\": NaN}",
        "{\"a\": 0x10}", "{\"a\": 01}", "{\"a\": Infinity}", "{\"currency\": \"KES\"} x")) {
      expectRefusal(body, ErrorCode.MALFORMED_JSON, null);
    }
  }

  @Test
  void trailingValuesAreMalformed() {
    FiscalException e = expectRefusal(EXAMPLE + " {}", ErrorCode.MALFORMED_JSON, null);
    assertThat(e.getMessage()).contains("after the JSON object");
    expectRefusal("{} []", ErrorCode.MALFORMED_JSON, null);
  }

  @Test
  void duplicateKeysAreMalformedAtAnyDepth() {
    assertThat(expectRefusal("{\"currency\": \"KES\", \"currency\": \"USD\"}", ErrorCode.MALFORMED_JSON, null)
        .getMessage()).contains("Duplicate field 'currency'");
    expectRefusal(EXAMPLE.replace("\"quantity\": \"2\",", "\"quantity\": \"2\", \"quantity\": \"3\","),
        ErrorCode.MALFORMED_JSON, null);
  }

  @Test
  void deepNestingIsMalformed() {
    String deep = "{\"x\": " + "[".repeat(16) + "]".repeat(16) + "}"; // depth 17
    assertThat(expectRefusal(deep, ErrorCode.MALFORMED_JSON, null).getMessage()).contains("nesting depth");
    // Depth 16 is still JSON; it is then refused for what it says.
    String ok = "{\"x\": " + "[".repeat(15) + "]".repeat(15) + "}";
    expectRefusal(ok, ErrorCode.INVALID_FIELD, "x");
  }

  @Test
  void bytesThatAreNotUtf8AreMalformed() {
    byte[] body = "{\"currency\": \"K\u00ffS\"}".getBytes(StandardCharsets.ISO_8859_1);
    expectRefusal(body, ErrorCode.MALFORMED_JSON);
  }

  @Test
  void bodiesOver256KibAreTooLarge() {
    String padded = EXAMPLE + " ".repeat(ReceiptRequestParser.MAX_BODY_BYTES - EXAMPLE.length());
    assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(256 * 1024);
    assertThat(PARSER.parse(padded).currency()).isEqualTo("KES");

    FiscalException e = expectRefusal(padded + " ", ErrorCode.REQUEST_TOO_LARGE, null);
    assertThat(e.code().httpStatus()).isEqualTo(413);
    assertThat(e.details()).containsEntry("limit", 262144).containsEntry("size", 262145);
  }

  // Structural refusals: every rule, its code and the path it names.

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(String rule, Consumer<ObjectNode> mutation, ErrorCode code, String field) {
    ObjectNode root = example();
    mutation.accept(root);
    expectRefusal(root.toString(), code, field);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        // Unknown fields, anywhere.
        refuse("unknown root field", r -> r.put("colour", "red"), ErrorCode.INVALID_FIELD, "colour"),
        refuse("unknown line field", r -> line(r).put("colour", "red"), ErrorCode.INVALID_FIELD, "lines[0].colour"),
        refuse("unknown payment field", r -> payment(r).put("tip", 5), ErrorCode.INVALID_FIELD, "payments[0].tip"),
        refuse("unknown buyer field", r -> buyer(r).put("email", "a@b"), ErrorCode.INVALID_FIELD, "buyer.email"),
        refuse("unknown original field", r -> original(note(r)).put("date", "x"), ErrorCode.INVALID_FIELD,
            "original.date"),
        // type
        refuse("unknown type", r -> r.put("type", "invoice"), ErrorCode.INVALID_FIELD, "type"),
        refuse("type not a string", r -> r.put("type", 1), ErrorCode.INVALID_FIELD, "type"),
        // currency
        refuse("currency missing", r -> r.remove("currency"), ErrorCode.INVALID_FIELD, "currency"),
        refuse("currency not a string", r -> r.put("currency", 404), ErrorCode.INVALID_FIELD, "currency"),
        refuse("currency lower case", r -> r.put("currency", "kes"), ErrorCode.UNKNOWN_CURRENCY, "currency"),
        refuse("currency too long", r -> r.put("currency", "KESS"), ErrorCode.UNKNOWN_CURRENCY, "currency"),
        refuse("currency unknown", r -> r.put("currency", "XYZ"), ErrorCode.UNKNOWN_CURRENCY, "currency"),
        refuse("pricesIncludeTax not boolean", r -> r.put("pricesIncludeTax", "yes"), ErrorCode.INVALID_FIELD,
            "pricesIncludeTax"),
        // lines
        refuse("lines missing", r -> r.remove("lines"), ErrorCode.INVALID_FIELD, "lines"),
        refuse("lines an object", r -> r.putObject("lines"), ErrorCode.INVALID_FIELD, "lines"),
        refuse("lines empty", r -> r.putArray("lines"), ErrorCode.INVALID_FIELD, "lines"),
        refuse("501 lines", r -> repeat(r.withArray("lines"), 500), ErrorCode.INVALID_FIELD, "lines"),
        refuse("line not an object", r -> r.withArray("lines").add("Sugar"), ErrorCode.INVALID_FIELD, "lines[1]"),
        refuse("name missing", r -> line(r).remove("name"), ErrorCode.INVALID_FIELD, "lines[0].name"),
        refuse("name blank", r -> line(r).put("name", "  "), ErrorCode.INVALID_FIELD, "lines[0].name"),
        refuse("name too long", r -> line(r).put("name", "n".repeat(201)), ErrorCode.INVALID_FIELD, "lines[0].name"),
        refuse("name with newline", r -> line(r).put("name", "Sugar\n1kg"), ErrorCode.INVALID_FIELD,
            "lines[0].name"),
        refuse("name a number", r -> line(r).put("name", 7), ErrorCode.INVALID_FIELD, "lines[0].name"),
        // quantity
        refuse("quantity missing", r -> line(r).remove("quantity"), ErrorCode.INVALID_FIELD, "lines[0].quantity"),
        refuse("quantity boolean", r -> line(r).put("quantity", true), ErrorCode.INVALID_FIELD, "lines[0].quantity"),
        refuse("quantity array", r -> line(r).putArray("quantity"), ErrorCode.INVALID_FIELD, "lines[0].quantity"),
        refuse("quantity negative", r -> line(r).put("quantity", "-2"), ErrorCode.INVALID_QUANTITY,
            "lines[0].quantity"),
        refuse("quantity zero", r -> line(r).put("quantity", 0), ErrorCode.INVALID_QUANTITY, "lines[0].quantity"),
        refuse("quantity over a million", r -> line(r).put("quantity", "1000000.001"), ErrorCode.INVALID_QUANTITY,
            "lines[0].quantity"),
        refuse("quantity four decimals", r -> line(r).put("quantity", "1.2345"), ErrorCode.INVALID_QUANTITY,
            "lines[0].quantity"),
        refuse("quantity text", r -> line(r).put("quantity", "two"), ErrorCode.INVALID_QUANTITY, "lines[0].quantity"),
        refuse("quantity NaN string", r -> line(r).put("quantity", "NaN"), ErrorCode.INVALID_QUANTITY,
            "lines[0].quantity"),
        refuse("quantity Infinity string", r -> line(r).put("quantity", "Infinity"), ErrorCode.INVALID_QUANTITY,
            "lines[0].quantity"),
        refuse("quantity hex string", r -> line(r).put("quantity", "0x10"), ErrorCode.INVALID_QUANTITY,
            "lines[0].quantity"),
        refuse("quantity with spaces", r -> line(r).put("quantity", " 2"), ErrorCode.INVALID_QUANTITY,
            "lines[0].quantity"),
        refuse("quantity huge exponent", r -> line(r).putRawValue("quantity", new RawValue("1e999999999")),
            ErrorCode.INVALID_QUANTITY, "lines[0].quantity"),
        refuse("quantity exponent beyond int", r -> line(r).putRawValue("quantity", new RawValue("1e9999999999")),
            ErrorCode.INVALID_QUANTITY, "lines[0].quantity"),
        refuse("quantity tiny exponent", r -> line(r).put("quantity", "1e-999999999"), ErrorCode.INVALID_QUANTITY,
            "lines[0].quantity"),
        refuse("quantity absurdly long", r -> line(r).put("quantity", "1." + "0".repeat(100)),
            ErrorCode.INVALID_QUANTITY, "lines[0].quantity"),
        // unitPrice
        refuse("unitPrice missing", r -> line(r).remove("unitPrice"), ErrorCode.INVALID_FIELD, "lines[0].unitPrice"),
        refuse("unitPrice negative", r -> line(r).put("unitPrice", -1), ErrorCode.INVALID_AMOUNT,
            "lines[0].unitPrice"),
        refuse("unitPrice over 10^12", r -> line(r).put("unitPrice", "1000000000000.01"), ErrorCode.INVALID_AMOUNT,
            "lines[0].unitPrice"),
        refuse("unitPrice five decimals in KES", r -> line(r).put("unitPrice", "1.00001"), ErrorCode.INVALID_AMOUNT,
            "lines[0].unitPrice"),
        refuse("unitPrice three decimals in JPY", r -> r.put("currency", "JPY").set("payments", jpyPayment()),
            ErrorCode.INVALID_AMOUNT, "lines[0].unitPrice", "{\"unitPrice\": \"1.001\"}"),
        refuse("unitPrice empty string", r -> line(r).put("unitPrice", ""), ErrorCode.INVALID_AMOUNT,
            "lines[0].unitPrice"),
        refuse("unitPrice an object", r -> line(r).putObject("unitPrice"), ErrorCode.INVALID_FIELD,
            "lines[0].unitPrice"),
        // taxCode
        refuse("taxCode missing", r -> line(r).remove("taxCode"), ErrorCode.INVALID_FIELD, "lines[0].taxCode"),
        refuse("taxCode blank", r -> line(r).put("taxCode", ""), ErrorCode.INVALID_FIELD, "lines[0].taxCode"),
        refuse("taxCode too long", r -> line(r).put("taxCode", "ABCDEFGHI"), ErrorCode.INVALID_FIELD,
            "lines[0].taxCode"),
        refuse("taxCode a number", r -> line(r).put("taxCode", 16), ErrorCode.INVALID_FIELD, "lines[0].taxCode"),
        // discount and the optional texts
        refuse("discount negative", r -> line(r).put("discount", "-1.00"), ErrorCode.INVALID_AMOUNT,
            "lines[0].discount"),
        refuse("discount finer than KES", r -> line(r).put("discount", "0.001"), ErrorCode.INVALID_AMOUNT,
            "lines[0].discount"),
        refuse("discount absurd", r -> line(r).put("discount", "1e16"), ErrorCode.INVALID_AMOUNT, "lines[0].discount"),
        refuse("discount boolean", r -> line(r).put("discount", false), ErrorCode.INVALID_FIELD, "lines[0].discount"),
        refuse("code blank", r -> line(r).put("code", ""), ErrorCode.INVALID_FIELD, "lines[0].code"),
        refuse("code too long", r -> line(r).put("code", "c".repeat(65)), ErrorCode.INVALID_FIELD, "lines[0].code"),
        refuse("hsCode too long", r -> line(r).put("hsCode", "1".repeat(33)), ErrorCode.INVALID_FIELD,
            "lines[0].hsCode"),
        refuse("unit with tab", r -> line(r).put("unit", "k\tg"), ErrorCode.INVALID_FIELD, "lines[0].unit"),
        // payments
        refuse("payments missing", r -> r.remove("payments"), ErrorCode.INVALID_FIELD, "payments"),
        refuse("payments empty", r -> r.putArray("payments"), ErrorCode.INVALID_FIELD, "payments"),
        refuse("payments a string", r -> r.put("payments", "CASH"), ErrorCode.INVALID_FIELD, "payments"),
        refuse("21 payments", r -> repeat(r.withArray("payments"), 20), ErrorCode.INVALID_FIELD, "payments"),
        refuse("method missing", r -> payment(r).remove("method"), ErrorCode.INVALID_FIELD, "payments[0].method"),
        refuse("method unknown", r -> payment(r).put("method", "cash"), ErrorCode.INVALID_FIELD,
            "payments[0].method"),
        refuse("amount missing", r -> payment(r).remove("amount"), ErrorCode.INVALID_FIELD, "payments[0].amount"),
        refuse("amount zero", r -> payment(r).put("amount", "0.00"), ErrorCode.INVALID_AMOUNT, "payments[0].amount"),
        refuse("amount negative", r -> payment(r).put("amount", -5), ErrorCode.INVALID_AMOUNT, "payments[0].amount"),
        refuse("amount finer than KES", r -> payment(r).put("amount", "1044.001"), ErrorCode.INVALID_AMOUNT,
            "payments[0].amount"),
        refuse("amount with decimals in JPY", r -> r.put("currency", "JPY").set("payments", jpyPayment("100.5")),
            ErrorCode.INVALID_AMOUNT, "payments[0].amount"),
        refuse("amount absurd", r -> payment(r).put("amount", "1e16"), ErrorCode.INVALID_AMOUNT,
            "payments[0].amount"),
        refuse("reference too long", r -> payment(r).put("reference", "R".repeat(65)), ErrorCode.INVALID_FIELD,
            "payments[0].reference"),
        // buyer
        refuse("buyer empty", r -> r.putObject("buyer"), ErrorCode.INVALID_FIELD, "buyer"),
        refuse("buyer a string", r -> r.put("buyer", "Acme"), ErrorCode.INVALID_FIELD, "buyer"),
        refuse("buyer name blank", r -> buyer(r).put("name", ""), ErrorCode.INVALID_FIELD, "buyer.name"),
        refuse("buyer tin with space", r -> buyer(r).put("tin", "P05 123"), ErrorCode.INVALID_FIELD, "buyer.tin"),
        refuse("buyer tin too long", r -> buyer(r).put("tin", "P".repeat(21)), ErrorCode.INVALID_FIELD, "buyer.tin"),
        refuse("buyer tin a number", r -> buyer(r).put("tin", 51234567), ErrorCode.INVALID_FIELD, "buyer.tin"),
        // notes and invoices
        refuse("invoice with original", r -> r.putObject("original").put("receiptNumber", "INV-1"),
            ErrorCode.INVALID_FIELD, "original"),
        refuse("invoice with reason", r -> r.put("reason", "oops"), ErrorCode.INVALID_FIELD, "reason"),
        refuse("credit note without original", r -> note(r).remove("original"), ErrorCode.ORIGINAL_REQUIRED,
            "original"),
        refuse("debit note without original", r -> note(r).put("type", "DEBIT_NOTE").remove("original"),
            ErrorCode.ORIGINAL_REQUIRED, "original"),
        refuse("original without number", r -> note(r).putObject("original"), ErrorCode.ORIGINAL_REQUIRED,
            "original.receiptNumber"),
        refuse("original number blank", r -> original(note(r)).put("receiptNumber", " "),
            ErrorCode.ORIGINAL_REQUIRED, "original.receiptNumber"),
        refuse("original a string", r -> note(r).put("original", "INV-1"), ErrorCode.INVALID_FIELD, "original"),
        refuse("note without reason", r -> note(r).remove("reason"), ErrorCode.REASON_REQUIRED, "reason"),
        refuse("note with blank reason", r -> note(r).put("reason", "   "), ErrorCode.REASON_REQUIRED, "reason"),
        refuse("note with long reason", r -> note(r).put("reason", "r".repeat(251)), ErrorCode.REASON_REQUIRED,
            "reason"),
        refuse("reason a number", r -> note(r).put("reason", 1), ErrorCode.INVALID_FIELD, "reason"));
  }

  @Test
  void messagesTellThePosDeveloperWhatToFix() {
    assertThat(refusalOf(r -> line(r).put("quantity", "-2")).getMessage())
        .isEqualTo("lines[0].quantity must be greater than zero (got -2)");
    assertThat(refusalOf(r -> line(r).put("quantity", "1.2345")).getMessage())
        .isEqualTo("lines[0].quantity may have at most 3 decimal places (got 1.2345)");
    assertThat(refusalOf(r -> payment(r).put("amount", "1.001")).getMessage())
        .isEqualTo("payments[0].amount may have at most 2 decimal places in KES (got 1.001)");
    assertThat(refusalOf(r -> line(r).put("quantity", true)).getMessage())
        .isEqualTo("lines[0].quantity must be a decimal number such as 12.50 or \"12.50\", not a boolean (true)");

    FiscalException unknown = refusalOf(r -> line(r).put("colour", "red"));
    assertThat(unknown.getMessage()).isEqualTo("lines[0].colour is not a field of a receipt line; the allowed fields"
        + " are name, quantity, unitPrice, taxCode, code, discount, hsCode, unit");
    assertThat(unknown.details()).containsEntry("allowed",
        List.of("name", "quantity", "unitPrice", "taxCode", "code", "discount", "hsCode", "unit"));

    FiscalException method = refusalOf(r -> payment(r).put("method", "MPESA"));
    assertThat(method.getMessage()).isEqualTo("payments[0].method must be one of CASH, CARD, MOBILE_MONEY,"
        + " BANK_TRANSFER, CREDIT, VOUCHER, OTHER (got \"MPESA\")");
    assertThat(method.details()).containsEntry("allowed",
        List.of("CASH", "CARD", "MOBILE_MONEY", "BANK_TRANSFER", "CREDIT", "VOUCHER", "OTHER"));
    assertThat(refusalOf(r -> r.put("type", "SALE")).details())
        .containsEntry("allowed", List.of("INVOICE", "CREDIT_NOTE", "DEBIT_NOTE"));

    assertThat(refusalOf(r -> line(r).put("name", "a\u0007b")).getMessage()).contains("U+0007");
    assertThat(refusalOf(r -> r.put("currency", "kes")).getMessage()).contains("\"kes\"", "\"KES\"");
  }

  @Test
  void echoedValuesAreShortened() {
    FiscalException longValue = refusalOf(r -> r.put("type", "X".repeat(10_000)));
    assertThat(longValue.getMessage()).hasSizeLessThan(300);
    FiscalException longName = refusalOf(r -> r.put("k".repeat(10_000), 1));
    assertThat(longName.getMessage()).hasSizeLessThan(300);
  }

  @Test
  void modeDefaultsToNormalAndTakesTrainingOrProforma() throws Exception {
    assertThat(PARSER.parse(EXAMPLE).mode()).isEqualTo(ReceiptMode.NORMAL);
    for (ReceiptMode mode : ReceiptMode.values()) {
      ObjectNode r = example();
      r.put("mode", mode.name());
      assertThat(PARSER.parse(JSON.writeValueAsString(r)).mode()).isEqualTo(mode);
    }
    ObjectNode trainingNote = note(example());
    trainingNote.put("mode", "TRAINING");
    assertThat(PARSER.parse(JSON.writeValueAsString(trainingNote)).mode()).isEqualTo(ReceiptMode.TRAINING);
  }

  @Test
  void anUnknownModeIsRefusedWithItsPathAndTheAllowedValues() throws Exception {
    for (String bad : List.of("COPY", "training", "")) {
      FiscalException e = refusalOf(x -> x.put("mode", bad));
      assertThat(e.code()).as(bad).isEqualTo(ErrorCode.INVALID_FIELD);
      assertThat(e.details()).containsEntry("field", "mode")
          .containsEntry("allowed", List.of("NORMAL", "TRAINING", "PROFORMA"));
      assertThat(e.getMessage()).contains("NORMAL, TRAINING, PROFORMA");
    }
    FiscalException proformaNote = refusalOf(x -> note(x).put("mode", "PROFORMA"));
    assertThat(proformaNote.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(proformaNote.details()).containsEntry("field", "mode");
  }

  // Helpers.

  private static ObjectNode example() {
    try {
      return (ObjectNode) JSON.readTree(EXAMPLE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode line(ObjectNode root) {
    return (ObjectNode) root.withArray("lines").get(0);
  }

  private static ObjectNode payment(ObjectNode root) {
    return (ObjectNode) root.withArray("payments").get(0);
  }

  private static ObjectNode buyer(ObjectNode root) {
    return (ObjectNode) root.get("buyer");
  }

  /** Turns the example into a valid credit note and returns it for further damage. */
  private static ObjectNode note(ObjectNode root) {
    root.put("type", "CREDIT_NOTE").put("reason", "returned goods");
    root.putObject("original").put("receiptNumber", "INV-000001");
    return root;
  }

  private static ObjectNode original(ObjectNode root) {
    return (ObjectNode) root.get("original");
  }

  private static ArrayNode jpyPayment() {
    return jpyPayment("1044");
  }

  private static ArrayNode jpyPayment(String amount) {
    ArrayNode payments = JSON.createArrayNode();
    payments.addObject().put("method", "CASH").put("amount", amount);
    return payments;
  }

  private static void repeat(ArrayNode array, int extra) {
    for (int i = 0; i < extra; i++) {
      array.add(array.get(0).deepCopy());
    }
  }

  private static Arguments refuse(String rule, Consumer<ObjectNode> mutation, ErrorCode code, String field) {
    return Arguments.of(rule, mutation, code, field);
  }

  /** A refusal whose mutation also overwrites fields of the first line, given as a JSON object. */
  private static Arguments refuse(String rule, Consumer<ObjectNode> mutation, ErrorCode code, String field,
      String lineFields) {
    Consumer<ObjectNode> both = root -> {
      mutation.accept(root);
      try {
        line(root).setAll((ObjectNode) JSON.readTree(lineFields));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    return Arguments.of(rule, both, code, field);
  }

  private static ReceiptLine lineOf(String lineJson) {
    return PARSER.parse("{\"currency\": \"KES\", \"lines\": [" + lineJson + "],"
        + " \"payments\": [{\"method\": \"CASH\", \"amount\": 1}]}").lines().get(0);
  }

  private static FiscalException refusalOf(Consumer<ObjectNode> mutation) {
    ObjectNode root = example();
    mutation.accept(root);
    try {
      PARSER.parse(root.toString());
    } catch (FiscalException e) {
      return e;
    }
    throw new AssertionError("expected a refusal of " + root);
  }

  private static FiscalException expectRefusal(byte[] body, ErrorCode code) {
    try {
      PARSER.parse(body);
    } catch (FiscalException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
      return e;
    }
    throw new AssertionError("expected " + code);
  }

  private static FiscalException expectRefusal(String body, ErrorCode code, String field) {
    FiscalException[] caught = new FiscalException[1];
    assertThatThrownBy(() -> PARSER.parse(body)).isInstanceOfSatisfying(FiscalException.class, e -> {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
      assertThat(e.code().fault()).isEqualTo(ErrorCode.Fault.CALLER);
      if (field != null) {
        assertThat(e.details()).as(e.getMessage()).containsEntry("field", field);
        assertThat(e.getMessage()).startsWith(field.contains("[") || field.contains(".") ? field : "")
            .contains(field);
      }
      caught[0] = e;
    });
    return caught[0];
  }
}
