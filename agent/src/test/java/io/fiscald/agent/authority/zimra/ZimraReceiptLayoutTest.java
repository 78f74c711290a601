package io.fiscald.agent.authority.zimra;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceInitializer;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.profile.AuthorityProfile;
import io.fiscald.agent.profile.LocalProfile;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.receipt.OriginalReference;
import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptLine;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.agent.render.ReceiptText;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.store.DataDirLock;
import io.fiscald.store.Database;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Receipt48 layout of a ZIMRA receipt: every item sheet §13 marks mandatory, field by field. */
class ZimraReceiptLayoutTest {
  @TempDir
  Path tmp;

  final Clock clock = Clock.systemUTC();

  DataDirectory device(String config) throws Exception {
    DataDirectory dir = new DataDirectory(tmp.resolve("zimra"));
    Files.createDirectories(dir.root());
    try (DataDirLock lock = DataDirLock.acquire(dir.root());
        Connection c = Database.openForWriting(dir.database())) {
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(TestDevice.ENV),
          TestDevice.ENV)));
      DeviceInitializer.init(c, secrets, "zimra", "321", "sandbox", KeyAlgorithm.EC_P256,
          DeviceSettings.defaults(), clock);
      String now = Timestamps.format(clock.instant());
      ZimraState.saveSettings(c, ZimraSettings.defaults("sandbox", null, "SN-001"), now);
      ZimraState.saveConfig(c, ZimraConfig.parse(config), null, now);
    }
    return dir;
  }

  static ReceiptRequest request(ReceiptType type, String original, Buyer buyer) {
    return new ReceiptRequest(type, "USD", true,
        List.of(new ReceiptLine("Bread", new BigDecimal("4"), new BigDecimal("1.55"), "517", null, null, "19059000",
                null),
            new ReceiptLine("Cheese", new BigDecimal("0.555"), new BigDecimal("10.00"), "517", null, null,
                "04069000", null)),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal("20.00"), null)), buyer,
        original == null ? null : new OriginalReference(original), original == null ? null : "bread was stale");
  }

  static String render(AuthorityProfile p, FiscalReceipt r, Agent agent) {
    return ReceiptText.render(r, agent.settings(), p.fiscalBlock(r, null), p.header(r).orElse(null), 0, 48);
  }

  static void fitsReceipt48(String text) {
    assertThat(Arrays.stream(text.split("\n"))).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(48));
  }

  @Test
  void aReprintShowsTheTaxpayerDataOfIssueTimeNotALaterGetConfig() throws Exception {
    DataDirectory dir = device(ZimraProfileTest.CONFIG);
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock)) {
      agent.core().openDay();
      FiscalReceipt invoice = agent.core().issue(request(ReceiptType.INVOICE, null, null)).receipt();
      assertThat(invoice.authorityFields()).containsEntry("taxPayerName", "Chipo Stores (Pvt) Ltd")
          .containsEntry("taxPayerTIN", "2000123456").containsEntry("vatNumber", "220012345");
      ZimraProfile p = (ZimraProfile) agent.core().profile();
      // ZIMRA moved the branch and renamed the taxpayer after the sale
      p.updateConfig(ZimraConfig.parse(ZimraProfileTest.CONFIG.replace("Chipo Stores (Pvt) Ltd", "Chipo Retail Ltd")
          .replace("King George Rd", "Samora Machel Ave")));
      String reprint = render(p, invoice, agent);
      assertThat(reprint).contains("CHIPO STORES (PVT) LTD", "12, King George Rd, Harare, Harare", "VAT No: 220012345")
          .doesNotContain("CHIPO RETAIL LTD").doesNotContain("Samora Machel Ave");
      FiscalReceipt next = agent.core().issue(request(ReceiptType.INVOICE, null, null)).receipt();
      assertThat(render(p, next, agent)).contains("CHIPO RETAIL LTD", "Samora Machel Ave");
    }
  }

  @Test
  void anInvoiceAndACreditNoteCarryEveryMandatoryItem() throws Exception {
    DataDirectory dir = device(ZimraProfileTest.CONFIG);
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock)) {
      agent.core().openDay();
      FiscalReceipt invoice = agent.core().issue(request(ReceiptType.INVOICE, null,
          new Buyer("Tendai Traders", "2000999999"))).receipt();
      FiscalReceipt credit = agent.core().issue(request(ReceiptType.CREDIT_NOTE, invoice.receiptNumber(), null))
          .receipt();
      AuthorityProfile p = agent.core().profile();

      String text = render(p, invoice, agent);
      fitsReceipt48(text);
      String verification = invoice.authorityFields().get(ZimraReceipts.VERIFICATION_CODE);
      assertThat(verification).matches("[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}");
      assertThat(text)
          .contains("CHIPO STORES (PVT) LTD")                    // 2 legal name
          .contains("TIN: 2000123456")                            // 3
          .contains("VAT No: 220012345")                          // 4 (VAT payer)
          .contains("Chipo Stores Avondale")                      // 5 branch name (differs)
          .contains("12, King George Rd, Harare, Harare")         // 6 address
          .contains("Email: till@chipo.co.zw")                    // 7
          .contains("Tel: +263 24 2000000")                       // 8
          .contains("FISCAL TAX INVOICE")                         // 9
          .contains("BUYER", "Name: Tendai Traders", "TIN: 2000999999") // 10-16
          .contains("Invoice No: 1/1")                            // 17-18
          .contains("Fiscal day No: 1")                           // 19
          .contains("Customer reference No: 321-INV-000001")      // 20
          .contains("Device Serial No: SN-001", "Device ID: 321") // 21-22
          .contains("Date: " + invoice.authorityFields().get(ZimraReceipts.RECEIPT_DATE).replace('T', ' ')) // 23
          .contains("19059000 Bread", "04069000 Cheese")          // 29-37 lines with HS codes
          .contains("Invoice total, USD")                         // 37
          .contains("CASH")                                       // 38
          .containsPattern("Number of items +4\\.555")            // 39
          .contains("517 15.5%")                                  // 40-44 tax block
          .contains("Verification code: " + verification)        // 46
          .contains("You can verify this receipt manually at", "https://fdmstest.zimra.co.zw/"); // 48
      assertThat(text).doesNotContain("CREDITED INVOICE");
      assertThat(text.indexOf("FISCAL TAX INVOICE")).isGreaterThan(text.indexOf("TIN: 2000123456"));

      String note = render(p, credit, agent);
      fitsReceipt48(note);
      assertThat(note)
          .contains("CHIPO STORES (PVT) LTD", "TIN: 2000123456", "VAT No: 220012345")
          .contains("CREDIT NOTE")
          .doesNotContain("FISCAL TAX INVOICE", "BUYER")
          .contains("Invoice No: 2/2", "Fiscal day No: 1", "Customer reference No: 321-CRN-000001")
          .contains("CREDITED INVOICE")                           // 24-28
          .contains("Invoice No: 1")
          .contains("Date: " + invoice.authorityFields().get(ZimraReceipts.RECEIPT_DATE).replace('T', ' '))
          .contains("Customer reference No: 321-INV-000001")
          .contains("Device Serial No: SN-001", "Device ID: 321")
          .contains("Reason: bread was stale")                    // 49 note
          .contains("Verification code: " + credit.authorityFields().get(ZimraReceipts.VERIFICATION_CODE));
      // the generic header from the device settings is not printed on a ZIMRA receipt
      assertThat(text).doesNotContain(agent.settings().taxpayerName().toUpperCase(java.util.Locale.ROOT) + "\n");
      // the local profile keeps its generic header
      assertThat(new LocalProfile(agent.settings()).header(invoice)).isEmpty();
    }
  }

  @Test
  void aNonVatTaxpayerPrintsFiscalInvoiceWithoutVatNumberOrTaxTable() throws Exception {
    String cfg = ZimraProfileTest.CONFIG.replace("\"vatNumber\":\"220012345\",", "")
        .replace("\"deviceBranchName\":\"Chipo Stores Avondale\"", "\"deviceBranchName\":\"Chipo Stores (Pvt) Ltd\"");
    DataDirectory dir = device(cfg);
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock)) {
      agent.core().openDay();
      FiscalReceipt invoice = agent.core().issue(new ReceiptRequest(ReceiptType.INVOICE, "USD", true,
          List.of(new ReceiptLine("Milk", new BigDecimal("2"), new BigDecimal("1.00"), "2", null, null, "04011000",
              null)),
          List.of(new Payment(PaymentMethod.CASH, new BigDecimal("2.00"), null)), null, null, null)).receipt();
      String text = render(agent.core().profile(), invoice, agent);
      fitsReceipt48(text);
      assertThat(text).contains("FISCAL INVOICE", "TIN: 2000123456", "Invoice No: 1/1")
          .doesNotContain("FISCAL TAX INVOICE", "VAT No:", "Chipo Stores (Pvt) Ltd\n", "of which tax");
    }
  }
}
