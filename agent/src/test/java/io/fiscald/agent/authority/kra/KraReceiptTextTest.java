package io.fiscald.agent.authority.kra;

import static io.fiscald.agent.authority.kra.KraFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.tax.TaxRounding;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The printed receipt checked field by field against sheet §11 and §12. */
class KraReceiptTextTest {
  private static final Buyer ACME = new Buyer("Acme Ltd", "P051111111A");
  private static final DeviceSettings SHOP = new DeviceSettings("Demo Shop Ltd", KraFixtures.PIN, "Headquarter",
      "Moi Avenue, Nairobi", "KES", 24, TaxRounding.PER_LINE, KraFixtures.rates().toTaxTable().rates());
  private static final ScuSignature SPEC = new ScuSignature(7, 1, 1, "EAHSAV6ECUUXSY6PCCJYAUP6MI", "QUII27MATATSHFRB",
      "20210502115145", "KRACU013000001", "WIS01000150");

  private static KraPrint print(KraLabel label, ScuSignature scu, String originalCu) {
    return new KraPrint(KraFixtures.PIN, "00", label, scu, originalCu, KraFixtures.rates(), KraConfig.CU_NO_RECEIPT,
        false, "https://etims-sbx.kra.go.ke");
  }

  private static List<String> lines(String text) {
    return Arrays.stream(text.split("\n")).map(String::strip).toList();
  }

  private static FiscalReceipt sale() {
    return KraFixtures.receipt(KraFixtures.sale(ACME, "2000.00", line("Sugar 1kg", "2", "522.00", "B"),
        line("Fresh milk 500ml", "6", "60.00", "A"), line("Bread 400g", "2", "65.00", "B", "10.00")),
        "INV-000001", KraFixtures.ISSUED);
  }

  @Test
  void saleFieldByField() {
    String text = KraReceiptText.render(sale(), SHOP, print(KraLabel.NS, SPEC, null), 48);
    List<String> l = lines(text);
    assertThat(l).contains("[KRA LOGO]", "DEMO SHOP LTD", "Headquarter", "Moi Avenue, Nairobi",
        "PIN: " + KraFixtures.PIN, "TAX INVOICE", "Buyer PIN: P051111111A", "Buyer Name: Acme Ltd");
    assertThat(l.indexOf("PIN: " + KraFixtures.PIN)).isLessThan(l.indexOf("TAX INVOICE"));
    // lines: total with its band letter; exempt prints A-EX
    assertThat(text).containsPattern("2 x 522\\.00 +1,044\\.00B\n");
    assertThat(text).containsPattern("6 x 60\\.00 +360\\.00A-EX\n");
    assertThat(text).containsPattern("discount 7\\.69% +-10\\.00\n");
    assertThat(text).containsPattern("TOTAL BEFORE DISCOUNT +1,534\\.00\n");
    assertThat(text).containsPattern("TOTAL DISCOUNT AWARDED +10\\.00\n");
    assertThat(text).containsPattern("TAX EXEMPT +360\\.00\n");
    assertThat(text).containsPattern("SUB TOTAL +1,363\\.45\n"); // 900.00 + 360.00 + 103.45
    assertThat(text).containsPattern("VAT +160\\.55\n");
    assertThat(text).containsPattern("\nTOTAL +1,524\\.00\n");
    assertThat(text).containsPattern("CASH +2,000\\.00\n");
    assertThat(text).containsPattern("CHANGE +476\\.00\n");
    assertThat(text).containsPattern("ITEMS NUMBER +3\n");
    // tax table: all five bands by default
    assertThat(text).containsPattern("A-EX +360\\.00 +0\\.00\n");
    assertThat(text).containsPattern("B-16\\.00% +1,003\\.45 +160\\.55\n");
    assertThat(text).containsPattern("C-0\\.00% +0\\.00 +0\\.00\n");
    assertThat(text).containsPattern("D-NON-VAT +0\\.00 +0\\.00\n");
    assertThat(text).containsPattern("E-8\\.00% +0\\.00 +0\\.00\n");
    // SCU block
    int scu = l.indexOf("SCU INFORMATION");
    assertThat(scu).isPositive();
    assertThat(l.subList(scu, l.size())).containsSubsequence("Date: 02/05/2021  Time: 11:51:45",
        "SCU ID: KRACU013000001", "CU INVOICE NO.: KRACU013000001/1", "RECEIPT NUMBER: 1/1 NS", "Internal Data:",
        "EAHS-AV6E-CUUX-SY6P-CCJY-AUP6-MI", "Receipt Signature:", "QUII-27MA-TATS-HFRB", "TIS INFORMATION",
        "Invoice Number: INV-000001", "Date: 24/11/2026  Time: 11:21:42");
    assertThat(text.replace("\n", "")).contains("QR code (verification URL):https://etims-sbx.kra.go.ke/common/link/etims/receipt/"
        + "indexEtimsReceiptData?Data=" + KraFixtures.PIN + "00QUII27MATATSHFRB");
    assertThat(text).doesNotContain(KraLabel.WATERMARK).doesNotContain("CREDIT NOTE");
  }

