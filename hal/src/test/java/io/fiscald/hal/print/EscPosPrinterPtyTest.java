package io.fiscald.hal.print;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.hal.port.PortSpec;
import io.fiscald.hal.port.SerialSettings;
import io.fiscald.sim.printer.PrinterEmulator;
import io.fiscald.sim.printer.SocatPair;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver against the printer emulator over a real pseudo-terminal pair made by socat, through
 * jSerialComm: what the driver sends is what the emulator prints, and each fault ends in the right
 * exception with the port released.
 */
class EscPosPrinterPtyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;
  private SocatPair cable;
  private PrinterEmulator emulator;
  private EscPosPrinter printer;

  @BeforeEach
  void connect() {
    PtyTests.assumeSocat();
    cable = SocatPair.start(tmp.resolve("printer"), tmp.resolve("printer-emulator"));
    emulator = new PrinterEmulator().listenOnPty(cable.b());
    PrinterProfile profile = PrinterProfile.generic(48).withTimeouts(300, 5000);
    printer = new EscPosPrinter(cable.a().toString(), PortSpec.parse(cable.a().toString(), SerialSettings.DEFAULT),
        profile);
  }

  @AfterEach
  void disconnect() {
    if (printer != null) {
      printer.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    if (cable != null) {
      cable.close();
    }
  }

  static PrintDocument receipt(String number) {
    return new DocumentBuilder(48).title("ACME DUKA").center("TIN: P051234567X").rule().split("No: " + number, "Day 1")
        .left("Sukari 2kg").split("  1 x 250.00", "250.00 B").split("TOTAL KES", "250.00", true)
        .left("Price in euro: 1.72 €").qr("https://verify.example/" + number).cut().build();
  }

  @Test
  void printsAReceiptTheEmulatorReadsBackLineForLine() throws Exception {
    PrintOutcome outcome = printer.print(receipt("INV-000001"));

    assertThat(emulator.awaitCuts(1, WAIT)).isTrue();
    assertThat(outcome.before().ready()).isTrue();
    assertThat(outcome.after().ready()).isTrue();
    String printed = emulator.receipts().get(0);
    assertThat(printed).contains("ACME DUKA").contains("No: INV-000001").contains("TOTAL KES")
        .contains("Price in euro: 1.72 €").contains("[QR https://verify.example/INV-000001]");
    assertThat(printed).startsWith(PlainText.render(receipt("INV-000001")));
  }

  @Test
  void printersWithoutNativeQrGetARasterAQrReaderCanRead() throws Exception {
    printer.close();
    printer = new EscPosPrinter("pty", PortSpec.parse(cable.a().toString(), SerialSettings.DEFAULT),
        PrinterProfile.generic(48).withNativeQr(false).withTimeouts(300, 5000));
    printer.print(receipt("INV-000002"));
    assertThat(emulator.awaitCuts(1, WAIT)).isTrue();
    assertThat(emulator.receipts().get(0)).contains("[QR-RASTER https://verify.example/INV-000002]");
  }

  @Test
  void paperOutBeforeTheJobSendsNothing() {
    emulator.paperOut(true);
    assertThatThrownBy(() -> printer.print(receipt("INV-000003")))
        .isInstanceOfSatisfying(PrinterNotReadyException.class, e -> {
          assertThat(e.dataSent()).isFalse();
          assertThat(e.lastStatus().paperEnd()).isTrue();
          assertThat(e.getMessage()).contains("paper out");
        });
    assertThat(emulator.cuts()).isZero();
    assertThat(printer.status().paperEnd()).isTrue();
  }

  @Test
  void paperOutMidJobIsReportedAndTheJobPrintsWholeOnTheNewRoll() throws Exception {
    emulator.paperOutAfter(120);
    assertThatThrownBy(() -> printer.print(receipt("INV-000004")))
        .isInstanceOfSatisfying(PrinterNotReadyException.class, e -> assertThat(e.dataSent()).isTrue());
    assertThat(emulator.cuts()).isZero();

    emulator.paperOut(false);
    printer.print(receipt("INV-000004"));
    assertThat(emulator.awaitCuts(1, WAIT)).isTrue();
    assertThat(emulator.receipts()).hasSize(1);
    assertThat(emulator.receipts().get(0)).contains("ACME DUKA").contains("[QR https://verify.example/INV-000004]");
  }

  @Test
  void coverOpenIsNotReady() {
    emulator.coverOpen(true);
    assertThat(printer.status().coverOpen()).isTrue();
    assertThatThrownBy(() -> printer.print(receipt("INV-000005"))).isInstanceOf(PrinterNotReadyException.class)
        .hasMessageContaining("cover open");
  }

  @Test
  void aSilentPrinterIsUnreachableAndComesBackWhenSwitchedOn() {
    emulator.offline(true);
    assertThatThrownBy(() -> printer.print(receipt("INV-000006")))
        .isInstanceOfSatisfying(PrinterUnreachableException.class, e -> {
          assertThat(e.dataSent()).isFalse();
          assertThat(e.getMessage()).contains("did not answer within 300 ms").contains("never answered");
        });
    emulator.offline(false);
    assertThat(printer.status().ready()).isTrue();
  }

  @Test
  void aPulledCableIsReportedAndThePortReopenedWhenItIsBack() throws Exception {
    printer.print(receipt("INV-000007"));
    assertThat(emulator.awaitCuts(1, WAIT)).isTrue();

    cable.stop();
    assertThatThrownBy(printer::status).isInstanceOf(PrinterUnreachableException.class)
        .hasMessageContaining(cable.a().toString());
    assertThatThrownBy(printer::status).isInstanceOf(PrinterUnreachableException.class)
        .hasMessageContaining("no device at");

    cable.restart();
    assertThat(emulator.awaitConnections(2, WAIT)).isTrue();
    printer.print(receipt("INV-000008"));
    assertThat(emulator.awaitCuts(2, WAIT)).isTrue();
    assertThat(emulator.receipts().get(1)).contains("No: INV-000008");
  }

  @Test
  void lineNoiseBeforeTheAnswersIsSkipped() throws Exception {
    emulator.garbage(true);
    assertThat(printer.status().ready()).isTrue();
    printer.print(receipt("INV-000009"));
    assertThat(emulator.awaitCuts(1, WAIT)).isTrue();
    assertThat(emulator.receipts().get(0)).contains("No: INV-000009");
  }

  @Test
  void aSlowPrinterIsWaitedForUpToTheJobTimeout() throws Exception {
    emulator.slow(Duration.ofNanos(300_000));
    PrintOutcome outcome = printer.print(receipt("INV-000010"));
    assertThat(outcome.after().ready()).isTrue();
    assertThat(emulator.cuts()).isEqualTo(1);
  }
}
