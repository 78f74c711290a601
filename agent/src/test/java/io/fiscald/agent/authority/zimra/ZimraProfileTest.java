package io.fiscald.agent.authority.zimra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceInitializer;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.receipt.OriginalReference;
import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptLine;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.store.Database;
import io.fiscald.store.DataDirLock;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ZIMRA profile inside the real fiscal core: signatures, the day's hash chain, notes, counters. */
class ZimraProfileTest {
  static final String CONFIG = """
      {"operationID":"op-1","taxPayerName":"Chipo Stores (Pvt) Ltd","taxPayerTIN":"2000123456",
       "vatNumber":"220012345","deviceSerialNo":"SN-001","deviceBranchName":"Chipo Stores Avondale",
       "deviceBranchAddress":{"province":"Harare","city":"Harare","street":"King George Rd","houseNo":"12"},
       "deviceBranchContacts":{"phoneNo":"+263 24 2000000","email":"till@chipo.co.zw"},
       "deviceOperatingMode":"Online","taxPayerDayMaxHrs":24,"taxpayerDayEndNotificationHrs":2,
       "applicableTaxes":[{"taxID":1,"taxName":"Exempt","validFrom":"2023-01-01T00:00:00"},
         {"taxID":2,"taxPercent":0,"taxName":"Zero rated 0%","validFrom":"2023-01-01T00:00:00"},
         {"taxID":3,"taxPercent":15,"taxName":"Standard rated 15%","validFrom":"2023-01-01T00:00:00",
          "validTill":"2025-12-14T23:59:59"},
         {"taxID":517,"taxPercent":15.5,"taxName":"Standard rated 15.5%","validFrom":"2025-12-15T00:00:00"}],
       "certificateValidTill":"2027-11-24T00:00:00","qrUrl":"https://fdmstest.zimra.co.zw"}
      """;

  @TempDir
  Path tmp;

  final Clock clock = Clock.systemUTC();

