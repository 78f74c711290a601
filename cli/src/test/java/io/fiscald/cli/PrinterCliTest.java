package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.sim.printer.PrinterEmulator;
import io.fiscald.sim.printer.SocatPair;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fiscalctl printer|ports|sim printer} against the printer emulator, and the demo's printer. */
class PrinterCliTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path tmp;
  private PrinterEmulator emulator;

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private String tcpEmulator() throws Exception {
    emulator = new PrinterEmulator().listenOnTcp("127.0.0.1", 0);
    return "127.0.0.1:" + emulator.port();
  }

  @Test
  void printerTestOverTcpPrintsAPageWithAQrCodeAndReportsTheStatus() throws Exception {
    String address = tcpEmulator();
    JsonNode result = Cli.run("printer", "test", "--tcp", address, "--json").ok().json();

    assertThat(result.path("statusBefore").asText()).isEqualTo("ready");
    assertThat(result.path("statusAfter").asText()).isEqualTo("ready");
    assertThat(result.path("qr").asText()).isEqualTo("native");
    assertThat(emulator.awaitCuts(1, WAIT)).isTrue();
    assertThat(result.path("bytes").asLong()).isEqualTo(emulator.bytesReceived() - 4 * 3 * 2);
    assertThat(emulator.receipts().get(0)).contains("PRINTER TEST").contains("Letters: é è ê ü ö ä ñ ç Ø å ß £ ¥")
        .contains("EUR 5 €").contains("[QR FISCALD-PRINTER-TEST|tcp:" + address + "|48]");
  }

  @Test
  void aNarrowPrinterWithoutQrGetsARasterCode() throws Exception {
    emulator = new PrinterEmulator(32, 384).listenOnTcp("127.0.0.1", 0);
    String address = "127.0.0.1:" + emulator.port();
    Cli.Result r = Cli.run("printer", "test", "--tcp", address, "--profile", "basic-58mm-no-qr").ok();
    assertThat(r.stdout()).contains("basic-58mm-no-qr, 32 columns, raster QR").contains("status after:  ready");
    // no cutter on this model: the page is on the roll (the status after the job proves it was worked through)
    assertThat(emulator.cuts()).isZero();
    assertThat(emulator.roll().text()).contains("[QR-RASTER FISCALD-PRINTER-TEST|tcp:" + address + "|32]")
        .contains("EUR 5 EUR").contains("ç O å ß")
        .contains("(no code page with the euro\nsign: it prints as EUR)");
  }

  @Test
  void aPrinterOutOfPaperIsTheDevicesTroubleWithItsStatus() throws Exception {
    String address = tcpEmulator();
    emulator.paperOut(true);
    JsonNode error = Cli.run("printer", "test", "--tcp", address, "--json").error(1, "PRINTER_NOT_READY");
    assertThat(error.path("details").path("status").asText()).isEqualTo("offline, paper out");
    assertThat(error.path("message").asText()).contains("not ready");
    assertThat(emulator.cuts()).isZero();

    Cli.Result status = Cli.run("printer", "status", "--tcp", address).exits(1);
    assertThat(status.stdout()).contains("offline, paper out");
  }

  @Test
  void nobodyListeningIsUnavailableAndBadArgumentsAreTheCallersMistake() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }
    JsonNode error = Cli.run("printer", "test", "--tcp", "127.0.0.1:" + free, "--json").error(1, "PRINTER_UNAVAILABLE");
    assertThat(error.path("message").asText()).contains("refused");
    Cli.run("printer", "test", "--json").error(2, "INVALID_ARGUMENT");
    Cli.run("printer", "test", "--tcp", "nohostport", "--json").error(2, "INVALID_ARGUMENT");
    Cli.run("printer", "test", "--tcp", "127.0.0.1:9100", "--width", "40", "--json").error(2, "INVALID_ARGUMENT");
    Cli.run("printer", "test", "--port", tmp.resolve("ttyUSB7").toString(), "--json").error(1, "PRINTER_UNAVAILABLE");
  }

  @Test
  void portsListNamesEachPortAndWhetherItCanBeOpened() {
    JsonNode doc = Cli.run("ports", "list", "--json").ok().json();
    assertThat(doc.path("ports").isArray()).isTrue();
    for (JsonNode p : doc.path("ports")) {
      assertThat(p.path("path").asText()).startsWith("/dev/");
      assertThat(p.path("accessible").asBoolean()).isEqualTo(p.path("problem").isNull());
    }
    assertThat(Cli.run("ports", "list").ok().stdout()).isNotBlank();
  }

  @Test
  void simPrinterOnAPtyServesPrinterTestAndWritesThePaperRoll() throws Exception {
    Assumptions.assumeTrue(SocatPair.available(), "socat is not installed");
    Path link = tmp.resolve("printer");
    Path png = tmp.resolve("roll.png");
    Process sim = ChildJvm.start(tmp, "sim", "printer", "--pty", link.toString(), "--png", png.toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).startsWith("printer emulator listening on " + link);
      Cli.run("printer", "test", "--port", link.toString()).ok();
      String line;
      StringBuilder printed = new StringBuilder();
      while ((line = out.readLine()) != null && !line.contains("8<")) {
        printed.append(line).append('\n');
      }
      assertThat(printed).contains("PRINTER TEST").contains("[QR FISCALD-PRINTER-TEST|" + link + "|48]");
    } finally {
      sim.destroy();
      assertThat(sim.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    assertThat(link).doesNotExist();
  }

  @Test
  void theDemoPrintsEveryReceiptThroughTheEmulatorAndRecoversFromPaperOut() throws Exception {
    Cli.Result demo = Cli.run("demo", "--authority", "local", "--json", "--data-dir", tmp.resolve("shop").toString())
        .ok();
    JsonNode summary = demo.json();
    assertThat(summary.path("printed").asInt()).isEqualTo(7);
    Path png = Path.of(summary.path("paperRollPng").asText());
    assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    assertThat(demo.stderr()).contains("INV-000003 NOT printed").contains("paper out")
        // the original's start is on the torn-off roll: the retry is a marked copy, never a second original
        .contains("printer: INV-000003 copy 1 printed (after 1 failed attempt)")
        .contains("printer: 7 of 7 receipts on paper");
  }
}
