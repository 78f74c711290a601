package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraLabel;
import io.fiscald.agent.authority.kra.KraReceiptText;
import io.fiscald.agent.authority.kra.KraRegistrar;
import io.fiscald.agent.authority.kra.KraRegistration;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.print.PrintWorker;
import io.fiscald.agent.print.PrinterProfiles;
import io.fiscald.agent.sync.SyncWorker;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.port.PortSpec;
import io.fiscald.hal.port.SerialSettings;
import io.fiscald.hal.print.EscPosPrinter;
import io.fiscald.sim.kra.AcceptedInvoice;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.Transport;
import io.fiscald.sim.printer.PaperRoll;
import io.fiscald.sim.printer.PrinterEmulator;
import io.fiscald.store.Database;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OSCU signs only online (sheet §15.2), through the real daemon API, the eTIMS simulator and an ESC/POS printer
 * emulator on loopback: {@code POST /v1/receipts} answers after the commit and carries the SCU data when eTIMS
 * signs within the wait, else says PENDING and the webhook and GET carry it later; the printer gets the receipt
 * only once signed (a provisional slip first when configured), and a refusal never prints as a tax invoice.
 */
class KraSignatureDaemonTest {
  static final String PIN = "P051234567X";
  static final String SERIAL = "SN-KRA-0001";
  static final Duration PATIENCE = Duration.ofSeconds(60);
  static final SyncWorker.Settings PACING = new SyncWorker.Settings(Duration.ofSeconds(30), Duration.ofMillis(50),
      Duration.ofMillis(200), Duration.ofHours(1));

  final Clock clock = Clock.systemUTC();
  @TempDir Path tmp;
  HttpServer receiver;
  final List<JsonNode> events = new ArrayList<>();
  EtimsSimulator sim;
  PrinterEmulator paper;
  Daemon daemon;
  ApiClient client;
  String cashier;
  String technician;
  String admin;

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", ex -> {
      JsonNode event = ApiClient.JSON.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      synchronized (events) {
        events.add(event);
        events.notifyAll();
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
    sim = EtimsSimulator.start(EtimsSimulator.Options.defaults());
    paper = new PrinterEmulator().listenOnTcp("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
    receiver.stop(0);
    sim.close();
    paper.close();
  }

  /** A KRA device (OSCU) registered against the simulator with the given settings. */
  DataDirectory device(Map<String, ?> settings) {
    sim.registerDevice(PIN, "00", SERIAL);
    sim.registerTaxpayer(PIN, "Demo Shop Ltd");
    DataDirectory dir = new DataDirectory(tmp.resolve("till"));
    Map<String, Object> all = new java.util.HashMap<>(Map.of("callTimeoutSeconds", 5, "trackStock", true));
    all.putAll(settings);
    KraConfig config = KraConfig.of(PIN, "00", SERIAL, "sandbox", "oscu", sim.baseUrl(Transport.OSCU)).with(all);
    KraRegistrar.register(dir, TestDevice.ENV, new KraRegistration(config, null, null, null, null, false), clock);
    return dir;
  }

  /** Serves {@code dir} as fiscalctl serve does with a printer: print worker, sync worker, webhooks. */
  void serve(DataDirectory dir) throws Exception {
    try (Connection c = Database.openForWriting(dir.database())) {
      cashier = TokenService.create(c, "pos-1", Role.CASHIER, clock).token().revealUtf8();
      technician = TokenService.create(c, "tech", Role.TECHNICIAN, clock).token().revealUtf8();
      admin = TokenService.create(c, "boss", Role.ADMIN, clock).token().revealUtf8();
    }
    startDaemon(dir);
    ApiClient.Answer sub = client.post("/v1/webhooks", admin, "sub-1", "{\"url\": \"http://127.0.0.1:"
        + receiver.getAddress().getPort() + "/hook\", \"events\": [\"receipt.synced\", \"receipt.rejected\"],"
        + " \"secret\": \"a-long-shared-secret-0123456789\"}");
    assertThat(sub.status()).as("%s", sub).isEqualTo(201);
    assertThat(client.post("/v1/day/open", technician, "open-1", "").status()).isEqualTo(201);
  }

  void startDaemon(DataDirectory dir) {
    ApiConfig config = ApiConfig.defaults().withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        false).withWebhookRetry(20, Duration.ofMillis(50), Duration.ofMillis(200));
    daemon = Daemon.start(dir, TestDevice.ENV, config, agent -> {
      ApiHooks.Builder b = ApiHooks.builder(agent.device().authority());
      EscPosPrinter printer = new EscPosPrinter(paper.endpoint(), PortSpec.parse(paper.endpoint(),
          SerialSettings.DEFAULT), PrinterProfiles.forColumns(48).withTimeouts(300, 5000));
      PrintWorker worker = PrintWorker.start(agent, printer, new PrintWorker.Settings(Duration.ofMillis(50),
          Duration.ofMillis(20), Duration.ofMillis(200)), null);
      b.worker(worker);
      // the sync worker polls rarely here: a receipt is sent at once only because the API nudges it
      assertThat(AuthorityWorkers.install(b, agent, PACING, clock, worker::wake)).isNotNull();
      return b.build();
    }, clock);
    client = new ApiClient(daemon.server().baseUri());
  }

