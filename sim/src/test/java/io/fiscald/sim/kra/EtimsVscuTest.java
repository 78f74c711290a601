package io.fiscald.sim.kra;

import static io.fiscald.sim.kra.Sales.BHF;
import static io.fiscald.sim.kra.Sales.TIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.sim.kra.Sales.Line;
import org.junit.jupiter.api.Test;

/** The VSCU transport: VSDC path table and the rcptNo / vsdcRcptPbctDate / sdcId / mrcNo shape (sheet §15.2). */
class EtimsVscuTest extends EtimsFixture {

  @Override
  Transport transport() {
    return Transport.VSCU;
  }

  @Test
  void vscuPathsAnswerTheVscuShape() throws Exception {
    assertThat(sim.url(Transport.VSCU, EtimsEndpoint.SAVE_SALE)).endsWith("/vscu/trnsSales/saveSales");
    assertThat(sim.url(Transport.VSCU, EtimsEndpoint.INIT)).endsWith("/vscu/initializer/selectInitInfo");
    catalogue(oscu);
    EtimsTestClient.Answer sale = ok(oscu.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line(WATER, "1", "116", "B"))));
    assertThat(sale.data().path("rcptNo").asText()).isEqualTo("1");
    assertThat(sale.data().path("totRcptNo").asText()).isEqualTo("1");
    assertThat(sale.data().path("vsdcRcptPbctDate").asText()).matches("\\d{14}");
    assertThat(sale.data().path("sdcId").asText()).isEqualTo(device.sdcId());
    assertThat(sale.data().path("mrcNo").asText()).isEqualTo(device.mrcNo());
    assertThat(sale.data().has("curRcptNo")).isFalse();
    ok(oscu.post(EtimsEndpoint.SAVE_INVOICE, lookup(1)));
    assertThat(oscu.post(EtimsEndpoint.SAVE_INVOICE, lookup(2)).resultCd()).isEqualTo("922");
    ok(oscu.post(EtimsEndpoint.INVOICE_DETAILS, lookup(1)));
    assertThat(sim.branch(TIN, BHF).invoice(1).orElseThrow().transport()).isEqualTo(Transport.VSCU);
  }

  @Test
  void shapeCountersAndSuccessCodeAreSettings() throws Exception {
    sim.close();
    sim = EtimsSimulator.start(EtimsSimulator.Options.defaults().responseShape(Transport.VSCU, ResponseShape.OSCU)
        .countersAsStrings(false).successCode(Transport.VSCU, "00").successMessage("Successful"));
    DeviceInfo d = sim.registerInitialisedDevice(TIN, BHF, "SN-2");
    EtimsTestClient c = new EtimsTestClient(sim, Transport.VSCU).device(d);
    EtimsTestClient.Answer item = c.post(EtimsEndpoint.SAVE_ITEM, Sales.item(SERVICE.replace("0000003", "0000001"),
        "3", "A"));
    assertThat(item.resultCd()).isEqualTo("00");
    assertThat(item.resultMsg()).isEqualTo("Successful");
    EtimsTestClient.Answer sale = c.post(EtimsEndpoint.SAVE_SALE,
        Sales.sale(1, "T1", new Line("KE3NTNO0000001", "1", "10", "A")));
    assertThat(sale.resultCd()).isEqualTo("00");
    assertThat(sale.data().path("curRcptNo").isNumber()).isTrue();
    assertThat(sale.data().path("curRcptNo").asLong()).isEqualTo(1);
    assertThat(sale.data().path("sdcDateTime").asText()).matches("\\d{14}");
  }

  @Test
  void legacyNamesAreAliasesOnVscu() throws Exception {
    var http = oscu.http;
    var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.baseUrl(Transport.VSCU)
        + "/selectCodeList")).header("tin", TIN).header("bhfId", BHF).header("cmcKey", device.cmcKey())
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"lastReqDt\":\"20180101000000\"}")).build();
    EtimsTestClient.Answer a = EtimsTestClient.answer(http.send(req,
        java.net.http.HttpResponse.BodyHandlers.ofString()));
    ok(a);
    var unknown = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.baseUrl(Transport.OSCU)
        + "/trnsSales/saveSales")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build();
    assertThat(http.send(unknown, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }
}
