package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fiscalctl serve} on a KRA device (child JVM) against the eTIMS simulator on loopback: receipts
 * issued through the daemon reach eTIMS without {@code fiscalctl sync}, and {@code fiscalctl status}
 * shows the sync fields.
 */
class ServeSyncCliTest {
  static final String PIN = "P051234567X";
  static final String SERIAL = "SN-KRA-0001";

  @TempDir Path tmp;

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Object monitor = new Object();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      synchronized (monitor) {
        monitor.wait(100);
      }
    }
  }

  @Test
  void serveSyncsKraReceiptsInTheBackgroundAndStatusShowsIt() throws Exception {
    try (EtimsSimulator sim = EtimsSimulator.start(EtimsSimulator.Options.defaults())) {
      sim.registerDevice(PIN, "00", SERIAL);
      sim.registerTaxpayer(PIN, "Demo Shop Ltd");
      Path data = tmp.resolve("data");
      Cli.runWithKeyFile(tmp.resolve("register"), "--data-dir", data.toString(), "device", "register",
          "--authority", "kra", "--pin", PIN, "--branch", "00", "--serial", SERIAL, "--transport", "vscu",
          "--url", sim.baseUrl(Transport.VSCU), "--track-stock").ok();

      Process daemon = ChildJvm.start(tmp, "--data-dir", data.toString(), "serve", "--listen", "127.0.0.1:0");
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(),
            StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("serve banner (see child-stderr.log)").startsWith("fiscald serving device");
        Cli.run("--data-dir", data.toString(), "day", "open").ok();
        Cli.run("--data-dir", data.toString(), "receipt", "issue", "--file",
            Cli.example("receipt-request.json").toString(), "--repeat", "3").ok();

        // fiscalctl sync beside the daemon: waits for its worker to send them, never opens the database itself
        JsonNode synced = Cli.run("--data-dir", data.toString(), "sync", "--once", "--json").ok().json();
        assertThat(synced.path("daemon").asBoolean()).isTrue();
        assertThat(synced.path("pending").asLong()).isZero();
        assertThat(sim.branch(PIN, "00").invcNos()).hasSize(3);
        await("three invoices at eTIMS", () -> sim.branch(PIN, "00").invcNos().size() == 3);
        await("fiscalctl status: nothing pending, a last sync", () -> {
          JsonNode sync = Cli.run("--data-dir", data.toString(), "status", "--json").ok().json().path("sync");
          return sync.path("pending").asLong(-1) == 0 && sync.path("lastSyncAt").isTextual();
        });
        JsonNode sync = Cli.run("--data-dir", data.toString(), "status", "--json").ok().json().path("sync");
        assertThat(sync.path("authority").asText()).isEqualTo("kra");
        assertThat(sync.path("rejected").asLong()).isZero();
        assertThat(sync.path("offlineSince").isNull()).isTrue();
      } finally {
        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(Files.exists(data.resolve("daemon.json"))).isFalse();
    }
  }
}
