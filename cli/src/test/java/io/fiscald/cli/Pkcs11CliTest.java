package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.device.DeviceKeys;
import io.fiscald.store.Database;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole device on a SoftHSM2 token: init with the key generated on the token, day, receipt and
 * audit, each fiscalctl run in a child JVM whose environment points SoftHSM at this test's token
 * directory and carries the PIN.
 */
class Pkcs11CliTest {
  private static final String PIN = "4321";
  private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  @TempDir
  Path dir;
  private Path conf;
  private Path data;
  private long slot;

  @BeforeEach
  void token() throws Exception {
    boolean installed = Files.isRegularFile(LIBRARY) && Files.isExecutable(Path.of("/usr/bin/softhsm2-util"));
    if (!installed) {
      System.err.println("\n*** SKIPPED: SoftHSM2 is not installed (apt-get install softhsm2); the PKCS#11 CLI"
          + " test did not run. .ci/run installs it. ***\n");
    }
    assumeTrue(installed, "SoftHSM2 is not installed");
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    conf = dir.resolve("softhsm2.conf");
    Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    String out = exec(List.of("softhsm2-util", "--init-token", "--free", "--label", "till-1", "--pin", PIN,
        "--so-pin", "87654321"));
    Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
    assertThat(m.find()).as("slot in: %s", out).isTrue();
    slot = Long.parseLong(m.group(1));
    data = dir.resolve("shop");
  }

  @Test
  void deviceWithItsKeyOnATokenIssuesReceiptsAndPassesTheAudit() throws Exception {
    JsonNode init = run(PIN, "init", "--signer", "pkcs11", "--pkcs11-library", LIBRARY.toString(),
        "--pkcs11-slot", Long.toString(slot), "--pkcs11-key-label", "till-key").ok().json();
    assertThat(init.path("signer").path("type").asText()).isEqualTo("pkcs11");
    assertThat(init.path("signer").toString()).doesNotContain(PIN);
    String fingerprint = init.path("publicKeyFingerprint").asText();

    JsonNode keys = run(PIN, "device", "keys", "--probe").ok().json();
    assertThat(keys.path("signer").asText()).isEqualTo("pkcs11");
    JsonNode module = keys.path("module");
    assertThat(module.path("publicKeyFingerprint").asText()).as("the live token key is the registered key")
        .isEqualTo(fingerprint);
    assertThat(module.path("keyExtractable").asBoolean(true)).isFalse();
    assertThat(module.path("testSignature").asText()).startsWith("verified");
    assertThat(keys.toString()).doesNotContain(PIN);

    run(PIN, "day", "open").ok();
    JsonNode receipt = run(PIN, "receipt", "issue", "--file", Cli.example("receipt-request.json").toString())
        .ok().jsonLines().get(0);
    assertThat(receipt.toString()).contains("receipt");
    run(PIN, "day", "close").ok();
    run(PIN, "audit", "verify").ok();

    // the key lives on the token only: nothing was sealed into the secret store
    try (Connection c = Database.openReadOnly(data.resolve("fiscald.db"))) {
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(data.resolve("master.key"), Map.of())));
      assertThat(secrets.names(c)).doesNotContain(DeviceKeys.SIGNING_KEY, DeviceKeys.PKCS11_PIN);
    }
    // and the journal's first entry carries the token's public key (checked by the audit against every signature)
    Path export = dir.resolve("journal.jsonl");
    run(PIN, "journal", "export", "--out", export.toString()).ok();
    String first = Files.readAllLines(export).get(1);
    assertThat(first).contains("DEVICE_INITIALISED").contains("pkcs11").contains("till-key");
  }

  @Test
  void missingOrWrongPinIsASignerErrorAndNothingIsRecorded() throws Exception {
    run(PIN, "init", "--signer", "pkcs11", "--pkcs11-library", LIBRARY.toString(),
        "--pkcs11-slot", Long.toString(slot)).ok();

    JsonNode missing = run(null, "day", "open").error(1, "SIGNER_PIN_INVALID");
    assertThat(missing.path("message").asText()).contains("FISCALD_PKCS11_PIN");
    JsonNode wrong = run("0000", "day", "open").error(1, "SIGNER_PIN_INVALID");
    assertThat(wrong.path("message").asText()).contains("refused the PIN").doesNotContain("0000");

    JsonNode status = run(PIN, "status").ok().json();
    assertThat(status.path("journalHeadSeq").asLong()).as("only DEVICE_INITIALISED").isEqualTo(1);
  }

  @Test
  void sealedPinLetsTheAgentStartWithoutTheVariable() throws Exception {
    run(PIN, "init", "--signer", "pkcs11", "--pkcs11-library", LIBRARY.toString(),
        "--pkcs11-slot", Long.toString(slot), "--pkcs11-store-pin").ok();

    run(null, "day", "open").ok();
    run(null, "audit", "verify").ok();
  }

  @Test
  void unknownSlotIsNamed() throws Exception {
    JsonNode error = run(PIN, "init", "--signer", "pkcs11", "--pkcs11-library", LIBRARY.toString(),
        "--pkcs11-slot", "99").error(1, "SIGNER_UNAVAILABLE");

    assertThat(error.path("message").asText()).contains("slot 99");
    assertThat(error.path("details").path("library").asText()).isEqualTo(LIBRARY.toString());
  }

  /** fiscalctl --json in a child JVM with SOFTHSM2_CONF set and the PIN in FISCALD_PKCS11_PIN (null: unset). */
  private Cli.Result run(String pin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--data-dir", data.toString(), "--json"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("FISCALD_MASTER_KEY");
    pb.environment().remove("FISCALD_PKCS11_PIN");
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    if (pin != null) {
      pb.environment().put("FISCALD_PKCS11_PIN", pin);
    }
    Path err = Files.createTempFile(dir, "stderr", ".log");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] stdout;
    try (InputStream in = p.getInputStream()) {
      stdout = in.readAllBytes();
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Cli.Result(p.exitValue(), new String(stdout, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private String exec(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
