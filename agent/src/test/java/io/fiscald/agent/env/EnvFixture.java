package io.fiscald.agent.env;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraProfile;
import io.fiscald.agent.authority.kra.KraRegistrar;
import io.fiscald.agent.authority.kra.KraRegistration;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.backup.BackupManager;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DataRoot;
import io.fiscald.agent.device.DeviceInitializer;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.Transport;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.store.Database;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A data root with a sandbox and a production KRA device, both registered for real against the eTIMS
 * simulator on loopback. The simulator is a sandbox test double, so the production device is
 * registered in sandbox and then given what a production registration leaves behind: environment
 * production and KRA's production HTTPS URL (no call is made to it: the switch only reads state).
 */
public final class EnvFixture implements AutoCloseable {
  static final String PIN = "P051234567X";
  static final String PRODUCTION_URL = "https://etims-api.kra.go.ke/etims-api";

  final EtimsSimulator sim;
  public final DataRoot root;
  public final Clock clock = Clock.systemUTC();
  /** The master key and test mode: what registering against the simulator needs. */
  final Map<String, String> registerEnv = TestDevice.ENV;
  /** The master key without test mode: what a production switch needs. */
  public final Map<String, String> env;

  public EnvFixture(Path dir) {
    try {
      sim = EtimsSimulator.start(EtimsSimulator.Options.defaults());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    sim.registerTaxpayer(PIN, "Demo Shop Ltd");
    root = new DataRoot(dir);
    Map<String, String> e = new HashMap<>(TestDevice.ENV);
    e.remove("FISCALD_TEST_MODE");
    env = Map.copyOf(e);
  }

  public DataDirectory sandbox() {
    return root.environment(DataRoot.SANDBOX);
  }

  public DataDirectory production() {
    return root.environment(DataRoot.PRODUCTION);
  }

  /** Registers the sandbox device and makes sandbox the active environment. */
  public EnvFixture withSandbox() {
    register(sandbox(), "SN-SBX-0001");
    root.writeActive(DataRoot.SANDBOX);
    return this;
  }

  /** Registers the production device and gives it production's environment and URL. */
  public EnvFixture withProduction() {
    initialiseAsProduction(production());
    register(production(), "SN-PRD-0001");
    promote(production(), PRODUCTION_URL);
    return this;
  }

  void register(DataDirectory dir, String serial) {
    sim.registerDevice(PIN, "00", serial);
    KraConfig config = KraConfig.of(PIN, "00", serial, "sandbox", "vscu", sim.baseUrl(Transport.VSCU))
        .withTrackStock(true); // eTIMS refuses sales of items with no stock
    KraRegistrar.register(dir, registerEnv, new KraRegistration(config, null, null, null, null, false), clock);
  }

  /**
   * The device row a production registration writes, signed into entry 1 (the audit compares the two, so it
   * cannot be patched afterwards); registration then finds the device and only adds eTIMS's keys and codes.
   */
  void initialiseAsProduction(DataDirectory dir) {
    try {
      Files.createDirectories(dir.root());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    try (Connection c = Database.openForWriting(dir.database())) {
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(registerEnv),
          registerEnv)));
      DeviceInitializer.init(c, secrets, KraProfile.NAME, "KRA-" + PIN + "-00", DataRoot.PRODUCTION,
          KeyAlgorithm.EC_P256, DeviceSettings.defaults(), clock);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** What registering with --env production against {@code url} stores in the KRA settings. */
  void promote(DataDirectory dir, String url) {
    try (Connection c = Database.openForWriting(dir.database())) {
      KraConfig config = KraState.requireConfig(c).with(Map.of("environment", "production", "baseUrl", url));
      KraState.putConfig(c, config, "2026-01-01T00:00:00Z");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  public void backup(DataDirectory dir) {
    BackupManager.create(dir, dir.backups(), 0, clock);
  }

  Agent open(DataDirectory dir) {
    return Agent.open(dir, env, clock);
  }

  FiscaldConfig config() {
    return FiscaldConfig.defaults(env);
  }

  @Override
  public void close() {
    sim.close();
  }
}
