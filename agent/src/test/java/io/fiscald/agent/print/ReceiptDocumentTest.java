package io.fiscald.agent.print;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.render.ReceiptText;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.print.EscPosEncoder;
import io.fiscald.hal.print.PlainText;
import io.fiscald.hal.print.PrintDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The screen text and the printer bytes of a receipt come from one document. */
class ReceiptDocumentTest {
  @TempDir Path tmp;

  @Test
  void screenTextIsThePaperDocumentWithoutTheQrAndTheCut() {
    try (Agent agent = TestDevice.open(TestDevice.create(tmp, Clock.systemUTC()), Clock.systemUTC())) {
      agent.core().openDay();
      IssuedReceipt r = agent.core().issue(TestDevice.sugarSale());
      List<String> block = agent.core().profile().fiscalBlock(r.receipt(), r.seal());
      for (int width : new int[] {32, 42, 48}) {
        String screen = ReceiptText.render(r.receipt(), agent.settings(), block, 0, width);
        PrintDocument paper = ReceiptDocument.build(r.receipt(), agent.settings(), block, width,
            new ReceiptDocument.Options(0, ReceiptQr.content(r.receipt(), r.seal()), null, true));
        assertThat(PlainText.render(paper)).isEqualTo(screen);
        assertThat(screen.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(width));
        assertThat(paper.elements()).contains(new PrintDocument.Qr(ReceiptQr.content(r.receipt(), r.seal())),
            new PrintDocument.DrawerKick(PrintDocument.DrawerPin.PIN_2), new PrintDocument.Cut());
        String bytes = new String(new EscPosEncoder(PrinterProfiles.forColumns(width)).encode(paper),
            StandardCharsets.ISO_8859_1);
        for (String line : screen.lines().toList()) {
          assertThat(bytes).as("printer bytes at %d columns", width).contains(line.strip());
        }
      }
      String copy = ReceiptText.render(r.receipt(), agent.settings(), block, 2, 48);
      assertThat(copy).contains("*** COPY 2 - NOT A FISCAL RECEIPT ***");
      PrintDocument copyPaper = ReceiptDocument.build(r.receipt(), agent.settings(), block, 48,
          new ReceiptDocument.Options(2, "qr", null, true));
      assertThat(copyPaper.elements()).doesNotContain(new PrintDocument.DrawerKick(PrintDocument.DrawerPin.PIN_2));
      assertThat(ReceiptQr.content(r.receipt(), r.seal())).isEqualTo("FISCALD1|TEST-0001|INV-000001|"
          + r.receipt().issuedAt() + "|1044.00|KES|" + r.seal().verificationCode());
    }
  }
}
