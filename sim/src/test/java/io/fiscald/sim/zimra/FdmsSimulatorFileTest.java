package io.fiscald.sim.zimra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.sim.zimra.TestDevice.Resp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offline mode (sheet §15) over real mutual TLS: DEV01 for an Offline device on the online day routes, FILE03
 * for an Online device on the file routes, day files processed in fileSequence order with the receipt rules,
 * receipts deduplicated, and the footer checked like a closeDay (MissingReceipts, CountersMismatch).
 */
class FdmsSimulatorFileTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String OPENED = "2026-03-02T08:00:00";
  MutableClock clock;
  FdmsSimulator sim;
  TestDevice offline;

  @BeforeEach
  void start() throws Exception {
    clock = new MutableClock(LocalDateTime.of(2026, 3, 2, 10, 0), ZoneId.of("Africa/Harare"));
    sim = FdmsSimulator.start(FdmsSimulator.Options.builder().clock(clock).closeDelay(Duration.ofMillis(20))
        .maxFileBytes(40_000).build());
    offline = new TestDevice(sim, FdmsDevice.builder(40001, "SN-OFF", "AbC12345").model("Server", "v1")
        .operatingMode(FdmsDevice.OFFLINE).build()).register();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  /** {@code n} signed and chained invoices of day 1 (not submitted). */
  List<ObjectNode> receipts(TestDevice dev, int n) throws Exception {
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(dev.sign(dev.receipt("FiscalInvoice", "2026-03-02T09:0" + i + ":00", i + ".00", "INV-" + i)));
    }
    return out;
  }

  static ObjectNode file(TestDevice dev, int dayNo, int sequence, List<ObjectNode> receipts, ObjectNode close) {
    ObjectNode f = TestDevice.M.createObjectNode();
    f.putObject("header").put("deviceID", dev.deviceID).put("fiscalDayNo", dayNo).put("fiscalDayOpened", OPENED)
        .put("fileSequence", sequence);
    if (receipts != null) {
      f.putObject("content").putArray("receipts").addAll(receipts);
    }
    if (close != null) {
      ObjectNode footer = close.deepCopy();
      footer.remove("fiscalDayNo");
      footer.put("fiscalDayClosed", "2026-03-02T09:30:00");
      f.set("footer", footer);
    }
    return f;
  }

  static JsonNode fileStatus(TestDevice dev, String operationID) throws Exception {
    Resp r = dev.get(dev.dev("SubmittedFileList") + "?Offset=0&Limit=10&OperationID=" + operationID);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.body().path("rows").get(0);
  }

  JsonNode awaitProcessed(TestDevice dev, String operationID) throws Exception {
    return awaitStatus(dev, operationID, "CompleteSuccessful", "FailedWithErrors");
  }

  /** Polls SubmittedFileList over HTTPS (never under the simulator's lock) until the file reaches a status. */
  static JsonNode awaitStatus(TestDevice dev, String operationID, String... statuses) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode row = fileStatus(dev, operationID);
    while (!List.of(statuses).contains(row.path("fileProcessingStatus").asText())) {
      assertThat(System.nanoTime()).as("file %s still %s", operationID, row).isLessThan(deadline);
      Thread.sleep(50);
      row = fileStatus(dev, operationID);
    }
    return row;
  }

  @Test
  void anOfflineDeviceGetsDev01OnTheOnlineDayRoutesAndAnOnlineOneFile03OnTheFileRoutes() throws Exception {
    assertThat(offline.get(offline.dev("GetConfig")).body().path("deviceOperatingMode").asText()).isEqualTo("Offline");
    assertThat(offline.get(offline.dev("GetStatus")).body().path("errorCode").asText()).isEqualTo("DEV01");
    assertThat(offline.openDay(1, OPENED).body().path("errorCode").asText()).isEqualTo("DEV01");
    ObjectNode r = receipts(offline, 1).get(0);
    assertThat(offline.submit(r).body().path("errorCode").asText()).isEqualTo("DEV01");
    assertThat(offline.closeDay(1, "2026-03-02", List.of(r)).body().path("errorCode").asText()).isEqualTo("DEV01");

    TestDevice online = new TestDevice(sim, FdmsDevice.builder(40002, "SN-ON", "AbC12345").model("Server", "v1")
        .build()).register();
    ObjectNode f = file(online, 1, 1, receipts(online, 1), null);
    Resp refused = online.submitFile(f);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().path("errorCode").asText()).isEqualTo("FILE03");
    assertThat(online.get(online.dev("SubmittedFileList") + "?Offset=0&Limit=10").body().path("errorCode").asText())
        .isEqualTo("FILE03");
  }

  @Test
  void aDayInTwoFilesIsProcessedInSequenceOrderAndClosed() throws Exception {
    List<ObjectNode> day = receipts(offline, 4);
    ObjectNode close = offline.closeBody(1, "2026-03-02", day);
    // the second file arrives first: it waits for the first
    Resp second = offline.submitFile(file(offline, 1, 2, day.subList(2, 4), close));
    assertThat(second.status()).as(second.body().toString()).isEqualTo(200);
    awaitStatus(offline, second.body().path("operationID").asText(), "WaitingForPreviousFile");
    Resp first = offline.submitFile(file(offline, 1, 1, day.subList(0, 2), null));
    assertThat(awaitProcessed(offline, first.body().path("operationID").asText()).path("fileProcessingStatus")
        .asText()).isEqualTo("CompleteSuccessful");
    JsonNode last = awaitProcessed(offline, second.body().path("operationID").asText());
    assertThat(last.path("fileProcessingStatus").asText()).as(last.toString()).isEqualTo("CompleteSuccessful");
    assertThat(last.path("hasFooter").asBoolean()).isTrue();
    assertThat(sim.day(40001, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
    assertThat(sim.receipts(40001, 1)).extracting(FdmsReceiptView::receiptGlobalNo).containsExactly(1, 2, 3, 4);

    // the closed day takes no more files
    Resp again = offline.submitFile(file(offline, 1, 1, day.subList(0, 2), null));
    assertThat(again.body().path("errorCode").asText()).isEqualTo("FILE04");
  }

  @Test
  void aResentFileDeduplicatesItsReceipts() throws Exception {
    List<ObjectNode> day = receipts(offline, 3);
    Resp first = offline.submitFile(file(offline, 1, 1, day, null));
    awaitProcessed(offline, first.body().path("operationID").asText());
    Resp resent = offline.submitFile(file(offline, 1, 1, day, offline.closeBody(1, "2026-03-02", day)));
    JsonNode row = awaitProcessed(offline, resent.body().path("operationID").asText());
    assertThat(row.path("fileProcessingStatus").asText()).as(row.toString()).isEqualTo("CompleteSuccessful");
    assertThat(sim.receipts(40001, 1)).hasSize(3);
    assertThat(sim.day(40001, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSED);
  }

  @Test
  void aFooterWhoseCountersDoNotMatchTheReceiptsFailsWithCountersMismatch() throws Exception {
    List<ObjectNode> day = receipts(offline, 3);
    // signed correctly, but over the counters of two receipts only
    ObjectNode close = offline.closeBody(1, "2026-03-02", day.subList(0, 2));
    Resp r = offline.submitFile(file(offline, 1, 1, day, close));
    JsonNode row = awaitProcessed(offline, r.body().path("operationID").asText());
    assertThat(row.path("fileProcessingStatus").asText()).isEqualTo("FailedWithErrors");
    assertThat(row.path("fileProcessingError").asText()).isEqualTo("CountersMismatch");
    // sheet §15: the content is kept although the footer failed
    assertThat(sim.receipts(40001, 1)).hasSize(3);
    assertThat(sim.day(40001, 1).orElseThrow().status()).isEqualTo(FdmsDayView.Status.CLOSE_FAILED);
  }

  @Test
  void aMissingReceiptOrAnInvalidOneFailsTheDay() throws Exception {
    List<ObjectNode> day = receipts(offline, 3);
    ObjectNode close = offline.closeBody(1, "2026-03-02", day);
    Resp gap = offline.submitFile(file(offline, 1, 1, List.of(day.get(0), day.get(2)), close));
    JsonNode row = awaitProcessed(offline, gap.body().path("operationID").asText());
    assertThat(row.path("fileProcessingError").asText()).isEqualTo("MissingReceipts");
    assertThat(row.path("invoiceWithValidationErrors").toString()).contains("Grey");

    // the same receipt rules as submitReceipt: a total that is not the sum of the lines is Red
    TestDevice other = new TestDevice(sim, FdmsDevice.builder(40003, "SN-OFF3", "AbC12345").model("Server", "v1")
        .operatingMode(FdmsDevice.OFFLINE).build()).register();
    ObjectNode bad = other.receipt("FiscalInvoice", "2026-03-02T09:01:00", "5.00", "INV-X");
    bad.put("receiptTotal", new java.math.BigDecimal("6.00"));
    other.sign(bad);
    Resp red = other.submitFile(file(other, 1, 1, List.of(bad), other.closeBody(1, "2026-03-02", List.of(bad))));
    JsonNode redRow = awaitProcessed(other, red.body().path("operationID").asText());
    assertThat(redRow.path("fileProcessingStatus").asText()).isEqualTo("FailedWithErrors");
    assertThat(redRow.path("invoiceWithValidationErrors").toString()).contains("Red");
  }

  @Test
  void fileStructureProblemsAreRefusedAtOnce() throws Exception {
    ObjectNode f = file(offline, 1, 1, receipts(offline, 1), null);
    ((ObjectNode) f.get("header")).put("deviceID", 999);
    assertThat(offline.submitFile(f).body().path("errorCode").asText()).isEqualTo("FILE05");
    ((ObjectNode) f.get("header")).remove("fileSequence");
    assertThat(offline.submitFile(f).body().path("errorCode").asText()).isEqualTo("FILE02");
    List<ObjectNode> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(offline.receipt("FiscalInvoice", "2026-03-02T09:00:00", "1.00", "INV-BIG-" + i));
    }
    Resp big = offline.submitFile(file(offline, 1, 1, many, null));
    assertThat(big.body().path("errorCode").asText()).as(big.body().toString()).isEqualTo("FILE01");
  }
}
