package io.fiscald.agent.authority.zimra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.Timestamps;
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
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Outbox;
import io.fiscald.store.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Offline-mode device (sheet §15) against the FDMS simulator over mutual TLS: receipts are issued and
 * chained locally, each closed day goes as day files through submitFile and getFileStatus, and the online
 * day routes are never called.
 */
class ZimraOfflineTest {
  static final int DEVICE = 30200;
  final Clock clock = Clock.systemUTC();

  @TempDir
  Path tmp;

  FdmsSimulator sim;
  DataDirectory dir;

  @BeforeEach
  void start() throws Exception {
    sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(Clock.system(ZoneId.of("Africa/Harare")))
        .closeDelay(Duration.ofMillis(20)).build());
    sim.addDevice(FdmsDevice.builder(DEVICE, "SN-OFF", "ABC12345").operatingMode(FdmsDevice.OFFLINE).build());
    dir = new DataDirectory(tmp.resolve("till"));
    ZimraOnboarding.Registration r = ZimraOnboarding.register(dir, TestDevice.ENV, new ZimraOnboarding.Request(DEVICE,
        "SN-OFF", Secret.ofUtf8("ABC12345"), "sandbox", sim.baseUrl(), sim.caCertificatePem(), KeyAlgorithm.EC_P256,
        "USD", null), clock);
    assertThat(r.config().offlineMode()).isTrue();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  ZimraSync sync(Agent agent, Connection state, FdmsClient client) {
    return new ZimraSync(state, client, ZimraState.requireSettings(state), (ZimraProfile) agent.core().profile(),
        clock, Duration.ofMillis(20), 500);
  }

