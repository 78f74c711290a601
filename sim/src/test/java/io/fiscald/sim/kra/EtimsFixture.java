package io.fiscald.sim.kra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared set-up: a simulator, a device initialised over HTTP, and helpers for the per-branch order of sheet §14. */
abstract class EtimsFixture {
  static final String WATER = "KE2NTNO0000001";
  static final String SODA = "KE2NTNO0000002";
  static final String SERVICE = "KE3NTNO0000003";

  EtimsSimulator sim;
  DeviceInfo device;
  EtimsTestClient oscu;

  EtimsSimulator.Options options() {
    return EtimsSimulator.Options.defaults();
  }

  Transport transport() {
    return Transport.OSCU;
  }

  @BeforeEach
  void startSimulator() throws Exception {
    sim = EtimsSimulator.start(options());
    sim.registerDevice(Sales.TIN, Sales.BHF, "SN-0001");
    oscu = client();
    EtimsTestClient.Answer init = oscu.post(EtimsEndpoint.INIT,
        EtimsTestClient.obj().put("tin", Sales.TIN).put("bhfId", Sales.BHF).put("dvcSrlNo", "SN-0001"));
    assertThat(init.resultCd()).as(init.text()).isEqualTo("000");
    device = sim.branch(Sales.TIN, Sales.BHF).devices().get(0);
    assertThat(init.data().path("info").path("cmcKey").asText()).isEqualTo(device.cmcKey());
    oscu.device(device);
  }

  EtimsTestClient client() {
    return new EtimsTestClient(sim, transport());
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  /** Registers water (goods, B), soda (goods, E) and a service (A), and brings 100 of each good into stock. */
  void catalogue(EtimsTestClient c) throws Exception {
    ok(c.post(EtimsEndpoint.SAVE_ITEM, Sales.item(WATER, "2", "B")));
    ok(c.post(EtimsEndpoint.SAVE_ITEM, Sales.item(SODA, "2", "E")));
    ok(c.post(EtimsEndpoint.SAVE_ITEM, Sales.item(SERVICE, "3", "A")));
    ok(c.post(EtimsEndpoint.SAVE_STOCK_IO, Sales.stockIn(1, WATER, "100")));
    ok(c.post(EtimsEndpoint.SAVE_STOCK_IO, Sales.stockIn(2, SODA, "100")));
    ok(c.post(EtimsEndpoint.SAVE_STOCK_MASTER, stockMaster(WATER, "100")));
    ok(c.post(EtimsEndpoint.SAVE_STOCK_MASTER, stockMaster(SODA, "100")));
  }

  static ObjectNode stockMaster(String itemCd, String qty) {
    return EtimsTestClient.obj().put("tin", Sales.TIN).put("bhfId", Sales.BHF).put("itemCd", itemCd)
        .put("rsdQty", new java.math.BigDecimal(qty)).put("regrId", "a").put("regrNm", "A").put("modrId", "a")
        .put("modrNm", "A");
  }

  static EtimsTestClient.Answer ok(EtimsTestClient.Answer a) {
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    assertThat(a.resultCd()).as(a.text()).isEqualTo("000");
    return a;
  }

  static ObjectNode lookup(long invcNo) {
    return EtimsTestClient.obj().put("tin", Sales.TIN).put("bhfId", Sales.BHF).put("invcNo", invcNo);
  }
}