  JsonNode sell(String key, String body) {
    ApiClient.Answer a = client.post("/v1/receipts", cashier, key, body);
    assertThat(a.status()).as("%s", a).isEqualTo(201);
    return a.json();
  }

  JsonNode get(String number) {
    ApiClient.Answer a = client.get("/v1/receipts/" + number, cashier);
    assertThat(a.status()).as("%s", a).isEqualTo(200);
    return a.json();
  }

  void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      synchronized (events) {
        events.wait(50);
      }
    }
  }

  JsonNode awaitEvent(String what, Predicate<JsonNode> match) throws InterruptedException {
    JsonNode[] found = new JsonNode[1];
    await(what, () -> {
      synchronized (events) {
        found[0] = events.stream().filter(match).findFirst().orElse(null);
        return found[0] != null;
      }
    });
    return found[0];
  }

  static Predicate<JsonNode> event(String type, String receiptNumber) {
    return e -> type.equals(e.path("type").asText())
        && receiptNumber.equals(e.path("data").path("receiptNumber").asText());
  }

  /** The QR codes the printer drew, in order. */
  List<String> qrCodes() {
    List<String> out = new ArrayList<>();
    for (PaperRoll.Item item : paper.roll().items()) {
      if (item instanceof PaperRoll.QrCode q) {
        out.add(q.data());
      } else if (item instanceof PaperRoll.Raster r && r.qrText() != null) {
        out.add(r.qrText());
      }
    }
    return out;
  }

  /** The SCU data in {@code fiscalSignature} is eTIMS's answer for {@code invcNo}, field by field. */
  void assertSigned(JsonNode fiscal, long invcNo, String receiptNumber) {
    AcceptedInvoice inv = sim.branch(PIN, "00").invoice(invcNo).orElseThrow();
    assertThat(inv.trdInvcNo()).isEqualTo(receiptNumber);
    assertThat(fiscal.path("state").asText()).as("%s", fiscal).isEqualTo("SIGNED");
    assertThat(fiscal.path("sdcId").asText()).isEqualTo(inv.sdcId());
    assertThat(fiscal.path("invcNo").asLong()).isEqualTo(invcNo);
    assertThat(fiscal.path("cuInvoiceNo").asText()).isEqualTo(inv.sdcId() + "/" + inv.curRcptNo())
        .isEqualTo(inv.cuInvoiceNo());
    assertThat(fiscal.path("curRcptNo").asLong()).isEqualTo(inv.curRcptNo());
    assertThat(fiscal.path("totRcptNo").asLong()).isEqualTo(inv.totRcptNo());
    assertThat(fiscal.path("receiptCounter").asText()).isEqualTo(inv.curRcptNo() + "/" + inv.totRcptNo() + " NS");
    assertThat(fiscal.path("internalData").asText()).isEqualTo(inv.intrlData());
    assertThat(fiscal.path("receiptSignature").asText()).isEqualTo(inv.rcptSign());
    assertThat(fiscal.path("scuDateTime").asText()).isEqualTo(inv.sdcDateTime());
    assertThat(fiscal.path("qrUrl").asText()).isEqualTo(
        "https://etims-sbx.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData?Data=" + PIN + "00"
            + inv.rcptSign());
  }

  /** The printed receipt of a signed sale: the eTIMS layout with its SCU block and QR code. */
  void assertPrintedSigned(String printed, long invcNo) {
    AcceptedInvoice inv = sim.branch(PIN, "00").invoice(invcNo).orElseThrow();
    assertThat(printed).contains("TAX INVOICE").contains("PIN: " + PIN).contains("SCU INFORMATION")
        .contains("SCU ID: " + inv.sdcId()).contains("CU INVOICE NO.: " + inv.cuInvoiceNo())
        .contains("RECEIPT NUMBER: " + inv.curRcptNo() + "/" + inv.totRcptNo() + " NS")
        .contains(KraReceiptText.dashed(inv.intrlData())).contains(KraReceiptText.dashed(inv.rcptSign()))
        .contains("TIS INFORMATION").doesNotContain(KraLabel.WATERMARK).doesNotContain("PROVISIONAL");
    assertThat(qrCodes()).contains("https://etims-sbx.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData?Data="
        + PIN + "00" + inv.rcptSign());
  }

  @Test
  void whenEtimsSignsWithinTheWaitTheAnswerCarriesTheScuDataAndTheReceiptPrintsWithIt() throws Exception {
    serve(device(Map.of("signatureWaitMillis", 30_000)));
    JsonNode answer = sell("sale-1", ApiFixture.SALE);
    String number = answer.path("receiptNumber").asText();
    assertSigned(answer.path("fiscalSignature"), 1, number);
    assertThat(answer.path("journalSeq").asLong()).isPositive();

    JsonNode view = get(number);
    assertSigned(view.path("fiscalSignature"), 1, number);
    assertThat(view.path("sync").path("state").asText()).isEqualTo("SENT");
    JsonNode synced = awaitEvent("receipt.synced", event("receipt.synced", number));
    assertThat(synced.path("data").path("answer").path("cuInvoiceNo").asText())
        .isEqualTo(answer.path("fiscalSignature").path("cuInvoiceNo").asText());
    assertThat(synced.path("data").path("answer").path("qrUrl").asText())
        .isEqualTo(answer.path("fiscalSignature").path("qrUrl").asText());

    await("the receipt printed", () -> paper.receipts().size() == 1);
    assertPrintedSigned(paper.receipts().get(0), 1);
    // the paper shows the receipt a moment before the print worker commits the job as printed
    await("the print job marked printed", () -> "PRINTED".equals(get(number).path("print").path("state").asText()));

    // a replayed key returns the answer as committed: the signature then was pending
    ApiClient.Answer replay = client.post("/v1/receipts", cashier, "sale-1", ApiFixture.SALE);
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.json().path("receiptNumber").asText()).isEqualTo(number);
    assertThat(replay.json().path("fiscalSignature").path("state").asText()).isEqualTo("PENDING");
  }

  @Test
  void aStalledEtimsAnswersPendingThenTheWebhookGetAndPrinterCarryTheSignature() throws Exception {
    serve(device(Map.of("signatureWaitMillis", 300)));
    sim.faults().stallAll(true);
    JsonNode answer = sell("sale-1", ApiFixture.SALE);
    String number = answer.path("receiptNumber").asText();
    JsonNode pending = answer.path("fiscalSignature");
    assertThat(pending.path("state").asText()).isEqualTo("PENDING");
    assertThat(pending.path("message").asText()).contains("receipt.synced");
    assertThat(pending.has("cuInvoiceNo")).isFalse();
    sim.faults().awaitStalled(1, PATIENCE); // the sale is at eTIMS, held there

    // another sale while the first waits: its job is held too, and neither prints
    String second = sell("sale-2", ApiFixture.SALE).path("receiptNumber").asText();
    JsonNode view = get(number);
    assertThat(view.path("fiscalSignature").path("state").asText()).isEqualTo("PENDING");
    assertThat(view.path("print").path("state").asText()).isEqualTo("PENDING");
    assertThat(get(second).path("print").path("state").asText()).isEqualTo("PENDING");
    assertThat(paper.receipts()).isEmpty();

    sim.faults().stallAll(false);
    JsonNode synced = awaitEvent("receipt.synced", event("receipt.synced", number));
    AcceptedInvoice inv = sim.branch(PIN, "00").invoice(1).orElseThrow();
    JsonNode stored = synced.path("data").path("answer");
    assertThat(stored.path("cuInvoiceNo").asText()).isEqualTo(inv.cuInvoiceNo());
    assertThat(stored.path("rcptSign").asText()).isEqualTo(inv.rcptSign());
    assertThat(stored.path("intrlData").asText()).isEqualTo(inv.intrlData());
    assertThat(stored.path("sdcDateTime").asText()).isEqualTo(inv.sdcDateTime());
    assertThat(stored.path("qrUrl").asText()).endsWith("Data=" + PIN + "00" + inv.rcptSign());
    assertSigned(get(number).path("fiscalSignature"), 1, number);

    await("both receipts printed", () -> paper.receipts().size() == 2);
    assertPrintedSigned(paper.receipts().get(0), 1);
    assertPrintedSigned(paper.receipts().get(1), 2);
    assertThat(paper.receipts().get(1)).contains("Invoice Number: " + second);
  }

  @Test
  void withEtimsDownAProvisionalSlipPrintsAtOnceHeldJobsSurviveARestartAndTheReceiptFollows() throws Exception {
    DataDirectory dir = device(Map.of("signatureWaitMillis", 30_000, "provisionalSlip", true));
    serve(dir);
    sim.faults().refuseConnections(true);
    long started = System.nanoTime();
    JsonNode answer = sell("sale-1", ApiFixture.SALE);
    String number = answer.path("receiptNumber").asText();
    assertThat(answer.path("fiscalSignature").path("state").asText()).isEqualTo("PENDING");
    assertThat(answer.path("fiscalSignature").path("lastError").asText()).isNotBlank();
    // a failed attempt ends the wait: the answer did not sit out the 30 s (far below it on any machine)
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));

    await("the provisional slip", () -> paper.receipts().size() == 1);
    String slip = paper.receipts().get(0);
    assertThat(slip).contains("PROVISIONAL SLIP - NOT A TAX INVOICE").contains("*** " + KraLabel.WATERMARK + " ***")
        .contains("PENDING: not yet signed").doesNotContain("CU INVOICE NO.").contains("Invoice Number: " + number);
    assertThat(qrCodes()).isEmpty();
    assertThat(get(number).path("print").path("state").asText()).isEqualTo("PENDING"); // the real one is held

    // restart while eTIMS is still down: the held job stays held, the slip is not printed again
    daemon.close();
    startDaemon(dir);
    assertThat(get(number).path("print").path("state").asText()).isEqualTo("PENDING");
    assertThat(paper.receipts()).hasSize(1);

    sim.faults().refuseConnections(false);
    // the sync worker's next poll is far off; a receipt taken now nudges it and both go out in order
    String second = sell("sale-2", ApiFixture.SALE).path("receiptNumber").asText();
    await("first receipt signed", () -> "SIGNED".equals(get(number).path("fiscalSignature").path("state").asText()));
    assertSigned(get(number).path("fiscalSignature"), 1, number);
    await("the first receipt printed after its slip", () -> signedPrintOf(number) != null);
    assertPrintedSigned(signedPrintOf(number), 1);
    assertThat(paper.receipts().get(0)).as("the slip came first").isEqualTo(slip);
    // the second may get a slip of its own if it prints before eTIMS answers; its receipt follows either way
    await("the second receipt printed signed", () -> signedPrintOf(second) != null);
    assertThat(signedPrintOf(second)).contains("CU INVOICE NO.: " + sim.branch(PIN, "00").invoice(2).orElseThrow()
        .cuInvoiceNo());
    assertThat(paper.receipts().stream().filter(p -> p.contains("Invoice Number: " + number))).hasSize(2);
  }

  /** The printed receipt of {@code number} with its SCU block, or null while none printed. */
  String signedPrintOf(String number) {
    return paper.receipts().stream().filter(p -> p.contains("Invoice Number: " + number)
        && p.contains("CU INVOICE NO.")).findFirst().orElse(null);
  }

  @Test
  void aRefusedReceiptIsAnsweredAsRejectedAndNeverPrintedAsATaxInvoice() throws Exception {
    // no stock tracking: the simulator refuses a sale of goods without stock (910)
    serve(device(Map.of("signatureWaitMillis", 30_000, "trackStock", false)));
    JsonNode answer = sell("sale-1", ApiFixture.SALE);
    String number = answer.path("receiptNumber").asText();
    JsonNode fiscal = answer.path("fiscalSignature");
    assertThat(fiscal.path("state").asText()).as("%s", fiscal).isEqualTo("REJECTED");
    assertThat(fiscal.path("error").asText()).contains("910");
    awaitEvent("receipt.rejected", event("receipt.rejected", number));
    assertThat(get(number).path("fiscalSignature").path("state").asText()).isEqualTo("REJECTED");

    await("the refusal slip", () -> paper.receipts().size() == 1);
    assertThat(paper.receipts().get(0)).contains("REFUSED BY KRA - NOT A TAX INVOICE").contains("REFUSED BY KRA: ")
        .contains("910").contains(KraLabel.WATERMARK).doesNotContain("CU INVOICE NO.").doesNotContain("SCU ID");
    assertThat(qrCodes()).isEmpty();
  }

  @Test
  void aTrainingReceiptFromTheApiIsNotSentAndPrintsAtOnceWatermarked() throws Exception {
    serve(device(Map.of("signatureWaitMillis", 30_000)));
    sim.faults().refuseConnections(true); // eTIMS is not needed for it
    JsonNode answer = sell("training-1", ApiFixture.SALE.replace("{\"currency\"", "{\"mode\": \"TRAINING\","
        + " \"currency\""));
    String number = answer.path("receiptNumber").asText();
    assertThat(answer.path("fiscalSignature").path("state").asText()).isEqualTo("NOT_SENT");
    JsonNode view = get(number);
    assertThat(view.path("receipt").path("mode").asText()).isEqualTo("TRAINING");
    assertThat(view.path("receipt").path("authorityFields").path("etimsLabel").asText()).isEqualTo("TS");
    assertThat(view.path("sync").path("state").asText()).isEqualTo("NOT_REQUIRED");
    await("the training receipt printed", () -> paper.receipts().size() == 1);
    assertThat(paper.receipts().get(0)).contains("TRAINING (TS)").contains("*** " + KraLabel.WATERMARK + " ***")
        .contains("NOT SENT TO KRA: training document").doesNotContain("CU INVOICE NO.");
    sim.faults().refuseConnections(false);
    assertThat(sim.branch(PIN, "00").invcNos()).isEmpty();
  }
}