  ZimraSync.Step drain(Agent agent, Connection state) {
    try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), true, clock)) {
      return sync(agent, state, client).drain(1000);
    }
  }

  /** Invoices, a credit note and a debit note in one closed day. */
  static List<FiscalReceipt> day(Agent agent, int invoices) {
    List<FiscalReceipt> issued = new ArrayList<>();
    agent.core().openDay();
    FiscalReceipt first = agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "2", "1.55", "517",
        "5.00")).receipt();
    issued.add(first);
    for (int i = 1; i < invoices; i++) {
      issued.add(agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "3", "1.00", "2", "3.00"))
          .receipt());
    }
    issued.add(agent.core().issue(ZimraProfileTest.sale(ReceiptType.CREDIT_NOTE, first.receiptNumber(), "1", "1.55",
        "517", "1.55")).receipt());
    agent.core().closeDay();
    return issued;
  }

  static List<String> hashes(List<FiscalReceipt> issued) {
    return issued.stream().map(f -> f.authorityFields().get(ZimraReceipts.HASH)).toList();
  }

  void assertNoOnlineDayCalls() {
    for (FdmsRoute route : List.of(FdmsRoute.OPEN_DAY, FdmsRoute.SUBMIT_RECEIPT, FdmsRoute.CLOSE_DAY,
        FdmsRoute.GET_STATUS)) {
      assertThat(sim.calls(route)).as(route.name()).isZero();
    }
  }

  @Test
  void aWholeOfflineDayGoesAsOneFileAndIsAccepted() throws Exception {
    List<FiscalReceipt> issued;
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      agent.core().openDay();
      agent.core().issue(ZimraProfileTest.sale(ReceiptType.INVOICE, null, "1", "2.00", "2", "2.00"));
      // an open day is never sent: only closed days go into a file (SPEC §2.4)
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
      assertThat(sim.calls(FdmsRoute.SUBMIT_FILE)).isZero();
      agent.core().closeDay();
      issued = day(agent, 3);

      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
      ZimraSync.Status status = ZimraSync.status(state);
      assertThat(status.pending()).isZero();
      assertThat(status.closedDayOnServer()).isEqualTo(2);
      assertThat(status.offlineFiles().get("acceptedDay")).isEqualTo(2L);
      String answer = Outbox.latestForReceipt(state, 2).orElseThrow().response();
      assertThat(CanonicalJson.read(answer).path("fileSequence").asInt()).isEqualTo(1);
      assertThat(CanonicalJson.read(answer).path("fiscalDayNo").asInt()).isEqualTo(2);
    }
    assertNoOnlineDayCalls();
    assertThat(sim.calls(FdmsRoute.SUBMIT_FILE)).isEqualTo(2);
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
    FdmsDayView day2 = sim.day(DEVICE, 2).orElseThrow();
    assertThat(day2.status()).isEqualTo(FdmsDayView.Status.CLOSED);
    assertThat(day2.closingErrorCode()).isNull();
    List<FdmsReceiptView> received = sim.receipts(DEVICE, 2);
    assertThat(received).extracting(FdmsReceiptView::receiptGlobalNo).containsExactly(2, 3, 4, 5);
    assertThat(received).extracting(FdmsReceiptView::hash).containsExactlyElementsOf(hashes(issued));
    assertThat(received).allSatisfy(v -> assertThat(v.validationErrors()).isEmpty());
    assertThat(received.get(3).receiptType()).isEqualTo("CreditNote");
  }

  @Test
  void aBigDayIsSplitIntoSeveralFilesWithTheFooterOnlyInTheLast() throws Exception {
    List<FiscalReceipt> issued;
    List<ZimraDayFile.Part> parts;
    int limit = 4000;
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      ZimraState.saveSettings(state, ZimraState.requireSettings(state)
          .withOfflineFiles(ZimraSettings.FileTransport.MULTIPART, limit), Timestamps.format(clock.instant()));
      issued = day(agent, 8);
      parts = ZimraDayFile.build(state, ZimraState.requireSettings(state), DEVICE, 1, limit);
      assertThat(parts.size()).isGreaterThanOrEqualTo(3);
      assertThat(parts).allSatisfy(p -> assertThat(p.bytes()).isLessThanOrEqualTo(limit));
      assertThat(parts).extracting(ZimraDayFile.Part::fileSequence)
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, parts.size()).boxed().toList());
      for (ZimraDayFile.Part p : parts) {
        JsonNode file = CanonicalJson.read(new String(Base64.getDecoder().decode(p.base64()), StandardCharsets.UTF_8));
        assertThat(file.path("header").path("fileSequence").asInt()).isEqualTo(p.fileSequence());
        assertThat(file.path("header").path("deviceID").asInt()).isEqualTo(DEVICE);
        assertThat(file.has("footer")).isEqualTo(p == parts.get(parts.size() - 1));
        assertThat(file.path("content").path("receipts").size()).isEqualTo(p.receipts());
      }
      JsonNode last = CanonicalJson.read(new String(Base64.getDecoder().decode(parts.get(parts.size() - 1).base64()),
          StandardCharsets.UTF_8));
      assertThat(last.path("footer").path("receiptCounter").asInt()).isEqualTo(9);
      assertThat(last.path("footer").path("fiscalDayClosed").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
      assertThat(parts.stream().mapToInt(ZimraDayFile.Part::receipts).sum()).isEqualTo(9);
      // rebuilt byte for byte: what a restart resends is what was sent
      assertThat(ZimraDayFile.build(state, ZimraState.requireSettings(state), DEVICE, 1, limit))
          .extracting(ZimraDayFile.Part::sha256).containsExactlyElementsOf(parts.stream()
              .map(ZimraDayFile.Part::sha256).toList());

      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
      assertThat(ZimraSync.status(state).pending()).isZero();
    }
    assertNoOnlineDayCalls();
    assertThat(sim.calls(FdmsRoute.SUBMIT_FILE)).isEqualTo(parts.size());
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
    assertThat(sim.receipts(DEVICE, 1)).extracting(FdmsReceiptView::hash).containsExactlyElementsOf(hashes(issued));
  }

  @Test
  void aFileFdmsRejectsIsSurfacedAndGoesThroughOnceFixed() throws Exception {
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      day(agent, 2);
      String zReport = FiscalDays.get(state, 1).orElseThrow().zReport();
      // tampered counters: the day signature no longer matches them
      String tampered = zReport.replace("\\\"fiscalCounterValue\\\":\\\"3.10\\\"",
          "\\\"fiscalCounterValue\\\":\\\"3.20\\\"");
      assertThat(tampered).isNotEqualTo(zReport);
      setZReport(state, tampered);

      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BLOCKED);
      ZimraSync.Status status = ZimraSync.status(state);
      assertThat(status.closingErrorCode()).isEqualTo("BadCertificateSignature");
      assertThat(status.blockedReason()).contains("BadCertificateSignature").contains("fiscal day 1");
      assertThat(status.pending()).isEqualTo(3);
      @SuppressWarnings("unchecked")
      Map<String, Object> file = ((List<Map<String, Object>>) status.offlineFiles().get("files")).get(0);
      assertThat(file.get("state")).isEqualTo("FAILED");
      assertThat(file.get("error")).isEqualTo("BadCertificateSignature");
      assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSE_FAILED);
      // blocked: nothing more is sent until a technician acts
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BLOCKED);
      assertThat(sim.calls(FdmsRoute.SUBMIT_FILE)).isEqualTo(1);

      setZReport(state, zReport);
      try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), true, clock)) {
        ZimraSync sync = sync(agent, state, client);
        sync.clearBlock(); // fiscalctl sync --retry-rejected
        assertThat(sync.drain(1000)).isEqualTo(ZimraSync.Step.IDLE);
      }
      assertThat(ZimraSync.status(state).closingErrorCode()).isNull();
      assertThat(ZimraSync.status(state).pending()).isZero();
    }
    assertNoOnlineDayCalls();
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
    // the content of the first file was kept and the resent receipts deduplicated
    assertThat(sim.receipts(DEVICE, 1)).extracting(FdmsReceiptView::receiptGlobalNo).containsExactly(1, 2, 3);
  }

  @Test
  void anAnswerLostAfterSubmitFileIsFoundAgainAfterARestartAndNotResent() throws Exception {
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      day(agent, 2);
      sim.faults().dropAnswerNext(FdmsRoute.SUBMIT_FILE, 1);
      try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), true, clock)) {
        assertThat(sync(agent, state, client).step(true)).isEqualTo(ZimraSync.Step.BACKOFF);
      }
      assertThat(ZimraSync.status(state).offlineFiles().toString()).contains("SUBMITTING");
    }
    // a new process: only the database says a file may be on its way
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
      assertThat(ZimraSync.status(state).closedDayOnServer()).isEqualTo(1);
      assertThat(ZimraSync.status(state).pending()).isZero();
    }
    assertThat(sim.calls(FdmsRoute.SUBMIT_FILE)).isEqualTo(1);
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
    assertThat(sim.receipts(DEVICE, 1)).hasSize(3);
  }

  @Test
  void aRestartBetweenSubmitFileAndGetFileStatusPollsTheSameFile() throws Exception {
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      day(agent, 2);
      try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), true, clock)) {
        assertThat(sync(agent, state, client).step(true)).isEqualTo(ZimraSync.Step.PROGRESS); // submitFile only
      }
      assertThat(ZimraSync.status(state).offlineFiles().toString()).contains("SUBMITTED");
    }
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
      assertThat(ZimraSync.status(state).closedDayOnServer()).isEqualTo(1);
    }
    assertThat(sim.calls(FdmsRoute.SUBMIT_FILE)).isEqualTo(1);
    assertThat(sim.calls(FdmsRoute.SUBMITTED_FILE_LIST)).isPositive();
    assertThat(sim.day(DEVICE, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
    assertNoOnlineDayCalls();
  }

  @Test
  void aDayFdmsClosedOnItsPortalIsAcceptedByATechnicianJournalledAndTheNextDayGoesThrough() throws Exception {
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock);
        Connection state = agent.newStateConnection()) {
      day(agent, 2);
      // refused: nothing blocks the queue yet
      assertThatThrownBy(() -> ZimraDayAcceptance.accept(agent, 1, "portal", clock))
          .isInstanceOf(FiscalException.class).hasMessageContaining("not blocked by FILE04");
      // the technician exported day 1 and uploaded it on the FDMS portal; FDMS closed the day from that upload
      ZimraSettings settings = ZimraState.requireSettings(state);
      for (ZimraDayFile.Part p : ZimraDayFile.build(state, settings, DEVICE, 1, settings.offlineFileMaxBytes())) {
        sim.uploadOnPortal(DEVICE, p.base64());
      }
      sim.awaitDayStatus(DEVICE, 1, FdmsDayView.Status.CLOSED, Duration.ofSeconds(30));

      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BLOCKED);
      assertThat(ZimraSync.status(state).closingErrorCode()).isEqualTo("FILE04");
      assertThat(ZimraSync.status(state).blockedReason()).contains("zimra accept-day --day 1");
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.BLOCKED);
      assertThat(ZimraSync.status(state).pending()).isEqualTo(3);
      long entries = journalCount(state);

      // refused: another day, no reason
      assertThatThrownBy(() -> ZimraDayAcceptance.accept(agent, 2, "portal", clock))
          .isInstanceOf(FiscalException.class).hasMessageContaining("day 2 is not blocked");
      assertThatThrownBy(() -> ZimraDayAcceptance.accept(agent, 1, " ", clock))
          .isInstanceOf(FiscalException.class).hasMessageContaining("reason");
      assertThat(journalCount(state)).isEqualTo(entries);
      assertThat(ZimraSync.status(state).pending()).isEqualTo(3);

      Map<String, Object> done = ZimraDayAcceptance.accept(agent, 1, "uploaded on the portal, ref 4471", clock);
      assertThat(done.get("receipts")).isEqualTo(3);
      assertThat(journalCount(state)).isEqualTo(entries + 1);
      assertThat(lastJournalEntry(state)).startsWith("AUTHORITY_DAY_ACCEPTED").contains("ref 4471")
          .contains("\"fiscalDayNo\":1");
      ZimraSync.Status status = ZimraSync.status(state);
      assertThat(status.pending()).isZero();
      assertThat(status.blockedReason()).isNull();
      assertThat(status.closedDayOnServer()).isEqualTo(1);

      day(agent, 1); // day 2 goes as usual
      assertThat(drain(agent, state)).isEqualTo(ZimraSync.Step.IDLE);
      assertThat(ZimraSync.status(state).closedDayOnServer()).isEqualTo(2);
      assertThat(ZimraSync.status(state).pending()).isZero();
      assertThat(io.fiscald.agent.audit.JournalAuditor.audit(state).ok()).isTrue();
    }
    assertThat(sim.day(DEVICE, 2).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
    assertThat(sim.calls(FdmsRoute.SUBMIT_FILE)).isEqualTo(2);
    assertNoOnlineDayCalls();
  }

  static long journalCount(Connection c) throws Exception {
    try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM journal");
        java.sql.ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String lastJournalEntry(Connection c) throws Exception {
    try (PreparedStatement st = c.prepareStatement("SELECT kind || ' ' || payload FROM journal ORDER BY seq DESC LIMIT 1");
        java.sql.ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void setZReport(Connection c, String zReport) throws Exception {
    try (PreparedStatement st = c.prepareStatement("UPDATE fiscal_days SET z_report = ? WHERE day_no = 1")) {
      st.setString(1, zReport);
      assertThat(st.executeUpdate()).isEqualTo(1);
    }
  }
}
