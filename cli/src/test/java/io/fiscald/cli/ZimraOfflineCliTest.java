package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.sim.zimra.FdmsDayView;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsRoute;
import io.fiscald.sim.zimra.FdmsSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Offline-mode ZIMRA device through fiscalctl: the day file exported for manual upload, and {@code sync}
 * killed with SIGKILL between submitFile and getFileStatus (once while FDMS holds the submitFile answer,
 * once while it holds the getFileStatus answer); the next sync ends with the day accepted and the file sent
 * exactly once.
 */
class ZimraOfflineCliTest {
  private static final int DEVICE = 30300;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path tmp;
  FdmsSimulator sim;
  Path data;

  @BeforeEach
  void start() throws Exception {
    sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(Clock.system(ZoneId.of("Africa/Harare")))
        .closeDelay(Duration.ofMillis(50)).build());
    sim.addDevice(FdmsDevice.builder(DEVICE, "SN-OFF", "ABC12345").operatingMode(FdmsDevice.OFFLINE).build());
    data = tmp.resolve("till");
    Path ca = tmp.resolve("fdms-ca.pem");
    Files.writeString(ca, sim.caCertificatePem());
    JsonNode reg = Cli.run("--data-dir", data.toString(), "device", "register", "--authority", "zimra",
        "--device-id", Integer.toString(DEVICE), "--serial", "SN-OFF", "--activation-key", "ABC12345", "--env",
        "sandbox", "--url", sim.baseUrl(), "--ca-cert", ca.toString(), "--json").ok().json();
    assertThat(reg.toString()).contains("Offline");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  long journalEntries() throws Exception {
    try (java.sql.Connection c = io.fiscald.store.Database.openReadOnly(data.resolve("fiscald.db"));
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM journal")) {
      return rs.getLong(1);
    }
  }

  void sellAndClose(int receipts) throws Exception {
    Cli.run("--data-dir", data.toString(), "day", "open").ok();
    Path sale = tmp.resolve("sale.json");
    Files.writeString(sale, """
        {"currency": "USD", "lines": [{"name": "Bread 700g", "quantity": "1", "unitPrice": "1.20", "taxCode": "2",
          "hsCode": "19059000"}], "payments": [{"method": "CASH", "amount": "1.20"}]}""");
    Cli.run("--data-dir", data.toString(), "receipt", "issue", "--file", sale.toString(), "--repeat",
        Integer.toString(receipts)).ok();
    Cli.run("--data-dir", data.toString(), "day", "close").ok();
  }

  @Test
  void acceptDayRefusesADayFdmsDidNotRefuseWithFile04AndJournalsNothing() throws Exception {
    sellAndClose(1);
    long entries = journalEntries();
    Cli.run("--data-dir", data.toString(), "--json", "zimra", "accept-day", "--day", "1", "--reason",
        "uploaded on the portal").error(2, "INVALID_ARGUMENT");
    Cli.run("--data-dir", data.toString(), "--json", "zimra", "accept-day", "--day", "1").error(2, "INVALID_ARGUMENT");
    assertThat(journalEntries()).isEqualTo(entries);
    assertThat(Cli.run("--data-dir", data.toString(), "--json", "sync", "--once").ok().json().get("pending").asInt())
        .isZero();
  }

