package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.api.ApiClient.Answer;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.store.DataDirLockedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refusals, the per-token rate limit and the loopback-only default. */
class DaemonStartTest {
  @TempDir Path tmp;

  @Test
  void aRunawayTokenIsRateLimitedWithRetryAfterAndOthersAreNot() {
    try (ApiFixture f = new ApiFixture(tmp, c -> c.withRateLimit(0.01, 3))) {
      for (int i = 0; i < 3; i++) {
        assertThat(f.client.get("/v1/day", f.cashier).status()).isEqualTo(200);
      }
      Answer limited = f.client.get("/v1/day", f.cashier);
      ApiTest.assertError(limited, 429, "RATE_LIMITED");
      assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
      assertThat(f.client.get("/v1/day", f.technician).status()).isEqualTo(200);
    }
  }

  @Test
  void anOccupiedPortALockedDirectoryAndABrokenConfigAreClearStartupErrors() throws Exception {
    try (ApiFixture f = new ApiFixture(tmp)) {
      // the same data directory: locked
      assertThatThrownBy(() -> Daemon.start(f.dir, TestDevice.ENV, f.config(),
          a -> ApiHooks.defaults("local"), f.clock)).isInstanceOf(DataDirLockedException.class);
      // another device on the same port: port in use, and its lock is released again
      var other = TestDevice.create(tmp.resolve("other"), f.clock);
      ApiConfig samePort = f.config().withListen(f.daemon.server().address(), false);
      assertThatThrownBy(() -> Daemon.start(other, TestDevice.ENV, samePort, a -> ApiHooks.defaults("local"),
          f.clock)).isInstanceOfSatisfying(FiscalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PORT_IN_USE);
            assertThat(e.getMessage()).contains("in use");
          });
      Daemon.start(other, TestDevice.ENV, f.config(), a -> ApiHooks.defaults("local"), f.clock).close();
    }
    // the settings now live in fiscald.conf: an unknown key or a broken value refuses Agent.open, naming the line
    var other = new io.fiscald.agent.device.DataDirectory(tmp.resolve("other"));
    java.time.Clock f2clock = java.time.Clock.systemUTC();
    Path config = tmp.resolve("other").resolve(FiscaldConfig.FILE_NAME);
    Files.writeString(config, "api.threads = 4\ncolour = 1\n");
    assertThatThrownBy(() -> Daemon.start(other, TestDevice.ENV, ApiConfig.defaults(),
        a -> ApiHooks.defaults("local"), f2clock)).isInstanceOfSatisfying(FiscalException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
          assertThat(e.getMessage()).contains("colour").contains("line 2").contains(config.toString());
        });
    Files.writeString(config, "api.threads = 4\napi.rate-limit.per-second = 5\napi.idempotency-ttl = 2h\n");
    ApiConfig loaded = FiscaldConfig.load(other, TestDevice.ENV).api();
    assertThat(loaded.threads()).isEqualTo(4);
    assertThat(loaded.ratePerSecond()).isEqualTo(5);
    assertThat(loaded.idempotencyTtl()).hasHours(2);
    assertThat(loaded.listen().getPort()).isEqualTo(ApiConfig.DEFAULT_PORT);
    assertThat(loaded.listen().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void aNonLoopbackAddressNeedsAllowRemote() throws Exception {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0);
    assertThatThrownBy(() -> ApiConfig.defaults().withListen(any, false))
        .isInstanceOfSatisfying(FiscalException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
          assertThat(e.getMessage()).contains("--allow-remote");
        });
    assertThat(ApiConfig.defaults().withListen(any, true).allowRemote()).isTrue();
    assertThat(ApiConfig.parseListen("127.0.0.1:9000").getPort()).isEqualTo(9000);
    assertThatThrownBy(() -> ApiConfig.parseListen("localhost")).isInstanceOf(FiscalException.class);
  }

  @Test
  void aMissingMasterKeyStopsStartupAndReleasesTheLock() {
    var dir = TestDevice.create(tmp.resolve("d"), java.time.Clock.systemUTC());
    assertThatThrownBy(() -> Daemon.start(dir, java.util.Map.of(), ApiConfig.defaults().withListen(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false), a -> ApiHooks.defaults("local"),
        java.time.Clock.systemUTC())).isInstanceOfSatisfying(FiscalException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MASTER_KEY_INVALID));
    Daemon.start(dir, TestDevice.ENV, ApiConfig.defaults().withListen(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false), a -> ApiHooks.defaults("local"),
        java.time.Clock.systemUTC()).close();
  }
}
