package io.fiscald.hal.print;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** DLE EOT 1-4 answers decoded bit by bit. */
class PrinterStatusTest {
  @Test
  void allClearIsReady() {
    PrinterStatus s = PrinterStatus.decode(0x12, 0x12, 0x12, 0x12);
    assertThat(s.ready()).isTrue();
    assertThat(s.describe()).isEqualTo("ready");
  }

  @Test
  void eachBitMeansWhatTheReferenceSays() {
    assertThat(PrinterStatus.decode(0x1A, 0x12, 0x12, 0x12).online()).isFalse();
    assertThat(PrinterStatus.decode(0x12, 0x16, 0x12, 0x12).coverOpen()).isTrue();
    assertThat(PrinterStatus.decode(0x12, 0x32, 0x12, 0x12).paperEnd()).isTrue();
    assertThat(PrinterStatus.decode(0x12, 0x12, 0x12, 0x72).paperEnd()).isTrue();
    PrinterStatus nearEnd = PrinterStatus.decode(0x12, 0x12, 0x12, 0x1E);
    assertThat(nearEnd.paperNearEnd()).isTrue();
    assertThat(nearEnd.ready()).as("near end still prints").isTrue();
    assertThat(nearEnd.describe()).isEqualTo("ready, paper near end");
    PrinterStatus cutter = PrinterStatus.decode(0x12, 0x52, 0x1A, 0x12);
    assertThat(cutter.error()).isTrue();
    assertThat(cutter.errorDetail()).isEqualTo("auto-cutter error");
    assertThat(cutter.ready()).isFalse();
    assertThat(PrinterStatus.decode(0x1A, 0x36, 0x12, 0x7E).describe()).isEqualTo("offline, cover open, paper out");
  }

  @Test
  void onlyBytesWithTheFixedBitsAreStatusAnswers() {
    assertThat(PrinterStatus.isStatusByte(0x12)).isTrue();
    assertThat(PrinterStatus.isStatusByte(0x7E)).isTrue();
    assertThat(PrinterStatus.isStatusByte(0x00)).isFalse();
    assertThat(PrinterStatus.isStatusByte(0xFF)).isFalse();
    assertThat(PrinterStatus.isStatusByte(0x92)).isFalse();
  }
}
