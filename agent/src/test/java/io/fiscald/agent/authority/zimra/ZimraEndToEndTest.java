package io.fiscald.agent.authority.zimra;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.sim.zimra.FdmsDayView;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsReceiptView;
import io.fiscald.sim.zimra.FdmsRoute;
import io.fiscald.sim.zimra.FdmsSimulator;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Outbox;
import io.fiscald.store.secret.Secret;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Register → getConfig → openDay → receipts and notes → closeDay, against the FDMS simulator over mutual TLS. */
class ZimraEndToEndTest {
  static final int DEVICE = 30199;
  final Clock clock = Clock.systemUTC();

  @TempDir
  Path tmp;

  FdmsSimulator sim;
  DataDirectory dir;

  @BeforeEach
  void start() throws Exception {
    sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(Clock.system(ZoneId.of("Africa/Harare")))
        .closeDelay(Duration.ofMillis(20)).build());
    sim.addDevice(FdmsDevice.builder(DEVICE, "SN-001", "ABC12345").build());
    dir = new DataDirectory(tmp.resolve("till"));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  ZimraOnboarding.Registration register() {
    return ZimraOnboarding.register(dir, TestDevice.ENV, new ZimraOnboarding.Request(DEVICE, "SN-001",
        Secret.ofUtf8("ABC12345"), "sandbox", sim.baseUrl(), sim.caCertificatePem(), KeyAlgorithm.EC_P256, "USD",
        null), clock);
  }