  DataDirectory device() throws Exception {
    DataDirectory dir = new DataDirectory(tmp.resolve("zimra"));
    java.nio.file.Files.createDirectories(dir.root());
    try (DataDirLock lock = DataDirLock.acquire(dir.root());
        Connection c = Database.openForWriting(dir.database())) {
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(TestDevice.ENV),
          TestDevice.ENV)));
      DeviceInitializer.init(c, secrets, "zimra", "321", "sandbox", KeyAlgorithm.EC_P256,
          DeviceSettings.defaults(), clock);
      String now = Timestamps.format(clock.instant());
      ZimraState.saveSettings(c, ZimraSettings.defaults("sandbox", null, "SN-001"), now);
      ZimraState.saveConfig(c, ZimraConfig.parse(CONFIG), null, now);
    }
    return dir;
  }

  static ReceiptRequest sale(ReceiptType type, String original, String qty, String price, String tax, String pay) {
    return new ReceiptRequest(type, "USD", true,
        List.of(new ReceiptLine("Bread", new BigDecimal(qty), new BigDecimal(price), tax, null, null, "19059000",
            null)),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal(pay), null)), null,
        original == null ? null : new OriginalReference(original), original == null ? null : "bread was stale");
  }

  @Test
  void receiptsAreSignedAndChainedWithinTheDay() throws Exception {
    DataDirectory dir = device();
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock)) {
      assertThat(agent.core().profile().taxTable().rates()).extracting(r -> r.code()).containsExactly("1", "2", "517");
      agent.core().openDay();
      FiscalReceipt first = agent.core().issue(sale(ReceiptType.INVOICE, null, "2", "1.55", "517", "5.00")).receipt();
      FiscalReceipt second = agent.core().issue(sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00")).receipt();
      FiscalReceipt credit = agent.core().issue(sale(ReceiptType.CREDIT_NOTE, first.receiptNumber(), "1", "1.55",
          "517", "1.55")).receipt();

      assertThat(first.receiptNumber()).isEqualTo("321-INV-000001");
      // first receipt of the day: no previous hash in the string
      String s1 = ZimraSignatures.receiptString(321, "FiscalInvoice", "USD", 1, first.authorityFields()
          .get(ZimraReceipts.RECEIPT_DATE), 310, List.of(new ZimraTaxLine(517, null, new BigDecimal("15.5"), 42, 310)),
          null);
      assertThat(first.authorityFields().get(ZimraReceipts.HASH)).isEqualTo(ZimraSignatures.hashBase64(s1));
      assertThat(ZimraSignatures.verify(agent.signer().publicKey(), s1,
          first.authorityFields().get(ZimraReceipts.SIGNATURE))).isTrue();
      // the next receipts chain on the previous receipt's hash, whatever their type
      String s2 = ZimraSignatures.receiptString(321, "FiscalInvoice", "USD", 2, second.authorityFields()
          .get(ZimraReceipts.RECEIPT_DATE), 200, List.of(new ZimraTaxLine(2, null, BigDecimal.ZERO, 0, 200)),
          first.authorityFields().get(ZimraReceipts.HASH));
      assertThat(second.authorityFields().get(ZimraReceipts.HASH)).isEqualTo(ZimraSignatures.hashBase64(s2));
      String s3 = ZimraSignatures.receiptString(321, "CreditNote", "USD", 3, credit.authorityFields()
          .get(ZimraReceipts.RECEIPT_DATE), -155, List.of(new ZimraTaxLine(517, null, new BigDecimal("15.5"), -21,
          -155)), second.authorityFields().get(ZimraReceipts.HASH));
      assertThat(credit.authorityFields().get(ZimraReceipts.HASH)).isEqualTo(ZimraSignatures.hashBase64(s3));

      Map<String, Object> wire = ZimraReceipts.wire(credit);
      assertThat(wire.get("receiptType")).isEqualTo("CreditNote");
      assertThat(wire.get("receiptTotal")).isEqualTo(new BigDecimal("-1.55"));
      assertThat(wire.get("receiptNotes")).isEqualTo("bread was stale");
      assertThat(wire.get("creditDebitNote")).isEqualTo(Map.of("deviceID", 321L, "receiptGlobalNo", 1L,
          "fiscalDayNo", 1L));
      assertThat(FdmsClient.WIRE.writeValueAsString(wire)).contains("\"receiptLinePrice\":-1.55",
          "\"paymentAmount\":-1.55", "\"taxAmount\":-0.21", "\"taxPercent\":15.50");
      assertThat(first.authorityFields().get(ZimraReceipts.QR_URL)).startsWith("https://fdmstest.zimra.co.zw/0000000321")
          .endsWith("0000000001" + first.authorityFields().get(ZimraReceipts.QR_DATA));

      DayReport z = agent.core().closeDay();
      String dayString = ZimraSignatures.dayString(321, 1, z.authorityFields().get(ZimraDays.FISCAL_DAY_DATE), List.of(
          ZimraCounter.byTax(ZimraCounterType.SaleByTax, "USD", 2, BigDecimal.ZERO, 200),
          ZimraCounter.byTax(ZimraCounterType.SaleByTax, "USD", 517, new BigDecimal("15.5"), 310),
          ZimraCounter.byTax(ZimraCounterType.SaleTaxByTax, "USD", 517, new BigDecimal("15.5"), 42),
          ZimraCounter.byTax(ZimraCounterType.CreditNoteByTax, "USD", 517, new BigDecimal("15.5"), -155),
          ZimraCounter.byTax(ZimraCounterType.CreditNoteTaxByTax, "USD", 517, new BigDecimal("15.5"), -21),
          ZimraCounter.balance("USD", ZimraMoneyType.Cash, 355)), CounterOrder.RECOMMENDED);
      assertThat(dayString).contains("SALEBYTAXUSD0.00200SALEBYTAXUSD15.50310SALETAXBYTAXUSD15.5042"
          + "CREDITNOTEBYTAXUSD15.50-155CREDITNOTETAXBYTAXUSD15.50-21BALANCEBYMONEYTYPEUSDCASH355");
      assertThat(z.authorityFields().get(ZimraDays.HASH)).isEqualTo(ZimraSignatures.hashBase64(dayString));
      assertThat(ZimraSignatures.verify(agent.signer().publicKey(), dayString,
          z.authorityFields().get(ZimraDays.SIGNATURE))).isTrue();
      Map<String, Object> close = ZimraDays.closeDayBody(z);
      assertThat(close.get("receiptCounter")).isEqualTo(3L);
      assertThat(FdmsClient.WIRE.writeValueAsString(close)).doesNotContain("SaleTaxByTax\",\"fiscalCounterCurrency"
          + "\":\"USD\",\"fiscalCounterTaxID\":2");

      agent.core().openDay();
      FiscalReceipt nextDay = agent.core().issue(sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00")).receipt();
      assertThat(nextDay.dayCounter()).isEqualTo(1);
      String s4 = ZimraSignatures.receiptString(321, "FiscalInvoice", "USD", 4, nextDay.authorityFields()
          .get(ZimraReceipts.RECEIPT_DATE), 200, List.of(new ZimraTaxLine(2, null, BigDecimal.ZERO, 0, 200)), null);
      assertThat(nextDay.authorityFields().get(ZimraReceipts.HASH)).isEqualTo(ZimraSignatures.hashBase64(s4));
    }
  }

  @Test
  void zimraRulesRefuseBadReceiptsBeforeTheyAreJournalled() throws Exception {
    DataDirectory dir = device();
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock)) {
      agent.core().openDay();
      ReceiptRequest noHs = new ReceiptRequest(ReceiptType.INVOICE, "USD", true,
          List.of(new ReceiptLine("Bread", BigDecimal.ONE, new BigDecimal("2.00"), "517")),
          List.of(new Payment(PaymentMethod.CASH, new BigDecimal("2.00"), null)), null, null, null);
      assertThatThrownBy(() -> agent.core().issue(noHs)).isInstanceOfSatisfying(FiscalException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.details()).containsEntry("zimraCode", "RCPT047");
      });
      ReceiptRequest buyerWithoutTin = new ReceiptRequest(ReceiptType.INVOICE, "USD", true,
          sale(ReceiptType.INVOICE, null, "1", "2.00", "517", "2.00").lines(),
          List.of(new Payment(PaymentMethod.CASH, new BigDecimal("2.00"), null)), new Buyer("Acme", null), null, null);
      assertThatThrownBy(() -> agent.core().issue(buyerWithoutTin)).isInstanceOfSatisfying(FiscalException.class,
          e -> assertThat(e.details()).containsEntry("zimraCode", "RCPT043"));
      assertThatThrownBy(() -> agent.core().issue(sale(ReceiptType.INVOICE, null, "1", "2.00", "3", "2.00")))
          .isInstanceOfSatisfying(FiscalException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TAX_CODE));
      // nothing was numbered: the next good receipt is still global number 1, without a previous hash
      FiscalReceipt ok = agent.core().issue(sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00")).receipt();
      assertThat(ok.globalNo()).isEqualTo(1);
    }
  }

  @Test
  void anUnregisteredZimraDeviceRefusesReceipts() throws Exception {
    DataDirectory dir = new DataDirectory(tmp.resolve("bare"));
    java.nio.file.Files.createDirectories(dir.root());
    try (DataDirLock lock = DataDirLock.acquire(dir.root());
        Connection c = Database.openForWriting(dir.database())) {
      DeviceInitializer.init(c, new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(TestDevice.ENV),
          TestDevice.ENV))), "zimra", "322", "sandbox", KeyAlgorithm.EC_P256, DeviceSettings.defaults(), clock);
    }
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock)) {
      agent.core().openDay();
      assertThatThrownBy(() -> agent.core().issue(sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00")))
          .isInstanceOfSatisfying(FiscalException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.DEVICE_NOT_REGISTERED));
    }
  }

  @Test
  void productionRefusesPlainHttpAndShortTimeouts() {
    assertThatThrownBy(() -> ZimraSettings.defaults("production", "http://127.0.0.1:9", "SN").check())
        .isInstanceOfSatisfying(FiscalException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThat(ZimraSettings.defaults("sandbox", "http://127.0.0.1:9", "SN").check().plainHttp()).isTrue();
    assertThat(ZimraSettings.defaults("production", null, "SN").baseUrl()).isEqualTo("https://fdmsapi.zimra.co.zw");
    assertThat(ZimraSettings.defaults("sandbox", null, "SN-001").csrCommonName(30199))
        .isEqualTo("ZIMRA-SN-001-0000030199");
  }
}
