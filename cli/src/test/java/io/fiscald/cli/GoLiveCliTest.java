package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fiscalctl golive-check} on a sandbox ZIMRA device registered with the FDMS simulator (HTTPS,
 * mutual TLS): a day of synced receipts passes every step; too few receipts and a day left open fail.
 */
class GoLiveCliTest {
  static final int DEVICE = 30211;

  @TempDir Path tmp;
  FdmsSimulator sim;
  Path data;

  @BeforeEach
  void start() throws Exception {
    sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(Clock.system(ZoneId.of("Africa/Harare")))
        .closeDelay(Duration.ofMillis(50)).build());
    sim.addDevice(FdmsDevice.builder(DEVICE, "SN-GL-1", "ABC12345").build());
    data = tmp.resolve("till");
    Path ca = tmp.resolve("fdms-ca.pem");
    Files.writeString(ca, sim.caCertificatePem());
    Cli.runWithKeyFile(tmp.resolve("register"), "--data-dir", data.toString(), "device", "register", "--authority",
        "zimra", "--device-id", Integer.toString(DEVICE), "--serial", "SN-GL-1", "--activation-key", "ABC12345",
        "--env", "sandbox", "--url", sim.baseUrl(), "--ca-cert", ca.toString()).ok();
    Cli.run("--data-dir", data.toString(), "day", "open").ok();
    Path sale = tmp.resolve("sale.json");
    Files.writeString(sale, """
        {"currency": "USD", "lines": [{"name": "Bread 700g", "quantity": "1", "unitPrice": "1.20", "taxCode": "2",
          "hsCode": "19059000"}], "payments": [{"method": "CASH", "amount": "1.20"}]}""");
    Cli.run("--data-dir", data.toString(), "receipt", "issue", "--file", sale.toString(), "--repeat", "3").ok();
    Cli.run("--data-dir", data.toString(), "sync", "--once").ok();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  static Map<String, JsonNode> steps(JsonNode doc) {
    Map<String, JsonNode> steps = new LinkedHashMap<>();
    doc.path("steps").forEach(s -> steps.put(s.path("name").asText(), s));
    return steps;
  }

  @Test
  void aSyncedTestDayPassesEveryStepAndTheDayIsClosed() {
    Cli.Result r = Cli.runWithKeyFile(tmp.resolve("check"), "--data-dir", data.toString(), "golive-check",
        "--min-receipts", "3", "--json").ok();
    JsonNode doc = r.json();
    assertThat(doc.path("passed").asBoolean()).as(doc.toPrettyString()).isTrue();
    Map<String, JsonNode> steps = steps(doc);
    assertThat(steps.keySet()).containsExactly("environment", "day-closed", "receipts-accepted", "certificate",
        "clock", "audit", "config-production", "backup-restores");
    assertThat(steps.values()).allSatisfy(s -> assertThat(s.path("passed").asBoolean()).as(s.toString()).isTrue());
    assertThat(steps.get("day-closed").path("detail").asText()).contains("closed day 1 now");
    assertThat(steps.get("receipts-accepted").path("detail").asText()).startsWith("3 receipt(s) accepted");
    assertThat(steps.get("clock").path("detail").asText()).contains("tolerance 120 s");
    assertThat(steps.get("backup-restores").path("detail").asText()).contains("restored into a scratch directory");
    JsonNode day = Cli.run("--data-dir", data.toString(), "day", "status", "--json").ok().json();
    assertThat(day.toString()).contains("CLOSED");
    // the text form lists each step with PASS
    Cli.Result text = Cli.runWithKeyFile(tmp.resolve("text"), "--data-dir", data.toString(), "golive-check",
        "--min-receipts", "3");
    assertThat(text.stdout()).contains("PASS  clock").contains("All steps passed");
  }

  @Test
  void tooFewReceiptsAndADayLeftOpenFailWithTheirReasons() {
    Cli.Result r = Cli.runWithKeyFile(tmp.resolve("check"), "--data-dir", data.toString(), "golive-check",
        "--min-receipts", "10", "--skip-close", "--json").exits(1);
    JsonNode doc = r.json();
    assertThat(doc.path("passed").asBoolean()).isFalse();
    Map<String, JsonNode> steps = steps(doc);
    assertThat(steps.get("day-closed").path("passed").asBoolean()).isFalse();
    assertThat(steps.get("day-closed").path("detail").asText()).contains("is open (--skip-close)");
    assertThat(steps.get("receipts-accepted").path("passed").asBoolean()).isFalse();
    assertThat(steps.get("receipts-accepted").path("detail").asText()).contains("3 receipt(s)")
        .contains("at least 10");
    assertThat(steps.get("audit").path("passed").asBoolean()).isTrue();
    assertThat(steps.get("certificate").path("passed").asBoolean()).isTrue();
    Cli.Result text = Cli.runWithKeyFile(tmp.resolve("text"), "--data-dir", data.toString(), "golive-check",
        "--min-receipts", "10", "--skip-close").exits(1);
    assertThat(text.stdout()).contains("FAIL  day-closed").contains("Not ready");
  }

  @Test
  void aBrokenConfigurationFailsTheProductionConfigStep() throws Exception {
    Path secret = tmp.resolve("webhook.secret");
    Files.writeString(secret, "0123456789abcdef0123456789abcdef0123456789\n");
    Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.writeString(data.resolve("fiscald.conf"), "api.listen = 0.0.0.0:8719\napi.allow-remote = true\n"
        + "webhook.secret-file = " + secret + "\n");
    JsonNode doc = Cli.runWithKeyFile(tmp.resolve("check"), "--data-dir", data.toString(), "golive-check",
        "--min-receipts", "3", "--json").exits(1).json();
    JsonNode config = steps(doc).get("config-production");
    assertThat(config.path("passed").asBoolean()).isFalse();
    assertThat(config.path("detail").asText()).contains("webhook.secret-file").contains("chmod 600 " + secret);
  }
}
