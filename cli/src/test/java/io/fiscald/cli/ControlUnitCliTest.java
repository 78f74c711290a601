package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.sim.controlunit.SocatPtyPair;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device whose key is a control unit's: the emulator runs as {@code fiscalctl sim control-unit} in
 * its own process on a socat pseudo-terminal pair, and fiscalctl talks to it over the pty.
 */
class ControlUnitCliTest {
  @TempDir
  Path dir;
  private Process emulator;
  private Path port;
  private String unitFingerprint;

  @BeforeEach
  void startEmulator() throws Exception {
    if (!SocatPtyPair.available()) {
      System.err.println("\n*** SKIPPED: socat is not installed (apt-get install socat); the control-unit CLI"
          + " test did not run. .ci/run installs it. ***\n");
    }
    assumeTrue(SocatPtyPair.available(), "socat is not installed");
    port = dir.resolve("cu");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--json", "sim", "control-unit", "--pty", port.toString(),
        "--key-file", dir.resolve("cu.key").toString(), "--noise", "1", "--nak", "1");
    pb.redirectError(dir.resolve("emulator-stderr.log").toFile());
    emulator = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
    String ready = out.readLine(); // printed once the pty pair exists and the unit listens
    assertThat(ready).as("emulator started; stderr: %s", Files.readString(dir.resolve("emulator-stderr.log")))
        .isNotNull();
    unitFingerprint = Cli.JSON.readTree(ready).path("publicKeyFingerprint").asText();
  }

  @AfterEach
  void stopEmulator() throws Exception {
    if (emulator != null) {
      emulator.destroy();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroyForcibly();
      }
    }
  }

  private Cli.Result cli(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--data-dir";
    all[1] = dir.resolve("shop").toString();
    all[2] = "--json";
    System.arraycopy(args, 0, all, 3, args.length);
    return Cli.run(all);
  }

  @Test
  void deviceSignedByTheControlUnitIssuesReceiptsAndPassesTheAudit() throws Exception {
    JsonNode init = cli("init", "--signer", "control-unit", "--control-unit-port", port.toString()).ok().json();
    assertThat(init.path("publicKeyFingerprint").asText()).as("the journal records the unit's key")
        .isEqualTo(unitFingerprint);
    assertThat(init.path("signer").path("port").asText()).isEqualTo(port.toString());

    JsonNode keys = cli("device", "keys", "--probe").ok().json();
    assertThat(keys.path("signer").asText()).isEqualTo("control-unit");
    assertThat(keys.path("module").path("unitSerial").asText()).isEqualTo("CU-EMU-0001");
    assertThat(keys.path("module").path("testSignature").asText()).startsWith("verified");

    cli("day", "open").ok();
    List<JsonNode> receipts = cli("receipt", "issue", "--file", Cli.example("receipt-request.json").toString(),
        "--repeat", "5").ok().jsonLines();
    assertThat(receipts).hasSize(5);
    cli("day", "close").ok();
    cli("audit", "verify").ok();
  }

  @Test
  void unitGoneIsASignerErrorAndTheJournalIsUntouched() throws Exception {
    cli("init", "--signer", "control-unit", "--control-unit-port", port.toString()).ok();
    cli("day", "open").ok();
    long head = cli("status").ok().json().path("journalHeadSeq").asLong();

    emulator.destroy();
    assertThat(emulator.waitFor(10, TimeUnit.SECONDS)).isTrue();

    JsonNode error = cli("receipt", "issue", "--file", Cli.example("receipt-request.json").toString())
        .error(1, "SIGNER_UNAVAILABLE");
    assertThat(error.path("message").asText()).contains(port.toString());
    assertThat(cli("status").ok().json().path("journalHeadSeq").asLong()).isEqualTo(head);
    assertThat(cli("audit", "verify").exitCode()).isZero();
  }

  @Test
  void anotherUnitOnThePortIsRefused() throws Exception {
    cli("init", "--signer", "control-unit", "--control-unit-port", port.toString()).ok();
    stopEmulator();
    Files.delete(dir.resolve("cu.key")); // the next emulator is a different unit with a new key
    startEmulator();

    JsonNode error = cli("day", "open").error(1, "SIGNER_KEY_MISMATCH");

    assertThat(error.path("details").path("moduleFingerprint").asText()).isEqualTo(unitFingerprint);
  }
}
