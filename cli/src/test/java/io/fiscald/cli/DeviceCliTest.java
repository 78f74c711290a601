package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fiscalctl init} and the master key file. Where the key file itself is under test and
 * FISCALD_MASTER_KEY is set in this JVM, fiscalctl runs in a child JVM that never sees it.
 */
class DeviceCliTest {
  @TempDir Path tmp;

  private int children;

  private Cli.Result child(String... args) {
    return Cli.runWithKeyFile(tmp.resolve("child-" + (++children)), args);
  }

  @Test
  void initCreatesASandboxDeviceAndAPrivateKeyFile() throws IOException {
    Path data = tmp.resolve("shop");
    JsonNode init = child("--data-dir", data.toString(), "init", "--json").ok().json();
    assertThat(init.path("deviceId").asText()).startsWith("FD-");
    assertThat(init.path("environment").asText()).isEqualTo("sandbox");
    assertThat(init.path("keyAlgorithm").asText()).isEqualTo("EC_P256");
    assertThat(init.path("authority").asText()).isEqualTo("local");

    Path key = data.resolve("master.key");
    assertThat(key).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    String keyText = Files.readString(key, StandardCharsets.US_ASCII).strip();
    assertThat(Base64.getDecoder().decode(keyText)).hasSize(32);

    JsonNode status = Cli.run("--data-dir", data.toString(), "status", "--json").ok().json();
    assertThat(status.path("deviceId").asText()).isEqualTo(init.path("deviceId").asText());
    assertThat(status.path("journalHeadSeq").asLong()).isEqualTo(1);
    assertThat(status.path("day").path("status").asText()).isEqualTo("NONE");
  }

  @Test
  void initWithOptionsMakesAWorkingProductionRsaDevice() {
    String data = tmp.resolve("shop7").toString();
    JsonNode init = Cli.run("--data-dir", data, "init", "--key", "RSA_2048", "--device-id", "SHOP-7",
        "--env", "production", "--json").ok().json();
    assertThat(init.path("deviceId").asText()).isEqualTo("SHOP-7");
    assertThat(init.path("environment").asText()).isEqualTo("production");
    assertThat(init.path("keyAlgorithm").asText()).isEqualTo("RSA_2048");

    Cli.run("--data-dir", data, "day", "open").ok();
    JsonNode receipt = Cli.run("--data-dir", data, "receipt", "issue", "--file",
        Cli.example("receipt-request.json").toString()).ok().jsonLines().get(0);
    assertThat(receipt.path("deviceId").asText()).isEqualTo("SHOP-7");
    JsonNode audit = Cli.run("--data-dir", data, "audit", "verify", "--json").ok().json();
    assertThat(audit.path("ok").asBoolean()).isTrue();
    assertThat(audit.path("receipts").asLong()).isEqualTo(1);
    JsonNode status = Cli.run("--data-dir", data, "status", "--json").ok().json();
    assertThat(status.path("environment").asText()).isEqualTo("production");
    assertThat(status.path("keyAlgorithm").asText()).isEqualTo("RSA_2048");
  }

  @Test
  void anUnknownEnvironmentIsRefusedAndCreatesNothing() throws IOException {
    Path data = tmp.resolve("staging");
    JsonNode error = Cli.run("--data-dir", data.toString(), "--json", "init", "--env", "staging")
        .error(2, "INVALID_ARGUMENT");
    assertThat(error.path("message").asText()).contains("staging");
    Cli.Result text = Cli.run("--data-dir", data.toString(), "init", "--env", "staging").exits(2);
    assertThat(text.stdout()).isEmpty();
    assertThat(text.stderr()).contains("[INVALID_ARGUMENT]");
    assertThat(data.resolve("fiscald.db")).doesNotExist();
    assertThat(data.resolve("master.key")).doesNotExist();
    Cli.run("--data-dir", data.toString(), "--json", "init", "--key", "DSA").error(2, "INVALID_ARGUMENT");
    // the directory is still free for a proper device
    Cli.run("--data-dir", data.toString(), "init", "--env", "production").ok();
  }

  @Test
  void aWrongOrExposedMasterKeyStopsTheDeviceWithoutRevealingAnyKey() throws IOException {
    Path data = tmp.resolve("shop");
    String dir = data.toString();
    child("--data-dir", dir, "init").ok();
    Path keyFile = data.resolve("master.key");
    String original = Files.readString(keyFile, StandardCharsets.US_ASCII);

    // world-readable: refused before the key is even used
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    JsonNode exposed = child("--data-dir", dir, "--json", "day", "open").error(1, "MASTER_KEY_INVALID");
    assertThat(exposed.path("message").asText()).contains("chmod 600");
    Cli.Result exposedText = child("--data-dir", dir, "day", "open").exits(1);
    assertThat(exposedText.stdout()).isEmpty();
    assertThat(exposedText.stderr()).contains("[MASTER_KEY_INVALID]").contains("chmod 600");
    assertNoKeyIn(exposedText, original);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

    // another valid key, private as it should be: the sealed device key does not open
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    String otherText = Base64.getEncoder().encodeToString(other) + "\n";
    Files.writeString(keyFile, otherText, StandardCharsets.US_ASCII);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    long[] before = Cli.headAndReceipts(data);

    Cli.Result wrong = child("--data-dir", dir, "--json", "day", "open");
    wrong.error(1, "MASTER_KEY_INVALID");
    assertNoKeyIn(wrong, original);
    assertNoKeyIn(wrong, otherText);
    Cli.Result wrongText = child("--data-dir", dir, "day", "open").exits(1);
    assertThat(wrongText.stdout()).isEmpty();
    assertThat(wrongText.stderr()).startsWith("error: ").contains("[MASTER_KEY_INVALID]");
    assertNoKeyIn(wrongText, original);
    assertNoKeyIn(wrongText, otherText);
    assertThat(Cli.headAndReceipts(data)).containsExactly(before);

    // the original key back: the device works again, so it was the key that was refused
    Files.writeString(keyFile, original, StandardCharsets.US_ASCII);
    JsonNode day = child("--data-dir", dir, "--json", "day", "open").ok().json();
    assertThat(day.path("status").asText()).isEqualTo("OPEN");
  }

  private static void assertNoKeyIn(Cli.Result result, String keyFileContent) {
    String key = keyFileContent.strip();
    assertThat(key).hasSizeGreaterThan(40);
    assertThat(result.stdout()).doesNotContain(key).doesNotContain(key.substring(0, 16));
    assertThat(result.stderr()).doesNotContain(key).doesNotContain(key.substring(0, 16));
  }
}
