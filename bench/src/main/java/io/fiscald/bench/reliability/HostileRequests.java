package io.fiscald.bench.reliability;

import io.fiscald.bench.harness.BenchDevice;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generates malformed and hostile HTTP requests for the local API, reproducibly from a seed: wrong JSON
 * types, huge and negative numbers, deep nesting, huge bodies, bad UTF-8, duplicate keys, header abuse,
 * bad tokens and Idempotency-Keys, wrong methods and paths. Each is raw bytes (the JDK client would
 * refuse to send most of them) with a category name, so a finding can be traced and replayed.
 */
public final class HostileRequests {
  /** One request: what kind of hostility it is and the exact bytes sent. */
  public record Hostile(int index, String category, byte[] bytes) {}

  private static final List<String> FIELDS = List.of("type", "currency", "pricesIncludeTax", "lines", "payments",
      "buyer", "original", "reason", "lines[0].name", "lines[0].quantity", "lines[0].unitPrice", "lines[0].taxCode",
      "lines[0].discount", "payments[0].method", "payments[0].amount", "payments[0].reference", "buyer.tin");
  private static final List<String> VALUES = List.of("null", "true", "false", "0", "-1", "-0", "1e308", "1e-400",
      "-1e999999", "99999999999999999999999999999999999999", "9223372036854775808", "-9223372036854775809",
      "0.0000000000000000000001", "1.7976931348623157E309", "NaN", "Infinity", "\"\"", "\" \"", "\"-522.00\"",
      "\"1e5\"", "\"0x10\"", "\"522,00\"", "\"1 044.00\"", "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "[[[]]]",
      "{\"a\":1}", "\"" + "9".repeat(400) + "\"", "\"" + "x".repeat(5000) + "\"", "\"INV-000001\"",
      "\"CASH\\u0000\"", "\"KES \"", "\"kes\"", "\"XXX\"", "\"B\"", "\"Z\"", "\"CREDIT_NOTE\"", "\"DEBIT_NOTE\"",
      "\"INVOICE\"", "\"\\\"\"", "\"" + "\u202e" + "\"", "12345678901234567890.123456789", "-0.01", "0", "\"0\"",
      "\"1000001\"", "\"1000000000001\"", "\"0.001\"", "\"0.0001\"");
  private static final List<String> METHODS = List.of("PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "HEAD", "FOO",
      "GET", "POST", "CONNECT", "get");
  private static final List<String> PATHS = List.of("/", "/v1", "/v1/", "/v1/receipts/", "/v1/receipts//reprint",
      "/v1/receipts/%00", "/v1/receipts/%ZZ", "/v1/receipts/..%2F..%2Fetc%2Fpasswd", "/v1/receipts/INV-999999",
      "/v1/receipts/" + "A".repeat(3000), "/v1/receipts?limit=-1", "/v1/receipts?limit=99999999999999999999",
      "/v1/receipts?from=notadate&to=%ff", "/v1/receipts?limit=abc&limit=2", "/v1/receipts?%%%=%%%",
      "/v1/receipts?day=-5", "/v1/receipts?number=%27%20OR%201%3D1--", "/v1/day/x-report?x=%zz", "/v1/status?%",
      "/v1/webhooks/999999", "/v1/webhooks/-1", "/v1/webhooks/abc", "/v1/webhooks/9999999999999999999999",
      "/v1/receipts/INV-000001/cancel", "/v1/receipts/INV-000001/reprint", "/v1/day/close", "/V1/RECEIPTS",
      "/v1/receipts/INV-000001/../../status", "/v2/receipts", "//v1/receipts", "/v1/receipts;jsessionid=1",
      "/v1/openapi.json/../receipts", "/v1/receipts/%C0%AE%C0%AE");

  private final Random random;
  private final String cashier;
  private final String technician;
  private final String admin;

  public HostileRequests(long seed, String cashier, String technician, String admin) {
    this.random = new Random(seed);
    this.cashier = cashier;
    this.technician = technician;
    this.admin = admin;
  }

