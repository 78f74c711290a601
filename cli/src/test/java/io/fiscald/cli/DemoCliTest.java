package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fiscalctl demo}: the whole trading day, its JSON summary and what it leaves behind. */
class DemoCliTest {
  @TempDir Path tmp;

  @Test
  void theDefaultDemoSyncsEveryReceiptToTheEmbeddedFdmsAndClosesTheDayThere() {
    Path data = tmp.resolve("zimra-shop");
    Cli.Result demo = Cli.run("demo", "--json", "--data-dir", data.toString()).ok();

    JsonNode summary = demo.json();
    assertThat(summary.path("authority").asText()).isEqualTo("zimra");
    assertThat(summary.path("receipts").asInt()).isEqualTo(7);
    assertThat(summary.path("receiptNumbers")).hasSize(7);
    assertThat(summary.path("receiptNumbers").get(5).asText()).isEqualTo("30199-CRN-000001");
    assertThat(summary.path("synced").asInt()).isEqualTo(7);
    assertThat(summary.path("pending").asInt()).isZero();
    assertThat(summary.path("rejected").asInt()).isZero();
    // what FDMS (the simulator) holds, not what the till believes
    assertThat(summary.path("serverReceiptGlobalNos").toString()).isEqualTo("[1,2,3,4,5,6,7]");
    assertThat(summary.path("serverValidationErrors").asInt()).isZero();
    assertThat(summary.path("serverDayStatus").asText()).isEqualTo("FiscalDayClosed");
    assertThat(summary.path("closedDayOnServer").asInt()).isEqualTo(1);
    assertThat(summary.path("currency").asText()).isEqualTo("USD");
    assertThat(summary.path("dayClosed").asBoolean()).isTrue();
    assertThat(summary.path("auditOk").asBoolean()).isTrue();
    assertThat(summary.path("printed").asInt()).isEqualTo(7);
    // a VAT payer's invoice is a FISCAL TAX INVOICE, headed by the taxpayer data from getConfig (sheet §13)
    assertThat(demo.stderr()).contains("FISCAL TAX INVOICE").contains("CREDIT NOTE").contains("Z REPORT")
        .contains("Verification code: ").contains("fiscalDayStatus      FiscalDayClosed")
        .contains("VAT No: 220012345").contains("CREDITED INVOICE").contains("DEBITED INVOICE");
    assertThat(demo.stdout()).doesNotContain("FISCAL TAX INVOICE");

    JsonNode status = Cli.run("--data-dir", data.toString(), "status", "--json").ok().json();
    assertThat(status.path("day").path("status").asText()).isEqualTo("CLOSED");
    assertThat(status.path("receipts").asLong()).isEqualTo(7);
    // receipt show --text prints the Receipt48 header from the stored getConfig
    String shown = Cli.run("--data-dir", data.toString(), "receipt", "show", "30199-CRN-000001", "--text").ok()
        .stdout();
    assertThat(shown).contains("TIN: 2000123456", "VAT No: 220012345", "CREDIT NOTE", "CREDITED INVOICE",
        "Invoice No: 6/6", "Device ID: 30199", "Verification code: ");
    JsonNode audit = Cli.run("--data-dir", data.toString(), "audit", "verify", "--json").ok().json();
    assertThat(audit.path("ok").asBoolean()).isTrue();
    assertThat(audit.path("receipts").asLong()).isEqualTo(7);

    // the embedded FDMS starts empty each run: a second run in the same directory is refused, not half-done
    Cli.Result again = Cli.run("demo", "--json", "--data-dir", data.toString());
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.stdout() + again.stderr()).contains("fresh data directory");
  }

  @Test
  void demoJsonPrintsOneSummaryAndLeavesAClosedAuditedDay() {
    Path data = tmp.resolve("shop");
    Cli.Result demo = Cli.run("demo", "--authority", "local", "--json", "--data-dir", data.toString()).ok();

    JsonNode summary = demo.json();
    assertThat(summary.isObject()).isTrue();
    assertThat(summary.path("receipts").asInt()).isEqualTo(7);
    assertThat(summary.path("receiptNumbers")).hasSize(7);
    assertThat(summary.path("dayClosed").asBoolean()).isTrue();
    assertThat(summary.path("auditOk").asBoolean()).isTrue();
    assertThat(summary.path("authority").asText()).isEqualTo("local");
    assertThat(summary.path("dataDir").asText()).isEqualTo(data.toAbsolutePath().normalize().toString());
    // the receipts and the Z report are for people: standard error, never mixed into the JSON
    assertThat(demo.stderr()).contains("FISCAL INVOICE").contains("Z REPORT");
    assertThat(demo.stdout()).doesNotContain("FISCAL INVOICE").doesNotContain("Z REPORT");

    JsonNode status = Cli.run("--data-dir", data.toString(), "status", "--json").ok().json();
    assertThat(status.path("day").path("status").asText()).isEqualTo("CLOSED");
    assertThat(status.path("receipts").asLong()).isEqualTo(7);
    assertThat(status.path("deviceId").asText()).isEqualTo(summary.path("deviceId").asText());

    JsonNode audit = Cli.run("--data-dir", data.toString(), "audit", "verify", "--json").ok().json();
    assertThat(audit.path("ok").asBoolean()).isTrue();
    assertThat(audit.path("receipts").asLong()).isEqualTo(7);
    assertThat(audit.path("entries").asLong()).isEqualTo(summary.path("journalEntries").asLong());
  }

  @Test
  void demoWithoutJsonTellsTheStoryOnStandardOutput() {
    Cli.Result demo = Cli.run("demo", "--authority", "local", "--data-dir", tmp.resolve("shop").toString()).ok();
    assertThat(demo.stdout()).contains("FISCAL INVOICE").contains("CREDIT NOTE").contains("Z REPORT")
        .contains("audit passed");
    assertThat(demo.stdout().trim()).doesNotStartWith("{");
  }
}
