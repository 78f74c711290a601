package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code receipt issue} with the documented example requests, and {@code receipt show}. */
class ReceiptCliTest {
  @TempDir Path tmp;

  private String dir;

  private Cli.Result cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--data-dir";
    all[1] = dir;
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all);
  }

  private void openShop() {
    dir = tmp.resolve("shop").toString();
    cli("init").ok();
    cli("day", "open").ok();
  }

  @Test
  void issuesTheDocumentedExampleAndEveryExampleFile() throws IOException {
    openShop();
    Cli.Result first = cli("receipt", "issue", "--file", Cli.example("receipt-request.json").toString()).ok();
    List<JsonNode> lines = first.jsonLines();
    assertThat(lines).hasSize(1);
    assertThat(first.stdout().strip().lines()).hasSize(1);
    JsonNode r = lines.get(0);
    assertThat(r.path("receiptNumber").asText()).isEqualTo("INV-000001");
    assertThat(r.path("total").asText()).isEqualTo("1044.00");
    assertThat(r.path("type").asText()).isEqualTo("INVOICE");
    assertThat(r.path("hash").asText()).hasSize(64);

    List<Path> examples;
    try (Stream<Path> files = Files.list(Cli.repoRoot().resolve("docs").resolve("examples"))) {
      examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
    long receipts = 1;
    for (Path example : examples) {
      Cli.Result issued = cli("--json", "receipt", "issue", "--file", example.toString());
      assertThat(issued.exitCode()).as("%s accepted: %s", example.getFileName(), issued.stdout()).isZero();
      JsonNode line = issued.jsonLines().get(0);
      String expectedPrefix = example.getFileName().toString().contains("credit") ? "CRN-" : "INV-";
      assertThat(line.path("receiptNumber").asText()).as("%s", example.getFileName()).startsWith(expectedPrefix);
      receipts++;
    }
    assertThat(Cli.headAndReceipts(tmp.resolve("shop"))[1]).isEqualTo(receipts);
    assertThat(cli("audit", "verify", "--json").ok().json().path("ok").asBoolean()).isTrue();
  }

  @Test
  void repeatPrintsOneLinePerCommittedReceipt() {
    openShop();
    Cli.Result many = cli("receipt", "issue", "--file", Cli.example("receipt-request.json").toString(),
        "--repeat", "25", "--concurrency", "8").ok();
    assertThat(many.stdout().strip().lines()).hasSize(25);
    List<JsonNode> lines = many.jsonLines();
    assertThat(lines).hasSize(25);
    Set<String> numbers = new HashSet<>();
    Set<Long> seqs = new HashSet<>();
    for (JsonNode line : lines) {
      numbers.add(line.path("receiptNumber").asText());
      seqs.add(line.path("journalSeq").asLong());
    }
    assertThat(numbers).hasSize(25).allMatch(n -> n.startsWith("INV-"));
    assertThat(seqs).hasSize(25);
    assertThat(Cli.headAndReceipts(tmp.resolve("shop"))[1]).isEqualTo(25);
    // the summary is for people: standard error
    assertThat(many.stderr()).contains("issued 25 receipts");
  }

  @Test
  void showsAReceiptAsJsonAndAsPrintedText() {
    openShop();
    cli("receipt", "issue", "--file", Cli.example("receipt-request.json").toString()).ok();

    JsonNode shown = cli("receipt", "show", "INV-000001", "--json").ok().json();
    assertThat(shown.path("receipt").path("receiptNumber").asText()).isEqualTo("INV-000001");
    assertThat(shown.path("printState").asText()).isEqualTo("PENDING");
    assertThat(shown.path("hash").asText()).hasSize(64);
    assertThat(shown.path("journalSeq").asLong()).isPositive();

    Cli.Result text = cli("receipt", "show", "INV-000001", "--text").ok();
    assertThat(text.stdout()).contains("TOTAL KES").contains("INV-000001");
    List<String> printed = text.stdout().lines().toList();
    assertThat(printed).hasSizeGreaterThan(10);
    assertThat(printed).allSatisfy(l -> assertThat(l.length()).as("line '%s'", l).isLessThanOrEqualTo(48));
    assertThat(printed).anySatisfy(l -> assertThat(l.length()).isEqualTo(48));

    JsonNode missing = cli("receipt", "show", "NOPE-1", "--json").error(2, "RECEIPT_NOT_FOUND");
    assertThat(missing.path("message").asText()).contains("NOPE-1");
    Cli.Result missingText = cli("receipt", "show", "NOPE-1").exits(2);
    assertThat(missingText.stdout()).isEmpty();
    assertThat(missingText.stderr()).contains("[RECEIPT_NOT_FOUND]");
  }
}