  public Hostile next(int index) {
    int kind = random.nextInt(20);
    return switch (kind) {
      case 0, 1, 2 -> receipt(index, "wrong-value", replaceField(FIELDS.get(random.nextInt(FIELDS.size())),
          VALUES.get(random.nextInt(VALUES.size()))));
      case 3 -> receipt(index, "missing-field", dropField());
      case 4 -> receipt(index, "unknown-field", BenchDevice.SALE.replaceFirst("\\{", "{\"" + junkName() + "\": 1, "));
      case 5 -> receipt(index, "duplicate-key", BenchDevice.SALE.replaceFirst("\"currency\": \"KES\"",
          "\"currency\": \"KES\", \"currency\": \"USD\""));
      case 6 -> receipt(index, "deep-nesting", deep());
      case 7 -> receipt(index, "truncated-json", BenchDevice.SALE.substring(0, random.nextInt(BenchDevice.SALE
          .length())));
      case 8 -> receiptBytes(index, "bad-utf8", badUtf8());
      case 9 -> receipt(index, "not-json", List.of("", " ", "null", "[]", "\"sale\"", "42", "{}", "{}{}",
          BenchDevice.SALE + " x", "<xml/>", "\u0000", "{'a':1}", "{\"lines\":}").get(random.nextInt(13)));
      case 10 -> receipt(index, "amounts", amounts());
      case 11 -> huge(index);
      case 12 -> headers(index, "huge-header", "X-Junk: " + "x".repeat(2000 + random.nextInt(60_000)));
      case 13 -> headers(index, "many-headers", manyHeaders());
      case 14 -> contentType(index);
      case 15 -> token(index);
      case 16 -> idempotencyKey(index);
      case 17 -> methodAndPath(index);
      case 18 -> framing(index);
      default -> other(index);
    };
  }

  // ---- bodies -------------------------------------------------------------------------------------

  private String replaceField(String field, String value) {
    return switch (field) {
      case "type" -> BenchDevice.SALE.replaceFirst("\\{", "{\"type\": " + value + ", ");
      case "pricesIncludeTax", "buyer", "original", "reason" ->
          BenchDevice.SALE.replaceFirst("\\{", "{\"" + field + "\": " + value + ", ");
      case "currency" -> BenchDevice.SALE.replace("\"currency\": \"KES\"", "\"currency\": " + value);
      case "lines" -> BenchDevice.SALE.replaceFirst("\"lines\": \\[.*?\\}\\]", "\"lines\": " + quoteSafe(value));
      case "payments" -> BenchDevice.SALE.replaceFirst("\"payments\": \\[.*?\\}\\]",
          "\"payments\": " + quoteSafe(value));
      case "lines[0].name" -> BenchDevice.SALE.replace("\"name\": \"Sugar 1kg\"", "\"name\": " + value);
      case "lines[0].quantity" -> BenchDevice.SALE.replace("\"quantity\": \"2\"", "\"quantity\": " + value);
      case "lines[0].unitPrice" -> BenchDevice.SALE.replace("\"unitPrice\": \"522.00\"", "\"unitPrice\": " + value);
      case "lines[0].taxCode" -> BenchDevice.SALE.replace("\"taxCode\": \"B\"", "\"taxCode\": " + value);
      case "lines[0].discount" -> BenchDevice.SALE.replace("\"taxCode\": \"B\"", "\"taxCode\": \"B\", \"discount\": "
          + value);
      case "payments[0].method" -> BenchDevice.SALE.replace("\"method\": \"CASH\"", "\"method\": " + value);
      case "payments[0].amount" -> BenchDevice.SALE.replace("\"amount\": \"1044.00\"", "\"amount\": " + value);
      case "payments[0].reference" -> BenchDevice.SALE.replace("\"amount\": \"1044.00\"",
          "\"amount\": \"1044.00\", \"reference\": " + value);
      default -> BenchDevice.SALE.replaceFirst("\\{", "{\"buyer\": {\"tin\": " + value + "}, ");
    };
  }

  private static String quoteSafe(String v) {
    return v.replace("$", "\\$");
  }

  private String dropField() {
    String[] fields = {"\"currency\": \"KES\", ", "\"lines\": \\[.*?\\}\\], ", ", \"payments\": \\[.*?\\}\\]",
        "\"name\": \"Sugar 1kg\", ", "\"quantity\": \"2\", ", "\"unitPrice\": \"522.00\", ", ", \"taxCode\": \"B\"",
        "\"method\": \"CASH\", ", ", \"amount\": \"1044.00\""};
    return BenchDevice.SALE.replaceFirst(fields[random.nextInt(fields.length)], "");
  }

