package io.fiscald.sim.kra;

import static io.fiscald.sim.kra.Sales.BHF;
import static io.fiscald.sim.kra.Sales.TIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.sim.kra.Sales.Line;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The Apigee gateway transport: OAuth client credentials, Bearer + apigee_app_id, HTTP 400 texts (sheet §1.2). */
class EtimsGatewayTest extends EtimsFixture {

  @Override
  EtimsSimulator.Options options() {
    return EtimsSimulator.Options.defaults().clientCredentials("key-1", "secret-1").apigeeAppId("app-1");
  }

  private String token(String id, String secret, int expectStatus) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(sim.tokenUrl() + "?grant_type=client_credentials"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes()))
        .GET().build();
    HttpResponse<String> a = oscu.http.send(r, HttpResponse.BodyHandlers.ofString());
    assertThat(a.statusCode()).as(a.body()).isEqualTo(expectStatus);
    return EtimsTestClient.JSON.readTree(a.body()).path("access_token").asText(null);
  }

  private EtimsTestClient gateway(String token) {
    EtimsTestClient c = new EtimsTestClient(sim, Transport.GATEWAY).device(device);
    if (token != null) {
      c.header("Authorization", "Bearer " + token);
    }
    return c.header("apigee_app_id", "app-1");
  }

  @Test
  void withoutTokenTheGatewayAnswers401() throws Exception {
    EtimsTestClient.Answer a = gateway(null).post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line(SERVICE, "1", "10", "A")));
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.json().path("fault").path("faultstring").asText()).containsIgnoringCase("invalid token");
    assertThat(gateway("made-up").post(EtimsEndpoint.CODE_LIST,
        EtimsTestClient.obj().put("lastReqDt", "20180101000000")).status()).isEqualTo(401);
    assertThat(sim.branch(TIN, BHF).lastInvcNo()).isZero();
  }

  @Test
  void tokenNeedsTheConfiguredClientCredentials() throws Exception {
    assertThat(token("key-1", "wrong", 401)).isNull();
    assertThat(token("key-1", "secret-1", 200)).isNotBlank();
  }

  @Test
  void withTokenAndAppIdTheGatewayServesApigeePaths() throws Exception {
    String token = token("key-1", "secret-1", 200);
    EtimsTestClient gw = gateway(token);
    assertThat(sim.url(Transport.GATEWAY, EtimsEndpoint.SAVE_SALE)).endsWith("/etims-oscu/api/v1/sendSalesTransaction");
    catalogue(gw);
    EtimsTestClient.Answer sale = ok(gw.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"))));
    assertThat(sale.data().path("curRcptNo").asText()).isEqualTo("1");
    assertThat(sim.branch(TIN, BHF).invoice(1).orElseThrow().transport()).isEqualTo(Transport.GATEWAY);

    // validation rejections come back as HTTP 400 with the readable text (sheet §1.2, §13)
    EtimsTestClient.Answer gap = gw.post(EtimsEndpoint.SAVE_SALE, Sales.sale(3, "T3", new Line(WATER, "1", "1", "B")));
    assertThat(gap.status()).isEqualTo(400);
    assertThat(gap.resultMsg()).isEqualTo("Invalid invcNo sequence, expected: 2 but found: 3");

    EtimsTestClient noApp = gateway(token);
    noApp.headers.remove("apigee_app_id");
    assertThat(noApp.post(EtimsEndpoint.INVOICE_DETAILS, lookup(1)).status()).isEqualTo(401);

    sim.expireTokens();
    EtimsTestClient.Answer expired = gw.post(EtimsEndpoint.INVOICE_DETAILS, lookup(1));
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.json().path("fault").path("faultstring").asText()).isEqualTo("Access Token expired");
    ok(gateway(token("key-1", "secret-1", 200)).post(EtimsEndpoint.INVOICE_DETAILS, lookup(1)));
  }

  @Test
  void gatewayWithoutTinSaysTinCannotBeNull() throws Exception {
    EtimsTestClient gw = new EtimsTestClient(sim, Transport.GATEWAY)
        .header("Authorization", "Bearer " + token("key-1", "secret-1", 200)).header("apigee_app_id", "app-1");
    EtimsTestClient.Answer a = gw.post(EtimsEndpoint.CODE_LIST, EtimsTestClient.obj().put("lastReqDt", "20180101000000"));
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.resultMsg()).isEqualTo("tin cannot be Null");
  }

  @Test
  void textRejectionsAndNestedEnvelopeAreSettings() throws Exception {
    sim.close();
    sim = EtimsSimulator.start(options().rejectionStyle(Transport.GATEWAY, RejectionStyle.TEXT_400)
        .gatewayNestedEnvelope(true).requireStockForGoods(false));
    device = sim.registerInitialisedDevice(TIN, BHF, "SN-7");
    EtimsTestClient gw = gateway(token("key-1", "secret-1", 200));
    JsonNode saved = gw.post(EtimsEndpoint.SAVE_ITEM, Sales.item(WATER, "2", "B")).json();
    assertThat(saved.path("responseHeader").path("responseCode").asText()).isEqualTo("000");
    assertThat(saved.path("responseBody").path("resultCd").asText()).isEqualTo("000");
    EtimsTestClient.Answer gap = gw.post(EtimsEndpoint.SAVE_SALE, Sales.sale(2, "T", new Line(WATER, "1", "1", "B")));
    assertThat(gap.status()).isEqualTo(400);
    assertThat(gap.text()).isEqualTo("Invalid invcNo sequence, expected: 1 but found: 2");
    JsonNode nested = gw.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T", new Line(WATER, "1", "1", "B"))).json();
    assertThat(nested.path("responseHeader").path("responseCode").asText()).isEqualTo("000");
    assertThat(nested.path("responseBody").path("data").path("rcptSign").asText()).hasSize(16);
    JsonNode dup = gw.post(EtimsEndpoint.SAVE_SALE, Sales.sale(1, "T", new Line(WATER, "1", "1", "B"))).json();
    assertThat(dup.path("responseHeader").path("responseCode").asText()).isEqualTo("994");
    assertThat(dup.path("responseBody").isNull()).isTrue();
  }
}
