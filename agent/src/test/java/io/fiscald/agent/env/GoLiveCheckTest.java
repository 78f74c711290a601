package io.fiscald.agent.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.KraRuntime;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.store.DataDirLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The go-live routine on a sandbox KRA device against the eTIMS simulator: a skewed clock and no receipts fail. */
class GoLiveCheckTest {
  @TempDir Path tmp;

  static Map<String, GoLiveCheck.Step> byName(List<GoLiveCheck.Step> steps) {
    Map<String, GoLiveCheck.Step> m = new LinkedHashMap<>();
    steps.forEach(s -> m.put(s.name(), s));
    return m;
  }

  @Test
  void aKraDeviceWithSyncedReceiptsPassesAndASkewedClockFails() {
    try (EnvFixture f = new EnvFixture(tmp.resolve("root")).withSandbox()) {
      try (Agent agent = Agent.open(f.sandbox(), f.registerEnv, f.clock);
          KraRuntime kra = KraRuntime.attach(agent, f.clock)) {
        agent.core().openDay();
        kra.issue(TestDevice.sale("1", "116.00", "B", "116.00"));
        kra.issue(TestDevice.sale("2", "116.00", "B", "232.00"));
        kra.sync();
      }
      FiscaldConfig config = FiscaldConfig.defaults(f.registerEnv);
      Map<String, GoLiveCheck.Step> ok = byName(GoLiveCheck.run(f.sandbox(), f.root.path(), config, f.registerEnv,
          new GoLiveCheck.Options(2, false), f.clock));
      assertThat(ok.values()).allSatisfy(s -> assertThat(s.passed()).as(s.toString()).isTrue());
      assertThat(ok.get("device-initialised").detail()).contains("cmcKey sealed");
      assertThat(ok.get("clock").detail()).contains("tolerance 120 s");
      assertThat(ok.get("config-production").detail()).contains("test mode is on");

      // the till ten minutes ahead of eTIMS; and three receipts asked for where two were sent
      Clock ahead = Clock.offset(f.clock, Duration.ofMinutes(10));
      Map<String, GoLiveCheck.Step> bad = byName(GoLiveCheck.run(f.sandbox(), f.root.path(), config, f.registerEnv,
          new GoLiveCheck.Options(3, false), ahead));
      assertThat(bad.get("clock").passed()).isFalse();
      assertThat(bad.get("clock").detail()).contains("ahead of the authority by 6");
      assertThat(bad.get("receipts-accepted").passed()).isFalse();
      assertThat(bad.get("audit").passed()).isTrue();
    }
  }

  @Test
  void aRunningDaemonAndALocalDeviceFailTheirSteps() {
    try (EnvFixture f = new EnvFixture(tmp.resolve("root")).withSandbox()) {
      try (DataDirLock daemon = DataDirLock.acquire(f.sandbox().root())) {
        Map<String, GoLiveCheck.Step> s = byName(GoLiveCheck.run(f.sandbox(), f.root.path(),
            FiscaldConfig.defaults(f.registerEnv), f.registerEnv, new GoLiveCheck.Options(0, false), f.clock));
        assertThat(s.get("device").passed()).isFalse();
        assertThat(s.get("device").detail()).contains("stop it");
      }
    }
    var local = TestDevice.create(tmp.resolve("local"), Clock.systemUTC());
    Map<String, GoLiveCheck.Step> s = byName(GoLiveCheck.run(local, local.root(),
        FiscaldConfig.defaults(TestDevice.ENV), TestDevice.ENV, new GoLiveCheck.Options(0, false), Clock.systemUTC()));
    assertThat(s.get("receipts-accepted").passed()).isFalse();
    assertThat(s.get("receipts-accepted").detail()).contains("local");
    assertThat(s.get("clock").passed()).isFalse();
    assertThat(s.get("backup-restores").passed()).isTrue();
  }
}
