package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is refused with exit code 2, the one error shape and a stable code, and changes nothing:
 * the journal head and the receipt count are the same before and after.
 */
class BadInputCliTest {
  @TempDir Path tmp;

  private Path data;

  private Path openShopWithOneInvoice() {
    data = tmp.resolve("shop");
    Cli.run("--data-dir", data.toString(), "init").ok();
    Cli.run("--data-dir", data.toString(), "day", "open").ok();
    Cli.run("--data-dir", data.toString(), "receipt", "issue", "--file",
        Cli.example("receipt-request.json").toString()).ok();
    return data;
  }

  private Path request(String name, String json) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, json);
    return f;
  }

  private static String sale(String quantity, String taxCode, String paid) {
    return """
        {"currency": "KES", "lines": [{"name": "Sugar 1kg", "quantity": "%s", "unitPrice": "522.00", "taxCode": "%s"}],
         "payments": [{"method": "CASH", "amount": "%s"}]}""".formatted(quantity, taxCode, paid);
  }

  /**
   * Runs {@code args} on the data directory with and without --json: both refused with {@code exit}
   * and {@code code}, in the documented shape, and the device's journal and receipts unchanged.
   */
  private JsonNode refused(int exit, String code, String... args) {
    long[] before = Cli.headAndReceipts(data);

    Cli.Result json = Cli.run(withGlobals(true, args));
    JsonNode error = json.error(exit, code);
    assertThat(json.stderr()).as("stderr with --json").doesNotContain("Exception");

    Cli.Result text = Cli.run(withGlobals(false, args)).exits(exit);
    assertThat(text.stdout()).as("stdout without --json").isEmpty();
    assertThat(text.stderr()).startsWith("error: ").contains("[" + code + "]");
    if (!code.equals("INVALID_ARGUMENT")) { // picocli's message names an argument index, which --json shifts
      assertThat(text.stderr()).contains("error: " + error.path("message").asText() + " [" + code + "]");
    }

    assertThat(Cli.headAndReceipts(data)).as("journal head and receipts after %s", code).containsExactly(before);
    return error;
  }

  private String[] withGlobals(boolean json, String... args) {
    List<String> all = new ArrayList<>(List.of("--data-dir", data.toString()));
    if (json) {
      all.add("--json");
    }
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  private JsonNode refusedReceipt(String code, Path file) {
    return refused(2, code, "receipt", "issue", "--file", file.toString());
  }

  @Test
  void malformedJson() throws IOException {
    openShopWithOneInvoice();
    refusedReceipt("MALFORMED_JSON", request("broken.json", "{\"currency\": \"KES\", \"lines\": ["));
    refusedReceipt("MALFORMED_JSON", request("trailing.json", sale("1", "B", "522.00") + " {}"));
    refusedReceipt("MALFORMED_JSON", request("dup.json",
        "{\"currency\": \"KES\", \"currency\": \"USD\", \"lines\": [], \"payments\": []}"));
  }

  @Test
  void unknownFieldIsNamed() throws IOException {
    openShopWithOneInvoice();
    JsonNode error = refusedReceipt("INVALID_FIELD", request("unknown.json", """
        {"currency": "KES", "lines": [{"name": "Sugar 1kg", "quantity": "1", "unitPrice": "522.00", "taxCode": "B",
         "colour": "red"}], "payments": [{"method": "CASH", "amount": "522.00"}]}"""));
    assertThat(error.path("details").path("field").asText()).isEqualTo("lines[0].colour");
  }

  @Test
  void badQuantities() throws IOException {
    openShopWithOneInvoice();
    for (String q : List.of("-2", "0", "1e9", "99999999", "1.0001")) {
      JsonNode error = refusedReceipt("INVALID_QUANTITY", request("q.json", sale(q, "B", "999999999.00")));
      assertThat(error.path("details").path("field").asText()).as("quantity %s", q).isEqualTo("lines[0].quantity");
    }
  }

  @Test
  void unknownTaxCodeAndShortPayment() throws IOException {
    openShopWithOneInvoice();
    JsonNode tax = refusedReceipt("UNKNOWN_TAX_CODE", request("z.json", sale("1", "Z", "522.00")));
    assertThat(tax.path("message").asText()).contains("Z");
    refusedReceipt("PAYMENTS_DO_NOT_COVER_TOTAL", request("short.json", sale("2", "B", "1043.99")));
  }

  @Test
  void creditNoteLargerThanItsOriginal() throws IOException {
    openShopWithOneInvoice(); // INV-000001: 2 x Sugar 1kg at 522.00
    refusedReceipt("CREDIT_EXCEEDS_ORIGINAL", request("credit.json", """
        {"type": "CREDIT_NOTE", "currency": "KES",
         "lines": [{"name": "Sugar 1kg", "quantity": "3", "unitPrice": "522.00", "taxCode": "B"}],
         "payments": [{"method": "CASH", "amount": "1566.00"}],
         "original": {"receiptNumber": "INV-000001"}, "reason": "returned"}"""));
    // and the whole invoice can still be credited: the refusal reserved nothing
    Cli.run("--data-dir", data.toString(), "receipt", "issue", "--file", request("credit-ok.json", """
        {"type": "CREDIT_NOTE", "currency": "KES",
         "lines": [{"name": "Sugar 1kg", "quantity": "2", "unitPrice": "522.00", "taxCode": "B"}],
         "payments": [{"method": "CASH", "amount": "1044.00"}],
         "original": {"receiptNumber": "INV-000001"}, "reason": "returned"}""").toString()).ok();
  }

  @Test
  void receiptWhileNoDayIsOpen() throws IOException {
    openShopWithOneInvoice();
    Cli.run("--data-dir", data.toString(), "day", "close").ok();
    refusedReceipt("DAY_NOT_OPEN", Cli.example("receipt-request.json"));
    refused(2, "DAY_NOT_OPEN", "day", "close");
    refused(2, "DAY_NOT_OPEN", "day", "x-report");
  }

  @Test
  void missingFileAndUnknownOption() {
    openShopWithOneInvoice();
    JsonNode missing = refusedReceipt("FILE_NOT_FOUND", tmp.resolve("no-such-request.json"));
    assertThat(missing.path("message").asText()).contains("no-such-request.json");
    refused(2, "FILE_NOT_FOUND", "journal", "verify", tmp.resolve("no-such-export.jsonl").toString());
    refused(2, "INVALID_ARGUMENT", "receipt", "issue", "--file", Cli.example("receipt-request.json").toString(),
        "--bogus");
    refused(2, "INVALID_ARGUMENT", "receipt", "issue", "--file", Cli.example("receipt-request.json").toString(),
        "--repeat", "0");
    refused(2, "INVALID_ARGUMENT", "receipt", "issue", "--file", Cli.example("receipt-request.json").toString(),
        "--repeat", "many");
    refused(2, "INVALID_ARGUMENT", "no-such-command");
  }

  @Test
  void initTwice() {
    openShopWithOneInvoice();
    String deviceId = Cli.run("--data-dir", data.toString(), "status", "--json").ok().json().path("deviceId").asText();
    JsonNode error = refused(2, "DEVICE_ALREADY_INITIALISED", "init");
    assertThat(error.path("details").path("deviceId").asText()).isEqualTo(deviceId);
    refused(2, "DEVICE_ALREADY_INITIALISED", "init", "--device-id", "OTHER-1");
    assertThat(Cli.run("--data-dir", data.toString(), "status", "--json").ok().json().path("deviceId").asText())
        .isEqualTo(deviceId);
  }

  @Test
  void commandsOnAnEmptyDataDirectory() throws IOException {
    data = tmp.resolve("empty");
    Files.createDirectories(data);
    List<List<String>> commands = List.of(
        List.of("status"),
        List.of("day", "open"),
        List.of("day", "close"),
        List.of("day", "status"),
        List.of("day", "x-report"),
        List.of("receipt", "issue", "--file", Cli.example("receipt-request.json").toString()),
        List.of("receipt", "show", "INV-000001"),
        List.of("audit", "verify"),
        List.of("journal", "export", "--out", tmp.resolve("j.jsonl").toString()),
        List.of("backup", "--output-dir", tmp.resolve("backups").toString()));
    for (List<String> command : commands) {
      Cli.Result json = Cli.run(withGlobals(true, command.toArray(String[]::new)));
      assertThat(json.exitCode()).as("%s: %s", command, json.stdout()).isEqualTo(2);
      JsonNode error = json.error(2, "DEVICE_NOT_INITIALISED");
      assertThat(error.path("message").asText()).as("%s", command).contains("fiscalctl init");
      Cli.Result text = Cli.run(withGlobals(false, command.toArray(String[]::new))).exits(2);
      assertThat(text.stdout()).isEmpty();
      assertThat(text.stderr()).contains("[DEVICE_NOT_INITIALISED]");
    }
    try (Stream<Path> left = Files.list(data)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("nothing created in the empty data directory")
          .doesNotContain("fiscald.db", "master.key");
    }
    assertThat(tmp.resolve("j.jsonl")).doesNotExist();
  }
}
