package io.fiscald.sim.zimra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.sim.zimra.TestDevice.Resp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every fault switch, and the 401/DEV answers, over real mutual TLS. */
class FdmsFaultsTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  MutableClock clock;
  FdmsSimulator sim;
  TestDevice dev;

  @BeforeEach
  void start() throws Exception {
    clock = new MutableClock(LocalDateTime.of(2026, 3, 2, 10, 0), ZoneId.of("Africa/Harare"));
    sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(clock).closeDelay(Duration.ofMillis(20))
        .certificateValidity(Duration.ofDays(30)).build());
    dev = new TestDevice(sim, FdmsDevice.builder(42, "SN0001", "KEY00042").build());
    dev.register();
    assertThat(dev.openDay(1, "2026-03-02T08:00:00").status()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  ObjectNode nextReceipt() throws Exception {
    return dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:00:00", "10.00", "INV-" + (dev.globalNo + 1)));
  }

  @Test
  void answers500ForTheNextTwoCallsThenProcesses() throws Exception {
    sim.faults().failNext(FdmsRoute.SUBMIT_RECEIPT, 2, 500);
    ObjectNode r = nextReceipt();
    Resp a = dev.submit(r);
    assertThat(a.status()).isEqualTo(500);
    assertThat(a.body().path("title").asText()).isEqualTo("Server error");
    assertThat(dev.submit(r).status()).isEqualTo(500);
    assertThat(sim.receipts(42)).isEmpty();
    assertThat(dev.submit(r).status()).isEqualTo(200);
    assertThat(sim.receipts(42)).hasSize(1);
    assertThat(sim.faults().fired()).isEqualTo(2);
    assertThat(sim.calls(FdmsRoute.SUBMIT_RECEIPT)).isEqualTo(3);
  }

  @Test
  void answers502OnAnyRoute() throws Exception {
    sim.faults().failNext(FdmsRoute.ANY, 1, 502);
    assertThat(dev.get(dev.dev("GetStatus")).status()).isEqualTo(502);
    assertThat(dev.get(dev.dev("GetStatus")).status()).isEqualTo(200);
  }

  @Test
  void stallPastTheClientTimeoutThenTheIdenticalRetryIsIdempotent() throws Exception {
    sim.faults().stallNext(FdmsRoute.SUBMIT_RECEIPT, 1, Duration.ofSeconds(3));
    ObjectNode r = nextReceipt();
    assertThatThrownBy(() -> dev.submit(r, Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
    // the stalled call is processed anyway, as a slow gateway would
    sim.await(() -> sim.receipts(42).size() == 1, WAIT);
    Resp retry = dev.submit(r);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body().path("receiptID").asLong()).isEqualTo(sim.receipts(42).get(0).receiptID());
    assertThat(sim.receipts(42)).hasSize(1);
  }

  @Test
  void stallAfterCommit() throws Exception {
    sim.faults().stallAfterCommitNext(FdmsRoute.SUBMIT_RECEIPT, 1, Duration.ofSeconds(3));
    ObjectNode r = nextReceipt();
    assertThatThrownBy(() -> dev.submit(r, Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
    sim.await(() -> sim.receipts(42).size() == 1, WAIT);
    assertThat(sim.faults().fired()).isEqualTo(1);
  }

  @Test
  void commitThenDropTheConnection() throws Exception {
    sim.faults().dropAnswerNext(FdmsRoute.SUBMIT_RECEIPT, 1);
    ObjectNode r = nextReceipt();
    assertThatThrownBy(() -> dev.submit(r)).isInstanceOf(IOException.class);
    assertThat(sim.receipts(42)).hasSize(1);
    Resp retry = dev.submit(r);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body().path("receiptID").asLong()).isEqualTo(sim.receipts(42).get(0).receiptID());
  }

  @Test
  void duplicateDeliveryIsAnsweredWithTheIdempotentReplay() throws Exception {
    sim.faults().duplicateNext(FdmsRoute.SUBMIT_RECEIPT, 1);
    Resp res = dev.submit(nextReceipt());
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body().path("receiptID").asLong()).isEqualTo(sim.receipts(42).get(0).receiptID());
    assertThat(sim.receipts(42)).hasSize(1);
    assertThat(sim.calls(FdmsRoute.SUBMIT_RECEIPT)).isEqualTo(1);
  }

  @Test
  void tlsHandshakeFailure() throws Exception {
    sim.faults().failTlsHandshakes(1);
    TestDevice fresh = dev;
    fresh.client = fresh.client(fresh.certificate); // a new client: no pooled connection
    assertThatThrownBy(() -> fresh.get(fresh.dev("GetStatus"))).isInstanceOf(SSLHandshakeException.class);
    assertThat(fresh.get(fresh.dev("GetStatus")).status()).isEqualTo(200);
  }

  @Test
  void refuseConnectionsThenListenAgainOnTheSamePort() throws Exception {
    int port = sim.port();
    sim.faults().refuseConnections(true);
    assertThatThrownBy(() -> dev.get(dev.dev("GetStatus"))).isInstanceOf(ConnectException.class);
    sim.faults().refuseConnections(false);
    assertThat(sim.port()).isEqualTo(port);
    assertThat(dev.get(dev.dev("GetStatus")).status()).isEqualTo(200);
  }

  @Test
  void holdAndForceDayCloseOutcomes() throws Exception {
    sim.faults().holdDayCloses(true).failNextDayClose("InternalError");
    assertThat(dev.closeDay(1, "2026-03-02", List.of()).status()).isEqualTo(200);
    assertThat(dev.get(dev.dev("GetStatus")).body().path("fiscalDayStatus").asText())
        .isEqualTo("FiscalDayCloseInitiated");
    sim.faults().holdDayCloses(false);
    assertThat(sim.awaitDayStatus(42, 1, FdmsDayView.Status.CLOSE_FAILED, WAIT).closingErrorCode())
        .isEqualTo("InternalError");
    assertThat(dev.closeDay(1, "2026-03-02", List.of()).status()).isEqualTo(200);
    sim.awaitDayStatus(42, 1, FdmsDayView.Status.CLOSED, WAIT);
    assertThat(sim.faults().pending()).isZero();
  }

  @Test
  void missingForeignOrExpiredCertificatesGet401() throws Exception {
    TestDevice other = new TestDevice(sim, FdmsDevice.builder(43, "SN0002", "KEY00043").build()).register();
    assertThat(other.get("/Device/v1/42/GetStatus").status()).isEqualTo(401);
    other.client = other.client(null);
    Resp none = other.get("/Device/v1/43/GetStatus");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body().path("status").asInt()).isEqualTo(401);
    clock.advance(Duration.ofDays(31));
    Resp expired = dev.get(dev.dev("GetStatus"));
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.body().path("title").asText()).isEqualTo("Device certificate expired.");
  }

  @Test
  void renewalKeepsTheDeviceAndIssuesANewCertificate() throws Exception {
    var newKeys = TestDevice.newKeys();
    Resp r = dev.post(dev.dev("IssueCertificate"),
        TestDevice.M.createObjectNode().put("certificateRequest", TestDevice.csr(newKeys, dev.subject())));
    assertThat(r.status()).isEqualTo(200);
    dev.keys = newKeys;
    dev.certificate = io.fiscald.sim.zimra.internal.Pki.readCertificate(r.body().path("certificate").asText());
    dev.client = dev.client(dev.certificate);
    assertThat(dev.get(dev.dev("GetConfig")).status()).isEqualTo(200);
    assertThat(sim.deviceCertificates(42)).hasSize(2);
    // a receipt signed with the new key verifies
    Resp sub = dev.submit(nextReceipt());
    assertThat(sub.body().has("validationErrors")).as(sub.body().toString()).isFalse();
  }

  @Test
  void csrSubjectActivationKeyAndModelHeadersAreChecked() throws Exception {
    TestDevice d = new TestDevice(sim, FdmsDevice.builder(44, "SN0003", "KEY00044").model("Server", "v1").build());
    Resp wrongCn = d.post("/Public/v1/44/RegisterDevice", TestDevice.M.createObjectNode()
        .put("certificateRequest", TestDevice.csr(d.keys, "CN=ZIMRA-SN0003-44")).put("activationKey", "KEY00044"));
    assertThat(wrongCn.body().path("errorCode").asText()).isEqualTo("DEV03");
    Resp wrongO = d.post("/Public/v1/44/RegisterDevice", TestDevice.M.createObjectNode()
        .put("certificateRequest", TestDevice.csr(d.keys, d.subject() + ",O=Acme,C=ZW"))
        .put("activationKey", "KEY00044"));
    assertThat(wrongO.body().path("errorCode").asText()).isEqualTo("DEV03");
    Resp okFull = d.post("/Public/v1/44/RegisterDevice", TestDevice.M.createObjectNode()
        .put("certificateRequest", TestDevice.csr(d.keys,
            d.subject() + ",O=Zimbabwe Revenue Authority,ST=Zimbabwe,C=ZW"))
        .put("activationKey", "key00044"));
    assertThat(okFull.status()).isEqualTo(200);
    Resp wrongKey = d.post("/Public/v1/44/RegisterDevice", TestDevice.M.createObjectNode()
        .put("certificateRequest", TestDevice.csr(d.keys, d.subject())).put("activationKey", "NOPE0000"));
    assertThat(wrongKey.status()).isEqualTo(422);
    assertThat(wrongKey.body().path("errorCode").asText()).isEqualTo("DEV02");
    sim.addDevice(sim.device(44).orElseThrow().toBuilder().model("Other", "v9").build());
    assertThat(d.post("/Public/v1/44/VerifyTaxpayerInformation", TestDevice.M.createObjectNode()
        .put("activationKey", "KEY00044").put("deviceSerialNo", "SN0003")).body().path("errorCode").asText())
        .isEqualTo("DEV06");
  }
}