  private String junkName() {
    String[] names = {"__proto__", "constructor", "x", "", "\\u0000", "lines ", "Lines", "total", "hash",
        "receiptNumber", "a".repeat(300)};
    return names[random.nextInt(names.length)];
  }

  private String deep() {
    int depth = 17 + random.nextInt(random.nextBoolean() ? 100 : 200_000);
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    String inner = open.repeat(depth) + "1" + close.repeat(depth);
    return random.nextBoolean() ? inner : BenchDevice.SALE.replaceFirst("\\{", "{\"buyer\": " + inner + ", ");
  }

  private byte[] badUtf8() {
    byte[][] junk = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xFE, (byte) 0xFF}, {(byte) 0x80}, {0}};
    String sale = BenchDevice.SALE;
    int at = sale.indexOf("Sugar") + random.nextInt(5);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] before = sale.substring(0, random.nextInt(4) == 0 ? random.nextInt(sale.length()) : at)
        .getBytes(StandardCharsets.UTF_8);
    out.writeBytes(before);
    out.writeBytes(junk[random.nextInt(junk.length)]);
    out.writeBytes(sale.substring(before.length).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private String amounts() {
    String[] quantities = {"\"-2\"", "\"0\"", "\"1000000.0001\"", "\"99999999999999999999\"", "1e6", "\"1E+6\"",
        "0.0005", "\"2.\"", "\".5\"", "\"+2\"", "\"2.0000000000000000000001\""};
    String[] prices = {"\"-522.00\"", "\"522.001\"", "\"1000000000000.01\"", "\"9223372036854775807\"",
        "\"92233720368547758.07\"", "1e12", "\"0.00\"", "-0", "\"522.00000000000000000001\""};
    String[] paid = {"\"-1044.00\"", "\"0\"", "\"1043.99\"", "\"9223372036854775807.99\"", "\"1e400\"", "1044.001",
        "\"92233720368547758.08\""};
    return BenchDevice.SALE.replace("\"quantity\": \"2\"", "\"quantity\": " + pick(quantities))
        .replace("\"unitPrice\": \"522.00\"", "\"unitPrice\": " + pick(prices))
        .replace("\"amount\": \"1044.00\"", "\"amount\": " + pick(paid));
  }

  private Hostile huge(int index) {
    int size = random.nextInt(8) == 0 ? 2_000_000 + random.nextInt(6_000_000) : 262_145 + random.nextInt(300_000);
    StringBuilder b = new StringBuilder(size + 200);
    String category;
    switch (random.nextInt(4)) {
      case 0 -> {
        category = "huge-body-lines";
        b.append("{\"currency\": \"KES\", \"lines\": [");
        String line = "{\"name\": \"Sugar 1kg\", \"quantity\": \"1\", \"unitPrice\": \"1.00\", \"taxCode\": \"B\"},";
        while (b.length() < size) {
          b.append(line);
        }
        b.setLength(b.length() - 1);
        b.append("], \"payments\": [{\"method\": \"CASH\", \"amount\": \"1.00\"}]}");
      }
      case 1 -> {
        category = "huge-body-string";
        b.append(BenchDevice.SALE.replace("Sugar 1kg", "S".repeat(size)));
      }
      case 2 -> {
        category = "huge-body-number";
        b.append(BenchDevice.SALE.replace("\"1044.00\"", "1" + "0".repeat(size)));
      }
      default -> {
        category = "huge-body-whitespace";
        b.append(" ".repeat(size)).append(BenchDevice.SALE);
      }
    }
    return request(index, category, "POST", "/v1/receipts", cashier, key(index), "application/json",
        b.toString().getBytes(StandardCharsets.UTF_8), "");
  }

  private Hostile receipt(int index, String category, String body) {
    return receiptBytes(index, category, body.getBytes(StandardCharsets.UTF_8));
  }

  private Hostile receiptBytes(int index, String category, byte[] body) {
    return request(index, category, "POST", "/v1/receipts", cashier, key(index), "application/json", body, "");
  }

  // ---- headers ------------------------------------------------------------------------------------

  private Hostile headers(int index, String category, String extra) {
    return request(index, category, "POST", "/v1/receipts", cashier, key(index), "application/json",
        BenchDevice.SALE.replace("1044.00", "-1").getBytes(StandardCharsets.UTF_8), extra + "\r\n");
  }

  private String manyHeaders() {
    StringBuilder b = new StringBuilder();
    int n = 100 + random.nextInt(3000);
    for (int i = 0; i < n; i++) {
      b.append(i % 2 == 0 ? "X-H" + i : "Idempotency-Key").append(": v").append(i).append("\r\n");
    }
    b.setLength(b.length() - 2);
    return b.toString();
  }

  private Hostile contentType(int index) {
    String[] types = {null, "", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=latin1", "application/json; charset=utf-16", "application/xml", "*/*",
        "application/json\u0001", "application/json;;;;", "x".repeat(5000)};
    String type = pick(types);
    // a refused body: valid JSON but the payment does not cover the total, so no type confusion can issue it
    return request(index, "content-type", "POST", "/v1/receipts", cashier, key(index), type,
        BenchDevice.SALE.replace("\"1044.00\"", "\"1.00\"").getBytes(StandardCharsets.UTF_8), "");
  }

  private Hostile token(int index) {
    String[] auth = {null, "", "Bearer", "Bearer ", "Bearer fsd_", "Bearer fsd_" + "A".repeat(10_000),
        "Bearer " + cashier + "x", "Bearer " + cashier.substring(0, cashier.length() - 1), "Basic " + cashier,
        "bearer " + cashier.toUpperCase(), "Bearer " + cashier + " " + cashier, "Bearer \u0000" + cashier,
        "Bearer ' OR 1=1 --", "Bearer %", "Token " + admin, "Bearer " + cashier.replace('_', '-')};
    String a = pick(auth);
    String[] targets = {"/v1/receipts", "/v1/day/close", "/v1/webhooks", "/v1/day/open"};
    String path = pick(targets);
    byte[] body = (path.equals("/v1/receipts") ? BenchDevice.SALE : "{}").getBytes(StandardCharsets.UTF_8);
    return rawAuth(index, "token", "POST", path, a, key(index), body);
  }

  private Hostile idempotencyKey(int index) {
    String[] keys = {null, "", " ", "a b", "x".repeat(256), "x".repeat(100_000), "\u00e9t\u00e9", "key\u0000",
        "\t", "key\u007f", "\u202ekey", "%00", "../../", "'; DROP TABLE receipts; --"};
    String k = pick(keys);
    // a body that would be a valid sale: only the key must stop it
    return request(index, "idempotency-key", "POST", "/v1/receipts", cashier, k, "application/json",
        BenchDevice.SALE.getBytes(StandardCharsets.UTF_8), "");
  }

  private Hostile methodAndPath(int index) {
    String method = pick(METHODS.toArray(String[]::new));
    String path = pick(PATHS.toArray(String[]::new));
    String token = pick(new String[] {cashier, technician, admin, null});
    boolean mutating = !method.equals("GET") && !method.equals("HEAD");
    // a mutating request to an existing route would be a legitimate call: only cashier-forbidden ones go through
    if (mutating && token != null && !token.equals(cashier)) {
      token = cashier;
    }
    byte[] body = random.nextBoolean() ? "{\"reason\": 1}".getBytes(StandardCharsets.UTF_8) : new byte[0];
    return request(index, "method-path", method, path, token, key(index), "application/json", body, "");
  }

  /** Request framing: lying Content-Length, bad chunking, bare LF, no Host, HTTP/0.9 and garbage lines. */
  private Hostile framing(int index) {
    byte[] sale = BenchDevice.SALE.replace("\"1044.00\"", "\"1.00\"").getBytes(StandardCharsets.UTF_8);
    String head = "POST /v1/receipts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + cashier
        + "\r\nIdempotency-Key: " + key(index) + "\r\nContent-Type: application/json\r\n";
    String text = switch (random.nextInt(10)) {
      case 0 -> head + "Content-Length: " + (sale.length + 1000) + "\r\n\r\n" + new String(sale, StandardCharsets.UTF_8);
      case 1 -> head + "Content-Length: 5\r\n\r\n" + new String(sale, StandardCharsets.UTF_8);
      case 2 -> head + "Content-Length: -1\r\n\r\n" + new String(sale, StandardCharsets.UTF_8);
      case 3 -> head + "Content-Length: 99999999999999999999\r\n\r\n" + new String(sale, StandardCharsets.UTF_8);
      case 4 -> head + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n";
      case 5 -> head + "Transfer-Encoding: chunked\r\nContent-Length: 10\r\n\r\n7fffffffffffffff\r\nabc\r\n";
      case 6 -> "GET /v1/status\r\n\r\n";
      case 7 -> "\u0000\u0001\u0002 garbage \r\n\r\n";
      case 8 -> head.replace("\r\n", "\n") + "Content-Length: " + sale.length + "\n\n"
          + new String(sale, StandardCharsets.UTF_8);
      default -> "POST /v1/receipts HTTP/1.1\r\nAuthorization: Bearer " + cashier + "\r\n Folded: header\r\n"
          + "Content-Length: x\r\n\r\n";
    };
    return new Hostile(index, "framing", text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Hostile bodies for the other state-changing routes: notes, cancel, reprint, webhooks, day. */
  private Hostile other(int index) {
    String value = VALUES.get(random.nextInt(VALUES.size()));
    return switch (random.nextInt(5)) {
      case 0 -> request(index, "other-webhook", "POST", "/v1/webhooks", admin, key(index), "application/json",
          ("{\"url\": " + pick(new String[] {value, "\"file:///etc/passwd\"", "\"http://\"", "\"ftp://x\"",
              "\"http://[::1\"", "\"javascript:alert(1)\"", "\"http://" + "a".repeat(5000) + "\""})
              + ", \"events\": " + value + "}").getBytes(StandardCharsets.UTF_8), "");
      case 1 -> request(index, "other-cancel", "POST", "/v1/receipts/" + pick(new String[] {"INV-000001",
          "INV-999999", "%2e%2e", "X"}) + "/cancel", cashier, key(index), "application/json",
          ("{\"reason\": " + value + ", \"x\": 1}").getBytes(StandardCharsets.UTF_8), "");
      case 2 -> request(index, "other-reprint", "POST", "/v1/receipts/INV-999999/reprint", cashier, key(index),
          "application/json", ("{\"copies\": " + value + "}").getBytes(StandardCharsets.UTF_8), "");
      case 3 -> request(index, "other-credit-note", "POST", "/v1/receipts", cashier, key(index), "application/json",
          BenchDevice.SALE.replaceFirst("\\{", "{\"type\": \"CREDIT_NOTE\", \"reason\": " + value
              + ", \"original\": {\"receiptNumber\": " + pick(new String[] {"\"INV-999999\"", value}) + "}, ")
              .getBytes(StandardCharsets.UTF_8), "");
      default -> request(index, "other-day", "POST", pick(new String[] {"/v1/day/close", "/v1/day/open"}),
          cashier, key(index), "application/json", ("{\"x\": " + value + "}").getBytes(StandardCharsets.UTF_8), "");
    };
  }

  // ---- assembly -----------------------------------------------------------------------------------

  private String key(int index) {
    return "bad-" + index;
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private Hostile rawAuth(int index, String category, String method, String path, String authorization, String key,
      byte[] body) {
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (authorization != null) {
      head.append("Authorization: ").append(authorization).append("\r\n");
    }
    head.append("Idempotency-Key: ").append(key).append("\r\nContent-Type: application/json\r\n");
    return assemble(index, category, head, body);
  }

  private Hostile request(int index, String category, String method, String path, String token, String key,
      String contentType, byte[] body, String extraHeaders) {
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (token != null) {
      head.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    if (key != null) {
      head.append("Idempotency-Key: ").append(key).append("\r\n");
    }
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    head.append(extraHeaders);
    return assemble(index, category, head, body);
  }

  private static Hostile assemble(int index, String category, StringBuilder head, byte[] body) {
    head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    return new Hostile(index, category, out.toByteArray());
  }
}
