package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.device.DeviceKeys;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.sim.controlunit.SocatPtyPair;
import io.fiscald.sim.zimra.FdmsDayView;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsSimulator;
import io.fiscald.store.Database;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ZIMRA device whose key never leaves its module talks to FDMS over mutual TLS: register (the CSR and
 * every TLS handshake signed by the module), sell, sync, close, against the simulator. The key is on a
 * SoftHSM2 token (fiscalctl in child JVMs pointed at this test's token) or in the control-unit emulator
 * on a socat pty.
 */
class ZimraHardwareKeyCliTest {
  private static final int DEVICE = 30400;
  private static final String PIN = "4321";
  private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  @TempDir Path dir;
  FdmsSimulator sim;
  Path data;
  Path ca;
  Path sale;
  Process emulator;

  @BeforeEach
  void start() throws Exception {
    sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(Clock.system(ZoneId.of("Africa/Harare")))
        .closeDelay(Duration.ofMillis(50)).build());
    sim.addDevice(FdmsDevice.builder(DEVICE, "SN-HSM", "ABC12345").build());
    data = dir.resolve("till");
    ca = dir.resolve("fdms-ca.pem");
    Files.writeString(ca, sim.caCertificatePem());
    sale = dir.resolve("sale.json");
    Files.writeString(sale, """
        {"currency": "USD", "lines": [{"name": "Bread 700g", "quantity": "1", "unitPrice": "1.20", "taxCode": "2",
          "hsCode": "19059000"}], "payments": [{"method": "CASH", "amount": "1.20"}]}""");
  }

  @AfterEach
  void stop() throws Exception {
    sim.close();
    if (emulator != null) {
      emulator.destroy();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroyForcibly();
      }
    }
  }

  @Test
  void aDeviceWithItsKeyOnAPkcs11TokenRegistersSellsSyncsAndCloses() throws Exception {
    boolean installed = Files.isRegularFile(LIBRARY) && Files.isExecutable(Path.of("/usr/bin/softhsm2-util"));
    if (!installed) {
      System.err.println("\n*** SKIPPED: SoftHSM2 is not installed (apt-get install softhsm2); the ZIMRA PKCS#11"
          + " test did not run. .ci/run installs it. ***\n");
    }
    assumeTrue(installed, "SoftHSM2 is not installed");
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    Path conf = dir.resolve("softhsm2.conf");
    Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    String out = exec(conf, List.of("softhsm2-util", "--init-token", "--free", "--label", "zimra-till", "--pin", PIN,
        "--so-pin", "87654321"));
    Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
    assertThat(m.find()).as("slot in: %s", out).isTrue();

    JsonNode reg = child(conf, "device", "register", "--authority", "zimra", "--device-id", Integer.toString(DEVICE),
        "--serial", "SN-HSM", "--activation-key", "ABC12345", "--env", "sandbox", "--url", sim.baseUrl(),
        "--ca-cert", ca.toString(), "--signer", "pkcs11", "--pkcs11-library", LIBRARY.toString(), "--pkcs11-slot",
        m.group(1)).ok().json();
    assertThat(reg.path("certificate").path("subject").asText()).contains("ZIMRA-SN-HSM-0000030400");
    assertThat(reg.toString()).doesNotContain(PIN);
    child(conf, "day", "open").ok();
    child(conf, "receipt", "issue", "--file", sale.toString(), "--repeat", "3").ok();
    JsonNode synced = child(conf, "sync", "--once").ok().json();
    assertThat(synced.path("synced").asLong()).isEqualTo(3);
    child(conf, "day", "close").ok();
    JsonNode closed = child(conf, "sync", "--once").ok().json();

    assertClosedWithTheModuleKey(closed, child(conf, "status").ok().json());
  }

  @Test
  void aDeviceKeyedByAControlUnitRegistersSellsSyncsAndCloses() throws Exception {
    if (!SocatPtyPair.available()) {
      System.err.println("\n*** SKIPPED: socat is not installed (apt-get install socat); the ZIMRA control-unit"
          + " test did not run. .ci/run installs it. ***\n");
    }
    assumeTrue(SocatPtyPair.available(), "socat is not installed");
    Path port = dir.resolve("cu");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--json", "sim", "control-unit", "--pty", port.toString(),
        "--key-file", dir.resolve("cu.key").toString());
    pb.redirectError(dir.resolve("emulator-stderr.log").toFile());
    emulator = pb.start();
    BufferedReader ready = new BufferedReader(new InputStreamReader(emulator.getInputStream(),
        StandardCharsets.UTF_8));
    assertThat(ready.readLine()).as("emulator started; stderr: %s",
        Files.readString(dir.resolve("emulator-stderr.log"))).isNotNull();

    cli("device", "register", "--authority", "zimra", "--device-id", Integer.toString(DEVICE), "--serial", "SN-HSM",
        "--activation-key", "ABC12345", "--env", "sandbox", "--url", sim.baseUrl(), "--ca-cert", ca.toString(),
        "--signer", "control-unit", "--control-unit-port", port.toString()).ok();
    cli("day", "open").ok();
    cli("receipt", "issue", "--file", sale.toString(), "--repeat", "3").ok();
    assertThat(cli("sync", "--once").ok().json().path("synced").asLong()).isEqualTo(3);
    cli("day", "close").ok();
    JsonNode closed = cli("sync", "--once").ok().json();

    assertClosedWithTheModuleKey(closed, cli("status").ok().json());
  }

  /** FDMS closed the day, its certificate holds the module's key, and no device key is in the secret store. */
  private void assertClosedWithTheModuleKey(JsonNode closed, JsonNode status) throws Exception {
    assertThat(closed.path("pending").asLong()).isZero();
    assertThat(closed.path("closedDayOnServer").asLong()).isEqualTo(1);
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
    assertThat(sim.receipts(DEVICE, 1)).hasSize(3).allSatisfy(r -> assertThat(r.validationErrors()).isEmpty());
    assertThat(sim.deviceCertificates(DEVICE)).hasSize(1);
    assertThat(PublicKeys.fingerprint(sim.deviceCertificates(DEVICE).get(0).getPublicKey()))
        .isEqualTo(status.path("publicKeyFingerprint").asText());
    try (Connection c = Database.openReadOnly(data.resolve("fiscald.db"))) {
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(data.resolve("master.key"), Map.of())));
      assertThat(secrets.names(c)).doesNotContain(DeviceKeys.SIGNING_KEY);
    }
  }

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of("--data-dir", data.toString(), "--json"));
    all.addAll(List.of(args));
    return Cli.runWithKeyFile(dir.resolve("child"), all.toArray(new String[0]));
  }

  /** fiscalctl --json in a child JVM with SOFTHSM2_CONF set and the PIN in FISCALD_PKCS11_PIN. */
  private Cli.Result child(Path conf, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--data-dir", data.toString(), "--json"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("FISCALD_MASTER_KEY");
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    pb.environment().put("FISCALD_PKCS11_PIN", PIN);
    Path err = Files.createTempFile(dir, "stderr", ".log");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] stdout;
    try (InputStream in = p.getInputStream()) {
      stdout = in.readAllBytes();
    }
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    return new Cli.Result(p.exitValue(), new String(stdout, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String exec(Path conf, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
