package io.fiscald.agent.authority.kra;

import io.fiscald.agent.Agent;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.Transport;
import io.fiscald.store.secret.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A real eTIMS simulator on loopback and a KRA device data directory registered against it. */
final class KraSimHarness implements AutoCloseable {
  static final String PIN = "P051234567X";
  static final String SERIAL = "SN-KRA-0001";

  final EtimsSimulator sim;
  final DataDirectory dir;
  final Transport transport;
  final Clock clock = Clock.systemUTC();

  private KraSimHarness(EtimsSimulator sim, DataDirectory dir, Transport transport) {
    this.sim = sim;
    this.dir = dir;
    this.transport = transport;
  }

  static KraSimHarness start(Path root, Transport transport) throws IOException {
    return start(root, transport, EtimsSimulator.Options.defaults());
  }

  static KraSimHarness start(Path root, Transport transport, EtimsSimulator.Options options) throws IOException {
    EtimsSimulator sim = EtimsSimulator.start(options);
    sim.registerDevice(PIN, "00", SERIAL);
    sim.registerTaxpayer(PIN, "Demo Shop Ltd");
    return new KraSimHarness(sim, new DataDirectory(root), transport);
  }

  KraConfig config(Map<String, ?> changes) {
    String name = switch (transport) {
      case OSCU -> "oscu";
      case GATEWAY -> "oscu-gateway";
      case VSCU -> "vscu";
    };
    Map<String, Object> all = new HashMap<>();
    all.put("trackStock", true);
    all.put("callTimeoutSeconds", 5);
    all.put("signatureWaitMillis", 10_000);
    if (transport == Transport.GATEWAY) {
      all.put("tokenUrl", sim.tokenUrl());
    }
    all.putAll(changes);
    return KraConfig.of(PIN, "00", SERIAL, "sandbox", name, sim.baseUrl(transport)).with(all);
  }

  KraRegistrar.Registered register(Map<String, ?> changes, boolean force) {
    EtimsSimulator.Options o = sim.options();
    boolean gateway = transport == Transport.GATEWAY;
    return KraRegistrar.register(dir, TestDevice.ENV, new KraRegistration(config(changes), null,
        gateway ? o.clientId() : null, gateway ? Secret.ofUtf8(o.clientSecret()) : null,
        gateway ? o.apigeeAppId() : null, force), clock);
  }

  KraRegistrar.Registered register() {
    return register(Map.of(), false);
  }

  Agent open() {
    return Agent.open(dir, TestDevice.ENV, clock);
  }

  @Override
  public void close() {
    sim.close();
  }
}
