package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fiscalctl demo --authority kra} and the offline payload inspector. */
class KraCliTest {
  @TempDir
  Path tmp;

  @Test
  void kraDemoSignsEveryReceiptIncludingTheCreditNote() {
    Path data = tmp.resolve("shop");
    JsonNode summary = Cli.run("demo", "--authority", "kra", "--json", "--data-dir", data.toString()).ok().json();
    assertThat(summary.get("authority").asText()).isEqualTo("kra");
    assertThat(summary.get("synced").asInt()).isEqualTo(summary.get("receipts").asInt()).isEqualTo(5);
    assertThat(summary.get("auditOk").asBoolean()).isTrue();
    assertThat(summary.get("simulatorInvoices").toString()).isEqualTo("[1,2,3,4,5]");
    JsonNode credit = summary.get("scuReceipts").get(4);
    assertThat(credit.get("type").asText()).isEqualTo("CREDIT_NOTE");
    assertThat(credit.get("invcNo").asLong()).isEqualTo(5);
    assertThat(credit.get("cuInvoiceNo").asText()).startsWith(summary.get("sdcId").asText() + "/");
    Cli.Result items = Cli.run("--data-dir", data.toString(), "kra", "items").ok();
    assertThat(items.stdout()).contains("KE2NTNO0000001").contains("Sugar 1kg");
  }

  @Test
  void salePayloadOfflineWithRates() throws Exception {
    Path request = tmp.resolve("sale.json");
    Files.writeString(request, "{\"currency\":\"KES\",\"lines\":[{\"name\":\"Soap\",\"quantity\":\"1\",\"unitPrice\":"
        + "\"100.00\",\"taxCode\":\"B\"}],\"payments\":[{\"method\":\"CASH\",\"amount\":\"100.00\"}]}");
    JsonNode p = Cli.run("--data-dir", tmp.resolve("none").toString(), "kra", "sale-payload", "--input",
        request.toString(), "--rates", "A=0,B=16,C=0,D=0,E=0", "--json").ok().json();
    assertThat(p.get("invcNo").isIntegralNumber()).isTrue();
    assertThat(p.get("itemList").get(0).get("taxblAmt").decimalValue()).isEqualByComparingTo("86.21");
    assertThat(p.get("taxRtE").decimalValue()).isEqualByComparingTo("0");
    assertThat(p.has("cmcKey")).isFalse();
    Cli.run("--data-dir", tmp.resolve("none").toString(), "--json", "kra", "sale-payload", "--input",
        request.toString()).error(2, "INVALID_ARGUMENT");
  }
}
