package io.fiscald.sim.kra;

import static io.fiscald.sim.kra.Sales.BHF;
import static io.fiscald.sim.kra.Sales.TIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.sim.kra.Sales.Line;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Every fault switch, and the reconciliation a client does after a lost answer (sheet §13). */
class EtimsFaultsTest extends EtimsFixture {

  @Test
  void timeoutAfterCommitThenInvoiceDetailsShowsTheInvoice() throws Exception {
    catalogue(oscu);
    sim.faults().timeoutAfterCommit(EtimsEndpoint.SAVE_SALE, 1);
    oscu.timeout = Duration.ofMillis(500);
    assertThatThrownBy(() -> oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line(WATER, "1", "116", "B")))).isInstanceOf(HttpTimeoutException.class);
    oscu.timeout = Duration.ofSeconds(30);
    assertThat(sim.faults().fired(EtimsFaults.Kind.TIMEOUT_AFTER_COMMIT)).isEqualTo(1);

    EtimsTestClient.Answer details = ok(oscu.post(EtimsEndpoint.INVOICE_DETAILS, lookup(1)));
    var found = details.data().path("salesList").get(0);
    assertThat(found.path("invcNo").asLong()).isEqualTo(1);
    assertThat(found.path("trdInvcNo").asText()).isEqualTo("T1");
    AcceptedInvoice stored = sim.branch(TIN, BHF).invoice(1).orElseThrow();
    assertThat(found.path("receipt").path("curRcptNo").asText()).isEqualTo("1");
    assertThat(found.path("receipt").path("rcptSign").asText()).isEqualTo(stored.rcptSign());
    assertThat(found.path("receipt").path("intrlData").asText()).isEqualTo(stored.intrlData());
    assertThat(found.path("receipt").path("sdcDateTime").asText())
        .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.0");
    // replaying the same document now is a duplicate, and the next number is 2
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "1", "116", "B")))
        .resultCd()).isEqualTo("994");
    assertThat(oscu.post(EtimsEndpoint.INVOICE_DETAILS, lookup(2)).resultCd()).isEqualTo("001");
    sim.faults().releaseStalled();
  }

  @Test
  void dropAfterCommitLosesTheAnswerButKeepsTheInvoice() throws Exception {
    catalogue(oscu);
    sim.faults().dropAfterCommit(null, 1);
    assertThatThrownBy(() -> oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line(WATER, "1", "116", "B")))).isInstanceOf(IOException.class);
    assertThat(sim.branch(TIN, BHF).invcNos()).containsExactly(1L);
    assertThat(sim.requests().get(sim.requests().size() - 1).fault())
        .isEqualTo(EtimsFaults.Kind.DROP_AFTER_COMMIT);
    ok(oscu.post(EtimsEndpoint.INVOICE_DETAILS, lookup(1)));
  }

  @Test
  void serverErrorAnswers503AndProcessesNothing() throws Exception {
    catalogue(oscu);
    sim.faults().serverError(EtimsEndpoint.SAVE_SALE, 2);
    EtimsTestClient.Answer first = oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line(WATER, "1", "116", "B")));
    assertThat(first.status()).isEqualTo(503);
    assertThat(sim.faults().remaining(EtimsFaults.Kind.SERVER_ERROR)).isEqualTo(1);
    // other functions are not affected by a fault armed for SAVE_SALE
    assertThat(oscu.post(EtimsEndpoint.INVOICE_DETAILS, lookup(1)).resultCd()).isEqualTo("001");
    assertThat(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"))).status())
        .isEqualTo(503);
    assertThat(sim.branch(TIN, BHF).lastInvcNo()).isZero();
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"))));
    assertThat(sim.faults().fired(EtimsFaults.Kind.SERVER_ERROR)).isEqualTo(2);
  }

  @Test
  void duplicate994IsAnsweredWithoutCommitting() throws Exception {
    catalogue(oscu);
    sim.faults().duplicate994(EtimsEndpoint.SAVE_SALE, 1);
    EtimsTestClient.Answer dup = oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line(WATER, "1", "116", "B")));
    assertThat(dup.status()).isEqualTo(200);
    assertThat(dup.resultCd()).isEqualTo("994");
    assertThat(dup.resultMsg()).isEqualTo("There is an overlapped Data");
    // the client confirms with selectInvoiceDetails (sheet §13): not registered, so it resends the same number
    assertThat(oscu.post(EtimsEndpoint.INVOICE_DETAILS, lookup(1)).resultCd()).isEqualTo("001");
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"))));
  }

  @Test
  void stallHoldsTheCallUntilReleasedThenAnswers() throws Exception {
    catalogue(oscu);
    sim.faults().stall(EtimsEndpoint.SAVE_SALE, 1);
    CompletableFuture<HttpResponse<String>> pending = oscu.http.sendAsync(
        oscu.request(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"))),
        HttpResponse.BodyHandlers.ofString());
    sim.faults().awaitStalled(1, Duration.ofSeconds(30));
    assertThat(pending).isNotDone();
    assertThat(sim.branch(TIN, BHF).lastInvcNo()).isZero(); // held before processing
    sim.faults().releaseStalled();
    EtimsTestClient.Answer a = EtimsTestClient.answer(pending.get());
    assertThat(a.resultCd()).isEqualTo("000");
    assertThat(sim.branch(TIN, BHF).lastInvcNo()).isEqualTo(1);
  }

  @Test
  void stallAllHoldsEveryCallUntilTurnedOff() throws Exception {
    sim.faults().stallAll(true);
    CompletableFuture<HttpResponse<String>> a = oscu.http.sendAsync(oscu.request(EtimsEndpoint.CODE_LIST,
        EtimsTestClient.obj().put("lastReqDt", "20180101000000")), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> b = oscu.http.sendAsync(oscu.request(EtimsEndpoint.NOTICE_LIST,
        EtimsTestClient.obj().put("lastReqDt", "20180101000000")), HttpResponse.BodyHandlers.ofString());
    sim.faults().awaitStalled(2, Duration.ofSeconds(30));
    assertThat(a).isNotDone();
    assertThat(b).isNotDone();
    sim.faults().stallAll(false);
    assertThat(EtimsTestClient.answer(a.get()).resultCd()).isEqualTo("000");
    assertThat(EtimsTestClient.answer(b.get()).resultCd()).isEqualTo("001");
  }

  @Test
  void refusedConnectionsThenListeningAgainKeepsState() throws Exception {
    catalogue(oscu);
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"))));
    sim.faults().refuseConnections(true);
    assertThatThrownBy(() -> oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(2, "T2", new Line(WATER, "1", "116", "B")))).isInstanceOf(ConnectException.class);
    sim.faults().refuseConnections(false);
    ok(oscu.post(EtimsEndpoint.SAVE_SALE, Sales.sale(2, "T2", new Line(WATER, "1", "116", "B"))));
    assertThat(sim.branch(TIN, BHF).invcNos()).containsExactly(1L, 2L);
  }

  @Test
  void tokenErrorAnswers503OnTheTokenEndpoint() throws Exception {
    sim.faults().tokenError(1);
    HttpRequest token = HttpRequest.newBuilder(URI.create(sim.tokenUrl() + "?grant_type=client_credentials"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            "fiscald-sim-client:fiscald-sim-secret".getBytes()))
        .GET().build();
    assertThat(oscu.http.send(token, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
    HttpResponse<String> second = oscu.http.send(token, HttpResponse.BodyHandlers.ofString());
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(EtimsTestClient.JSON.readTree(second.body()).path("access_token").asText()).isNotBlank();
  }

  @Test
  void clearDisarmsFaults() throws Exception {
    sim.faults().serverError(null, 5).duplicate994(null, 5);
    sim.faults().clear();
    ok(oscu.post(EtimsEndpoint.CODE_LIST, EtimsTestClient.obj().put("lastReqDt", "20180101000000")));
    assertThat(sim.faults().fired(EtimsFaults.Kind.SERVER_ERROR)).isZero();
  }
}