  @Test
  void creditNoteFieldByField() {
    FiscalReceipt note = KraFixtures.receipt(KraFixtures.credit("INV-000001", ACME, "522.00", "Damaged",
        line("Sugar 1kg", "1", "522.00", "B")), "CRN-000001", "2026-11-24T09:00:00.000Z");
    ScuSignature scu = new ScuSignature(8, 1, 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "SIGNSIGNSIGNSIGN", "20261124120001",
        "KRACU013000001", "WIS01000150");
    String text = KraReceiptText.render(note, SHOP, print(KraLabel.NC, scu, "KRACU013000001/1"), 48);
    List<String> l = lines(text);
    assertThat(l).contains("CREDIT NOTE", "ORIGINAL CU INVOICE NO.#: KRACU013000001/1", "REASON: Damaged",
        "CU INVOICE NO.: KRACU013000001/1", "RECEIPT NUMBER: 1/2 NC");
    assertThat(text.replace("\n", " ")).contains(KraReceiptText.CREDIT_NOTE_APPROVAL);
    assertThat(text).containsPattern("A-EX +0\\.00 +0\\.00\n"); // unused bands print 0.00, not -0.00
    assertThat(l).doesNotContain("TAX INVOICE");
    assertThat(text).containsPattern("1 x 522\\.00 +-522\\.00B\n");
    assertThat(text).containsPattern("\nTOTAL +-522\\.00\n");
    assertThat(text).containsPattern("VAT +-72\\.00\n");
    assertThat(text).containsPattern("TOTAL B-16\\.00% +-522\\.00\n");
    assertThat(text).containsPattern("TOTAL TAX B +-72\\.00\n");
    assertThat(text).containsPattern("B-16\\.00% +-450\\.00 +-72\\.00\n");
  }

  @Test
  void copiesTrainingAndPendingReceiptsCarryTheWatermark() {
    String copy = KraReceiptText.render(sale(), SHOP, print(KraLabel.NS, SPEC, null).asCopy(), 48);
    assertThat(copy).contains("*** " + KraLabel.WATERMARK + " ***").contains("RECEIPT NUMBER: 1/1 CS");
    assertThat(copy.split(KraLabel.WATERMARK, -1)).hasSize(3); // top and bottom
    String training = KraReceiptText.render(sale(), SHOP, print(KraLabel.TS, SPEC, null), 48);
    assertThat(training).contains(KraLabel.WATERMARK).contains("TRAINING (TS)");
    String pending = KraReceiptText.render(sale(), SHOP, print(KraLabel.NS, null, null), 48);
    assertThat(pending).contains(KraLabel.WATERMARK).contains("PENDING: not yet signed")
        .doesNotContain("CU INVOICE NO.");
  }

  @Test
  void usedBandsOnlyIsASetting() {
    KraPrint used = new KraPrint(KraFixtures.PIN, "00", KraLabel.NS, SPEC, null, KraFixtures.rates(),
        KraConfig.CU_NO_RECEIPT, true, "https://etims-sbx.kra.go.ke");
    String text = KraReceiptText.render(sale(), SHOP, used, 48);
    assertThat(text).containsPattern("B-16\\.00% +1,003\\.45").doesNotContain("E-8.00%").doesNotContain("D-NON-VAT");
  }
}
