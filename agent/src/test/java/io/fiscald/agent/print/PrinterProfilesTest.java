package io.fiscald.agent.print;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.print.CodePage;
import io.fiscald.hal.print.PrinterProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Printer models come from JSON; bad files are refused with the key named. */
class PrinterProfilesTest {
  @TempDir Path tmp;

  @Test
  void builtInProfilesCoverEachPaperWidth() {
    assertThat(PrinterProfiles.forColumns(32).columns()).isEqualTo(32);
    assertThat(PrinterProfiles.forColumns(42).columns()).isEqualTo(42);
    PrinterProfile p80 = PrinterProfiles.forColumns(48);
    assertThat(p80.name()).isEqualTo("generic-80mm");
    assertThat(p80.codePages()).extracting(PrinterProfile.CodePageSlot::page)
        .containsExactly(CodePage.PC437, CodePage.PC858, CodePage.PC850, CodePage.WPC1252);
    assertThat(PrinterProfiles.builtIn("epson-tm-t20").logoKey()).isEqualTo("A1");
    assertThat(PrinterProfiles.builtIn("basic-58mm-no-qr").nativeQr()).isFalse();
  }

  @Test
  void aFileProfileOverridesOnlyWhatItNames() throws Exception {
    Path f = tmp.resolve("kiosk.json");
    Files.writeString(f, "{\"name\": \"kiosk-58\", \"columns\": 32, \"nativeQr\": false,"
        + " \"codePages\": [{\"page\": \"PC850\", \"escT\": 2}], \"cutter\": \"NONE\", \"statusTimeoutMs\": 500}");
    PrinterProfile p = PrinterProfiles.load(f, null);
    assertThat(p.name()).isEqualTo("kiosk-58");
    assertThat(p.columns()).isEqualTo(32);
    assertThat(p.dotsPerLine()).isEqualTo(384);
    assertThat(p.nativeQr()).isFalse();
    assertThat(p.codePages()).containsExactly(new PrinterProfile.CodePageSlot(CodePage.PC850, 2));
    assertThat(p.cutter()).isEqualTo(PrinterProfile.Cutter.NONE);
    assertThat(p.statusTimeoutMillis()).isEqualTo(500);
    assertThat(p.jobTimeoutMillis()).isEqualTo(30_000);
  }

  @Test
  void badFilesAreRefusedSayingWhy() throws Exception {
    assertInvalid("{\"name\": \"x\", \"colums\": 32}", "unknown key 'colums'");
    assertInvalid("{\"name\": \"x\", \"columns\": 40}", "columns must be 32, 42 or 48");
    assertInvalid("{\"name\": \"x\", \"codePages\": [{\"page\": \"PC999\", \"escT\": 1}]}", "unknown code page 'PC999'");
    assertInvalid("{\"name\": \"x\", \"nativeQr\": \"yes\"}", "nativeQr must be true or false");
    assertInvalid("{\"columns\": 48}", "every profile needs a name");
    assertInvalid("[1, 2", "not valid JSON");
    assertThatThrownBy(() -> PrinterProfiles.builtIn("tm-nope")).isInstanceOf(FiscalException.class)
        .hasMessageContaining("generic-80mm");
  }

  private void assertInvalid(String json, String message) throws Exception {
    Path f = Files.writeString(tmp.resolve("p.json"), json);
    assertThatThrownBy(() -> PrinterProfiles.load(f)).isInstanceOfSatisfying(FiscalException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.PRINTER_PROFILE_INVALID)).hasMessageContaining(message);
  }
}
