package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ApiConfig is the typed view of the api.*, webhook.* and alert.* keys of fiscald.conf. */
class ApiConfigTest {
  @TempDir Path dir;

  ApiConfig load(String text) throws Exception {
    Files.writeString(dir.resolve(FiscaldConfig.FILE_NAME), text);
    return FiscaldConfig.load(new DataDirectory(dir), Map.of()).api();
  }

  @Test
  void alertThresholdsComeFromTheConfigurationOneByOne() throws Exception {
    ApiConfig.AlertThresholds a = load("""
        alert.authority-unreachable = 10m
        alert.min-sync-success-rate = 0.75
        alert.sync-rate-window = 3m
        alert.day-close-warning = 45m
        alert.certificate-expiry-warning = 30d
        alert.max-clock-drift = 90s
        alert.min-free-disk-mb = 512
        """).alerts();
    assertThat(a.authorityUnreachable()).isEqualTo(Duration.ofMinutes(10));
    assertThat(a.minSyncSuccessRate()).isEqualTo(0.75);
    assertThat(a.syncRateWindow()).isEqualTo(Duration.ofMinutes(3));
    assertThat(a.dayCloseWarning()).isEqualTo(Duration.ofMinutes(45));
    assertThat(a.certificateExpiryWarning()).isEqualTo(Duration.ofDays(30));
    assertThat(a.maxClockDrift()).isEqualTo(Duration.ofSeconds(90));
    assertThat(a.minFreeDiskBytes()).isEqualTo(512L * 1024 * 1024);

    ApiConfig.AlertThresholds partial = load("# only one\nalert.max-clock-drift = 5s\n").alerts();
    ApiConfig.AlertThresholds defaults = ApiConfig.AlertThresholds.defaults();
    assertThat(partial.maxClockDrift()).isEqualTo(Duration.ofSeconds(5));
    assertThat(partial.authorityUnreachable()).isEqualTo(defaults.authorityUnreachable());
    assertThat(partial.minFreeDiskBytes()).isEqualTo(defaults.minFreeDiskBytes());
  }

  @Test
  void noFileGivesTheDefaults() {
    ApiConfig c = FiscaldConfig.load(new DataDirectory(dir), Map.of()).api();
    assertThat(c).isEqualTo(ApiConfig.defaults());
  }

  @Test
  void nonsenseThresholdsAreRefusedNamingTheKeyAndLine() {
    assertThatThrownBy(() -> load("alert.min-sync-success-rate = 1.5\n"))
        .isInstanceOfSatisfying(FiscalException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
          assertThat(e.getMessage()).contains("alert.min-sync-success-rate").contains("line 1");
        });
    assertThatThrownBy(() -> load("\nalert.authority-unreachable = 0m\n"))
        .isInstanceOfSatisfying(FiscalException.class,
            e -> assertThat(e.getMessage()).contains("alert.authority-unreachable").contains("line 2")
                .contains("longer than zero"));
  }

  @Test
  void aNonLoopbackListenNeedsAllowRemoteInTheFile() throws Exception {
    assertThatThrownBy(() -> load("api.listen = 0.0.0.0:8719\n"))
        .isInstanceOfSatisfying(FiscalException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
          assertThat(e.getMessage()).contains("api.allow-remote");
        });
    ApiConfig open = load("api.listen = 0.0.0.0:8719\napi.allow-remote = true\n");
    assertThat(open.allowRemote()).isTrue();
    assertThat(open.listen().getAddress().isAnyLocalAddress()).isTrue();
  }
}
