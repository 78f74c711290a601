package io.fiscald.sim.zimra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.sim.zimra.TestDevice.Resp;
import io.fiscald.sim.zimra.internal.Pki;
import io.fiscald.sim.zimra.internal.Signatures;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A whole fiscal day against the simulator over real mutual TLS, and the receipt checks that block a close. */
class FdmsSimulatorDayTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  MutableClock clock;
  FdmsSimulator sim;
  TestDevice dev;

  @BeforeEach
  void start() throws Exception {
    clock = new MutableClock(LocalDateTime.of(2026, 3, 2, 10, 0), ZoneId.of("Africa/Harare"));
    sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(clock).closeDelay(Duration.ofMillis(50))
        .build());
    dev = new TestDevice(sim, FdmsDevice.builder(30199, "SN-001", "AbC12345").model("Server", "v1").build());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void registerConfigOpenReceiptsCreditNoteAndClose() throws Exception {
    Resp verify = dev.post("/Public/v1/30199/VerifyTaxpayerInformation",
        TestDevice.M.createObjectNode().put("activationKey", "abc12345").put("deviceSerialNo", "SN-001"));
    assertThat(verify.status()).isEqualTo(200);
    assertThat(verify.body().path("taxPayerTIN").asText()).isEqualTo("2000123456");
    assertThat(verify.body().path("deviceBranchAddress").path("city").asText()).isEqualTo("Harare");

    dev.register();
    assertThat(dev.certificate.getSubjectX500Principal().getName()).isEqualTo("CN=ZIMRA-SN-001-0000030199");
    assertThat(dev.certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(dev.certificate.getKeyUsage()[0]).isTrue();
    assertThat(dev.certificate.getBasicConstraints()).isEqualTo(-1);

    Resp config = dev.get(dev.dev("GetConfig"));
    assertThat(config.status()).isEqualTo(200);
    assertThat(config.body().path("qrUrl").asText()).isEqualTo("https://fdmstest.zimra.co.zw");
    assertThat(config.body().path("taxPayerDayMaxHrs").asInt()).isEqualTo(24);
    assertThat(config.body().path("deviceOperatingMode").asText()).isEqualTo("Online");
    assertThat(config.body().path("certificateValidTill").asText()).startsWith("2027-03-02T");
    JsonNode std = null;
    for (JsonNode t : config.body().path("applicableTaxes")) {
      if (t.path("taxID").asInt() == 517) {
        std = t;
      }
    }
    assertThat(std).isNotNull();
    assertThat(std.path("taxPercent").decimalValue()).isEqualByComparingTo("15.5");
    assertThat(std.path("validFrom").asText()).isEqualTo("2025-12-15T00:00:00");

    assertThat(dev.get(dev.dev("GetStatus")).body().path("fiscalDayStatus").asText()).isEqualTo("FiscalDayClosed");
    Resp open = dev.openDay(1, "2026-03-02T08:00:00");
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.body().path("fiscalDayNo").asInt()).isEqualTo(1);

    List<ObjectNode> sent = new ArrayList<>();
    ObjectNode first = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "11.55", "INV-1"));
    Resp r1 = dev.submit(first);
    sent.add(first);
    assertThat(r1.status()).isEqualTo(200);
    assertThat(r1.body().has("validationErrors")).as(r1.body().toString()).isFalse();
    long receiptID = r1.body().path("receiptID").asLong();

    // sheet §10.1: the server signature verifies with the certificate getServerCertificate serves
    String thumb = r1.body().path("receiptServerSignature").path("certificateThumbprint").asText();
    Resp cert = dev.get("/Public/v1/GetServerCertificate?thumbprint=" + thumb);
    assertThat(cert.status()).isEqualTo(200);
    X509Certificate fdms = Pki.readCertificate(cert.body().path("certificate").get(0).asText());
    String s = Signatures.serverReceiptString(first.path("receiptDeviceSignature").path("signature").asText(),
        receiptID, r1.body().path("serverDate").asText());
    assertThat(r1.body().path("receiptServerSignature").path("hash").asText()).isEqualTo(Signatures.sha256Base64(s));
    assertThat(Signatures.verify(fdms.getPublicKey(), s,
        r1.body().path("receiptServerSignature").path("signature").asText(), FdmsSimulator.EcdsaEncoding.DER))
        .isTrue();
    assertThat(dev.get("/Public/v1/GetServerCertificate?thumbprint=00ff").status()).isEqualTo(404);

    ObjectNode second = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:05:00", "23.10", "INV-2"));
    assertThat(dev.submit(second).body().has("validationErrors")).isFalse();
    sent.add(second);

    ObjectNode cn = dev.receipt("CreditNote", "2026-03-02T09:10:00", "-11.55", "CN-1");
    cn.putObject("creditDebitNote").put("receiptID", receiptID);
    dev.sign(cn);
    Resp r3 = dev.submit(cn);
    assertThat(r3.body().has("validationErrors")).as(r3.body().toString()).isFalse();
    sent.add(cn);

    // sheet §6: resending the identical receipt returns the same receiptID and signature, new operationID
    Resp again = dev.submit(first);
    assertThat(again.body().path("receiptID").asLong()).isEqualTo(receiptID);
    assertThat(again.body().path("receiptServerSignature")).isEqualTo(r1.body().path("receiptServerSignature"));
    assertThat(again.body().path("operationID").asText()).isNotEqualTo(r1.body().path("operationID").asText());
    assertThat(sim.receipts(30199, 1)).hasSize(3);

    Resp close = dev.closeDay(1, "2026-03-02", sent);
    assertThat(close.status()).as(close.body().toString()).isEqualTo(200);
    FdmsDayView day = sim.awaitDayStatus(30199, 1, FdmsDayView.Status.CLOSED, WAIT);
    assertThat(day.closingErrorCode()).isNull();
    assertThat(day.serverCounters()).containsEntry("CREDITNOTEBYTAX|USD|517|15.5", "-11.55")
        .containsEntry("SALEBYTAX|USD|517|15.5", "34.65").containsEntry("BALANCEBYMONEYTYPE|USD|CASH", "23.10");
    Resp status = dev.get(dev.dev("GetStatus"));
    assertThat(status.body().path("fiscalDayStatus").asText()).isEqualTo("FiscalDayClosed");
    assertThat(status.body().path("fiscalDayReconciliationMode").asText()).isEqualTo("Auto");
    assertThat(status.body().path("lastReceiptGlobalNo").asInt()).isEqualTo(3);
    assertThat(status.body().path("lastFiscalDayNo").asInt()).isEqualTo(1);
    assertThat(status.body().path("fiscalDayServerSignature").path("certificateThumbprint").asText())
        .isEqualTo(sim.fdmsCertificateThumbprint());

    // next day: numbers continue, the first receipt carries no previous hash
    clock.advance(Duration.ofHours(2));
    assertThat(dev.openDay(2, "2026-03-02T11:00:00").status()).isEqualTo(200);
    ObjectNode next = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T11:01:00", "5.00", "INV-3"));
    assertThat(next.path("receiptGlobalNo").asInt()).isEqualTo(4);
    Resp r4 = dev.submit(next);
    assertThat(r4.body().has("validationErrors")).as(r4.body().toString()).isFalse();
  }

  @Test
  void sameGlobalNumberWithAnotherHashIsRefused() throws Exception {
    dev.register();
    dev.openDay(1, "2026-03-02T08:00:00");
    ObjectNode r = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "10.00", "INV-1"));
    assertThat(dev.submit(r).status()).isEqualTo(200);
    dev.previousHash = null;
    dev.counter = 0;
    dev.globalNo = 0;
    ObjectNode other = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "12.00", "INV-1b"));
    Resp res = dev.submit(other);
    assertThat(res.status()).isEqualTo(422);
    assertThat(res.body().path("errorCode").asText()).isEqualTo("RCPT012");
    assertThat(sim.receipts(30199, 1)).hasSize(1);
  }

  @Test
  void tamperedReceiptGetsRcpt020AndBlocksTheClose() throws Exception {
    dev.register();
    dev.openDay(1, "2026-03-02T08:00:00");
    List<ObjectNode> sent = new ArrayList<>();
    ObjectNode r = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "10.00", "INV-1"));
    // tampered after signing: another date than the one signed (sheet §18 pitfall)
    r.put("receiptDate", "2026-03-02T09:00:01");
    Resp res = dev.submit(r);
    sent.add(r);
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body().path("validationErrors").toString())
        .isEqualTo("[{\"validationErrorCode\":\"RCPT020\",\"validationErrorColor\":\"Red\"}]");
    assertThat(res.body().path("receiptServerSignature").path("signature").asText()).isNotEmpty();

    assertThat(dev.closeDay(1, "2026-03-02", sent).status()).isEqualTo(200);
    FdmsDayView day = sim.awaitDayStatus(30199, 1, FdmsDayView.Status.CLOSE_FAILED, WAIT);
    assertThat(day.closingErrorCode()).isEqualTo("ReceiptsWithValidationErrors");
    Resp status = dev.get(dev.dev("GetStatus"));
    assertThat(status.body().path("fiscalDayClosingErrorCode").asText()).isEqualTo("ReceiptsWithValidationErrors");
  }

  @Test
  void arithmeticAndNoteRulesAreFlaggedWithTheirCodes() throws Exception {
    dev.register();
    dev.openDay(1, "2026-03-02T08:00:00");
    ObjectNode bad = dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "10.00", "INV-1");
    ((ObjectNode) bad.path("receiptTaxes").get(0)).put("taxAmount", new java.math.BigDecimal("1.00"));
    ((ObjectNode) bad.path("receiptPayments").get(0)).put("paymentAmount", new java.math.BigDecimal("9.00"));
    Resp res = dev.submit(dev.sign(bad));
    assertThat(res.body().path("validationErrors").findValuesAsText("validationErrorCode"))
        .containsExactly("RCPT026", "RCPT039");

    ObjectNode cn = dev.receipt("CreditNote", "2026-03-02T09:01:00", "-10.00", "INV-1");
    cn.remove("receiptNotes");
    cn.putObject("creditDebitNote").put("deviceID", 30199).put("receiptGlobalNo", 99).put("fiscalDayNo", 1);
    Resp res2 = dev.submit(dev.sign(cn));
    assertThat(res2.body().path("validationErrors").findValuesAsText("validationErrorCode"))
        .containsExactly("RCPT013", "RCPT032", "RCPT034");
  }

  @Test
  void gapInGlobalNumbersIsGreyUntilTheMissingReceiptArrives() throws Exception {
    dev.register();
    dev.openDay(1, "2026-03-02T08:00:00");
    List<ObjectNode> sent = new ArrayList<>();
    ObjectNode r1 = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "10.00", "INV-1"));
    ObjectNode r2 = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:01:00", "11.00", "INV-2"));
    ObjectNode r3 = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:02:00", "12.00", "INV-3"));
    sent.addAll(List.of(r1, r2, r3));
    assertThat(dev.submit(r1).body().has("validationErrors")).isFalse();
    Resp skipped = dev.submit(r3);
    assertThat(skipped.status()).isEqualTo(200);
    assertThat(skipped.body().path("validationErrors").toString()).contains("\"RCPT012\"")
        .contains("\"validationErrorColor\":\"Grey\"").doesNotContain("Red");

    // sheet §5: a Grey receipt blocks the close (MissingReceipts)
    assertThat(dev.closeDay(1, "2026-03-02", sent).status()).isEqualTo(200);
    assertThat(sim.awaitDayStatus(30199, 1, FdmsDayView.Status.CLOSE_FAILED, WAIT).closingErrorCode())
        .isEqualTo("MissingReceipts");

    // the missing receipt arrives (allowed in FiscalDayCloseFailed); the Grey one is revalidated clean
    assertThat(dev.submit(r2).body().has("validationErrors")).isFalse();
    assertThat(sim.receipts(30199, 1)).allSatisfy(v -> assertThat(v.validationErrors()).isEmpty());
    assertThat(dev.closeDay(1, "2026-03-02", sent).status()).isEqualTo(200);
    sim.awaitDayStatus(30199, 1, FdmsDayView.Status.CLOSED, WAIT);
  }

  @Test
  void wrongCountersOrSignatureFailTheClose() throws Exception {
    dev.register();
    dev.openDay(1, "2026-03-02T08:00:00");
    ObjectNode r1 = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "10.00", "INV-1"));
    dev.submit(r1);
    ObjectNode lie = dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "99.00", "X");
    assertThat(dev.closeDay(1, "2026-03-02", List.of(r1, lie)).status()).isEqualTo(200);
    assertThat(sim.awaitDayStatus(30199, 1, FdmsDayView.Status.CLOSE_FAILED, WAIT).closingErrorCode())
        .isEqualTo("CountersMismatch");
    // signed with the wrong opening date → BadCertificateSignature (§10.2 fiscalDayDate)
    assertThat(dev.closeDay(1, "2026-03-01", List.of(r1)).status()).isEqualTo(200);
    sim.await(() -> sim.day(30199, 1).orElseThrow().status() == FdmsDayView.Status.CLOSE_FAILED
        && "BadCertificateSignature".equals(sim.day(30199, 1).orElseThrow().closingErrorCode()), WAIT);
    assertThat(dev.closeDay(1, "2026-03-02", List.of(r1)).status()).isEqualTo(200);
    sim.awaitDayStatus(30199, 1, FdmsDayView.Status.CLOSED, WAIT);
  }

  @Test
  void dayRulesOpenTwiceCloseWithoutDayReceiptWhenClosed() throws Exception {
    dev.register();
    assertThat(dev.openDay(2, "2026-03-02T08:00:00").body().path("errorCode").asText()).isEqualTo("FISC01");
    assertThat(dev.closeDay(1, "2026-03-02", List.of()).body().path("errorCode").asText()).isEqualTo("FISC04");
    ObjectNode r = dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "10.00", "INV-1"));
    assertThat(dev.submit(r).body().path("errorCode").asText()).isEqualTo("RCPT01");
    assertThat(dev.openDay(1, "2026-03-02T08:00:00").status()).isEqualTo(200);
    assertThat(dev.openDay(2, "2026-03-02T08:00:00").body().path("errorCode").asText()).isEqualTo("FISC01");
    Resp bad = dev.post(dev.dev("SubmitReceipt"), TestDevice.M.readTree("{\"receipt\":{\"receiptType\":\"X\"}}"));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body().path("errorCode").asText()).isEqualTo("RCPT02");
    assertThat(bad.body().path("type").asText()).isEqualTo("https://httpstatuses.io/422");
    sim.faults().holdDayCloses(true);
    dev.closeDay(1, "2026-03-02", List.of());
    assertThat(dev.closeDay(1, "2026-03-02", List.of()).body().path("errorCode").asText()).isEqualTo("FISC03");
    assertThat(dev.submit(r).body().path("errorCode").asText()).isEqualTo("RCPT01");
    sim.faults().holdDayCloses(false);
    sim.awaitDayStatus(30199, 1, FdmsDayView.Status.CLOSED, WAIT);
  }
}