  ZimraSync.Step drain(Agent agent, Connection state) {
    try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), true, clock)) {
      ZimraSync sync = new ZimraSync(state, client, ZimraState.requireSettings(state),
          (ZimraProfile) agent.core().profile(), clock, Duration.ofMillis(20), 500);
      return sync.drain(1000);
    }
  }

  @Test
  void aWholeDayOverMutualTls() throws Exception {
    ZimraOnboarding.Registration r = register();
    assertThat(r.certificate().get("subject").toString()).contains("ZIMRA-SN-001-0000030199");
    assertThat(r.config().applicableTaxes()).isNotEmpty();
    assertThat(sim.deviceCertificates(DEVICE)).hasSize(1);

    List<FiscalReceipt> issued = new ArrayList<>();
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      agent.core().openDay();
      FiscalReceipt invoice = agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "2", "1.55", "517",
          "5.00")).receipt();
      issued.add(invoice);
      issued.add(agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "3", "1.00", "2", "3.00"))
          .receipt());
      issued.add(agent.core().issue(ZimraProfileTest.sale(ReceiptType.CREDIT_NOTE, invoice.receiptNumber(), "1",
          "1.55", "517", "1.55")).receipt());
      issued.add(agent.core().issue(ZimraProfileTest.sale(ReceiptType.DEBIT_NOTE, invoice.receiptNumber(), "1",
          "0.50", "517", "0.50")).receipt());
      agent.core().closeDay();

      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
      ZimraSync.Status status = ZimraSync.status(state);
      assertThat(status.pending()).isZero();
      assertThat(status.closedDayOnServer()).isEqualTo(1);
      for (var m : Outbox.pending(state, "zimra", 10)) {
        throw new AssertionError("still pending: " + m);
      }
      String response = Outbox.latestForReceipt(state, 1).orElseThrow().response();
      assertThat(CanonicalJson.read(response).path("serverSignatureVerified").asBoolean()).isTrue();
    }
    List<FdmsReceiptView> received = sim.receipts(DEVICE, 1);
    assertThat(received).extracting(FdmsReceiptView::receiptGlobalNo).containsExactly(1, 2, 3, 4);
    assertThat(received).allSatisfy(v -> assertThat(v.validationErrors()).isEmpty());
    assertThat(received).extracting(FdmsReceiptView::hash)
        .containsExactlyElementsOf(issued.stream().map(f -> f.authorityFields().get(ZimraReceipts.HASH)).toList());
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
  }

  @Test
  void receiptsKeepComingWhileFdmsIsDownAndGoOutInOrderLater() throws Exception {
    register();
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      agent.core().openDay();
      agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00"));
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);

      sim.faults().refuseConnections(true);
      for (int i = 0; i < 3; i++) {
        agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00"));
      }
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BACKOFF);
      ZimraSync.Status offline = ZimraSync.status(state);
      assertThat(offline.offlineSince()).isNotNull();
      assertThat(offline.pending()).isEqualTo(3);

      sim.faults().refuseConnections(false);
      sim.faults().failNext(FdmsRoute.SUBMIT_RECEIPT, 1, 500).failNext(FdmsRoute.SUBMIT_RECEIPT, 1, 502);
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BACKOFF);
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BACKOFF);
      // the answer is lost after FDMS committed: the identical receipt goes again and FDMS recognises it
      sim.faults().dropAnswerNext(FdmsRoute.SUBMIT_RECEIPT, 1);
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BACKOFF);
      agent.core().closeDay();
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
      assertThat(ZimraSync.status(state).offlineSince()).isNull();
    }
    assertThat(sim.receipts(DEVICE, 1)).extracting(FdmsReceiptView::receiptGlobalNo).containsExactly(1, 2, 3, 4);
    assertThat(sim.receipts(DEVICE, 1)).allSatisfy(v -> assertThat(v.validationErrors()).isEmpty());
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
  }

  @Test
  void aRunStoppedMidwaySettlesWhatWentBeforeAndResendsTheRestInOrder() throws Exception {
    register();
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      agent.core().openDay();
      for (int i = 0; i < 6; i++) {
        agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00"));
      }
      // the fourth receipt of the pipelined run fails: the three before it are settled, nothing after it is sent
      sim.faults().passNext(FdmsRoute.SUBMIT_RECEIPT, 3).failNext(FdmsRoute.SUBMIT_RECEIPT, 1, 500);
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BACKOFF);
      assertThat(sim.receipts(DEVICE, 1)).extracting(FdmsReceiptView::receiptGlobalNo).containsExactly(1, 2, 3);
      assertThat(Outbox.pending(state, "zimra", 10)).extracting(m -> m.receiptId()).containsExactly(4L, 5L, 6L);
      assertThat(Outbox.pending(state, "zimra", 10).get(0).attempts()).isEqualTo(1);
      assertThat(ZimraSync.status(state).lastSentGlobalNo()).isEqualTo(3);

      // FDMS commits the fifth but its answer is lost: it stays pending here and its identical resend is recognised
      sim.faults().passNext(FdmsRoute.SUBMIT_RECEIPT, 1).dropAnswerNext(FdmsRoute.SUBMIT_RECEIPT, 1);
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BACKOFF);
      assertThat(sim.receipts(DEVICE, 1)).extracting(FdmsReceiptView::receiptGlobalNo).containsExactly(1, 2, 3, 4, 5);
      assertThat(Outbox.pending(state, "zimra", 10)).extracting(m -> m.receiptId()).containsExactly(5L, 6L);

      agent.core().closeDay();
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
      assertThat(Outbox.pending(state, "zimra", 10)).isEmpty();
      for (long id = 1; id <= 6; id++) {
        String response = Outbox.latestForReceipt(state, id).orElseThrow().response();
        assertThat(CanonicalJson.read(response).path("serverSignatureVerified").asBoolean()).isTrue();
      }
    }
    assertThat(sim.receipts(DEVICE, 1)).extracting(FdmsReceiptView::receiptGlobalNo)
        .containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(sim.receipts(DEVICE, 1)).allSatisfy(v -> assertThat(v.validationErrors()).isEmpty());
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
  }

  @Test
  void aRestartMidSyncSendsNothingTwiceAndSkipsNothing() throws Exception {
    register();
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      agent.core().openDay();
      for (int i = 0; i < 4; i++) {
        agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00"));
      }
      sim.faults().dropAnswerNext(FdmsRoute.SUBMIT_RECEIPT, 1);
      try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), true, clock)) {
        ZimraSync sync = new ZimraSync(state, client, ZimraState.requireSettings(state),
            (ZimraProfile) agent.core().profile(), clock, Duration.ofMillis(20), 500);
        assertThat(sync.step(true)).isEqualTo(ZimraSync.Step.PROGRESS); // openDay
        assertThat(sync.step(true)).isEqualTo(ZimraSync.Step.BACKOFF);  // receipt 1 committed, answer lost
      }
    }
    // a new process: the journal and outbox are all it knows
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      agent.core().closeDay();
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
    }
    List<FdmsReceiptView> received = sim.receipts(DEVICE, 1);
    assertThat(received).extracting(FdmsReceiptView::receiptGlobalNo).containsExactly(1, 2, 3, 4);
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
  }

  @Test
  void theCertificateIsRenewedOverMutualTlsAndUsedAfterwards() throws Exception {
    register();
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      var renewed = ZimraOnboarding.renewCertificate(agent, clock);
      assertThat(sim.deviceCertificates(DEVICE)).hasSize(2);
      assertThat(renewed.get("thumbprint")).isEqualTo(ZimraDevice.thumbprint(sim.deviceCertificates(DEVICE).get(1)));
      agent.core().openDay();
      agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00"));
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
    }
    assertThat(sim.receipts(DEVICE, 1)).hasSize(1);
  }
}