  @Test
  void theDayFileIsExportedForManualUpload() throws Exception {
    sellAndClose(3);
    Path out = tmp.resolve("usb");
    JsonNode export = Cli.run("--data-dir", data.toString(), "zimra", "export-day", "--day", "1", "--out",
        out.toString(), "--json").ok().json();
    assertThat(export.path("files")).hasSize(1);
    Path file = Path.of(export.path("files").get(0).path("file").asText());
    JsonNode day = Cli.JSON.readTree(new String(Base64.getDecoder().decode(Files.readString(file).trim()),
        StandardCharsets.UTF_8));
    assertThat(day.path("header").path("deviceID").asInt()).isEqualTo(DEVICE);
    assertThat(day.path("header").path("fiscalDayNo").asInt()).isEqualTo(1);
    assertThat(day.path("content").path("receipts")).hasSize(3);
    assertThat(day.path("footer").path("receiptCounter").asInt()).isEqualTo(3);
    // an open day cannot be exported; neither can a day that does not exist
    Cli.run("--data-dir", data.toString(), "day", "open").ok();
    Cli.run("--data-dir", data.toString(), "zimra", "export-day", "--day", "2", "--out", out.toString(), "--json")
        .error(2, "DAY_ALREADY_OPEN");
    Cli.run("--data-dir", data.toString(), "zimra", "export-day", "--day", "9", "--out", out.toString(), "--json")
        .error(2, "INVALID_ARGUMENT");
    assertThat(sim.calls(FdmsRoute.SUBMIT_FILE)).isZero();
  }

  @Test
  void syncKilledBetweenSubmitFileAndGetFileStatusStillEndsWithTheDayAcceptedOnce() throws Exception {
    sellAndClose(5);
    for (FdmsRoute held : List.of(FdmsRoute.SUBMIT_FILE, FdmsRoute.SUBMITTED_FILE_LIST)) {
      if (held == FdmsRoute.SUBMIT_FILE) {
        // FDMS takes and processes the file, the till never hears back
        sim.faults().stallAfterCommitNext(FdmsRoute.SUBMIT_FILE, 1, Duration.ofMinutes(5));
      } else {
        // the till knows the operationID; it is killed while asking how the file went
        sim.faults().stallNext(FdmsRoute.SUBMITTED_FILE_LIST, 1, Duration.ofMinutes(5));
      }
      int fired = sim.faults().fired();
      Process child = ChildJvm.start(tmp, "--data-dir", data.toString(), "sync", "--once");
      try {
        sim.await(() -> !child.isAlive() || sim.faults().fired() > fired
            && sim.day(DEVICE, held == FdmsRoute.SUBMIT_FILE ? 1 : 2).map(d -> d.status()
                == FdmsDayView.Status.CLOSED).orElse(false), WAIT);
        assertThat(child.isAlive()).as("child still syncing (see %s)", tmp.resolve("child-stderr.log")).isTrue();
      } finally {
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        sim.faults().clear();
      }
      assertThat(child.exitValue()).isEqualTo(137);
      JsonNode status = Cli.run("--data-dir", data.toString(), "status", "--json").ok().json();
      assertThat(status.path("sync").path("operatingMode").asText()).isEqualTo("Offline");
      assertThat(status.path("sync").path("offlineFiles").path("files").get(0).path("state").asText())
          .isIn("SUBMITTING", "SUBMITTED");

      JsonNode done = Cli.run("--data-dir", data.toString(), "sync", "--once", "--json").ok().json();
      long day = held == FdmsRoute.SUBMIT_FILE ? 1 : 2;
      assertThat(done.path("pending").asLong()).isZero();
      assertThat(done.path("closedDayOnServer").asLong()).isEqualTo(day);
      assertThat(done.path("offlineFiles").path("acceptedDay").asLong()).isEqualTo(day);
      assertThat(sim.calls(FdmsRoute.SUBMIT_FILE)).as("files sent after day %d", day).isEqualTo((int) day);
      assertThat(sim.receipts(DEVICE, (int) day)).hasSize(5);
      if (held == FdmsRoute.SUBMIT_FILE) {
        sellAndClose(5); // the second round kills day 2's sync
      }
    }
    for (FdmsRoute online : List.of(FdmsRoute.OPEN_DAY, FdmsRoute.SUBMIT_RECEIPT, FdmsRoute.CLOSE_DAY,
        FdmsRoute.GET_STATUS)) {
      assertThat(sim.calls(online)).as(online.name()).isZero();
    }
  }
}
