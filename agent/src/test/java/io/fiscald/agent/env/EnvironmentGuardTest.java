package io.fiscald.agent.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.KraRuntime;
import io.fiscald.agent.config.ConfigCheck;
import io.fiscald.agent.config.ConfigFinding;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DataRoot;
import io.fiscald.agent.device.EnvironmentGuard;
import io.fiscald.agent.testing.TestDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production and sandbox material never mix; how a data directory resolves to one environment's device. */
class EnvironmentGuardTest {
  @TempDir Path tmp;

  @Test
  void productionTalksOnlyToProductionHostsOverHttps() {
    assertThat(EnvironmentGuard.problem("production", "https://fdmsapi.zimra.co.zw", false)).isNull();
    assertThat(EnvironmentGuard.problem("production", "https://etims-api.kra.go.ke/etims-api", true)).isNull();
    assertThat(EnvironmentGuard.problem("production", "https://fdmsapitest.zimra.co.zw", false)).contains("sandbox");
    assertThat(EnvironmentGuard.problem("production", "https://etims-api-sbx.kra.go.ke/etims-api", false))
        .contains("sandbox");
    assertThat(EnvironmentGuard.problem("production", "http://etims-api.kra.go.ke/etims-api", false))
        .contains("https://");
    assertThat(EnvironmentGuard.problem("production", "https://127.0.0.1:8443", true)).contains("loopback");
  }

  @Test
  void sandboxNeverTalksToProductionAndUsesTestDoublesOnlyInTestMode() {
    assertThat(EnvironmentGuard.problem("sandbox", "https://fdmsapitest.zimra.co.zw", false)).isNull();
    assertThat(EnvironmentGuard.problem("sandbox", "https://fdmsapi.zimra.co.zw", true)).contains("production host");
    assertThat(EnvironmentGuard.problem("sandbox", "https://api.kra.go.ke/v1/token/generate", true))
        .contains("production host");
    assertThat(EnvironmentGuard.problem("sandbox", "http://127.0.0.1:9000", false)).contains("test-mode");
    assertThat(EnvironmentGuard.problem("sandbox", "https://localhost:9443", false)).contains("test-mode");
    assertThat(EnvironmentGuard.problem("sandbox", "http://127.0.0.1:9000", true)).isNull();
    assertThatThrownBy(() -> EnvironmentGuard.check("zimra", "sandbox", "https://fdmsapi.zimra.co.zw", true))
        .isInstanceOfSatisfying(FiscalException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_MISMATCH);
          assertThat(e.details()).containsEntry("environment", "sandbox").containsEntry("authority", "zimra");
        });
  }

  @Test
  void theClientOfAProductionDevicePointedAtTheSimulatorIsNeverBuilt() {
    try (EnvFixture f = new EnvFixture(tmp.resolve("root")).withSandbox().withProduction()) {
      f.promote(f.production(), "http://127.0.0.1:" + 1 + "/etims"); // production material, test double URL
      try (Agent agent = Agent.open(f.production(), f.registerEnv, f.clock)) {
        assertThatThrownBy(() -> KraRuntime.attach(agent, f.clock)).isInstanceOfSatisfying(FiscalException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_MISMATCH);
              assertThat(e.getMessage()).contains("production").contains("https://");
            });
      }
      // and config check --production says so, naming the device
      List<ConfigFinding> findings = ConfigCheck.run(FiscaldConfig.defaults(f.env), f.root.path(), true);
      assertThat(findings).extracting(ConfigFinding::key).contains("device");
      assertThat(findings).filteredOn(x -> x.key().equals("device")).allSatisfy(x ->
          assertThat(x.problem()).contains("kra.baseUrl"));
    }
  }

  @Test
  void aSandboxDeviceOutOfTestModeCannotReachTheSimulator() {
    try (EnvFixture f = new EnvFixture(tmp.resolve("root")).withSandbox();
        Agent agent = f.open(f.sandbox())) {
      assertThatThrownBy(() -> KraRuntime.attach(agent, f.clock)).isInstanceOfSatisfying(FiscalException.class,
          e -> assertThat(e.getMessage()).contains("test-mode"));
    }
  }

  @Test
  void aSingleDeviceDirectoryStaysAsItIsAndADataRootFollowsItsActiveEnvironment() throws Exception {
    DataDirectory single = TestDevice.create(tmp.resolve("single"), Clock.systemUTC());
    assertThat(DataDirectory.resolve(single.root(), Map.of()).root()).isEqualTo(single.root());
    assertThatThrownBy(() -> DataDirectory.resolve(single.root(), Map.of(), "production"))
        .isInstanceOfSatisfying(FiscalException.class, e -> assertThat(e.getMessage()).contains("single device"));

    Path root = tmp.resolve("root");
    assertThat(DataDirectory.resolve(root, Map.of()).root()).as("an empty directory: a device goes in it")
        .isEqualTo(root);
    new DataRoot(root).writeActive("production");
    assertThat(DataDirectory.resolve(root, Map.of()).root()).isEqualTo(root.resolve("production"));
    assertThat(DataDirectory.resolve(null, Map.of("FISCALD_DATA_DIR", root.toString()), "sandbox").root())
        .isEqualTo(root.resolve("sandbox"));
    assertThat(new DataDirectory(root.resolve("sandbox")).configBase()).isEqualTo(root);
    assertThat(single.configBase()).isEqualTo(single.root());
    Files.writeString(root.resolve(DataRoot.ACTIVE_FILE), "staging\n");
    assertThatThrownBy(() -> DataDirectory.resolve(root, Map.of())).isInstanceOfSatisfying(FiscalException.class,
        e -> assertThat(e.getMessage()).contains("staging"));
  }
}
