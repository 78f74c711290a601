package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiConfigTest {
  @TempDir Path dir;

  @Test
  void alertThresholdsComeFromTheSettingsFileOneByOne() throws Exception {
    Path file = dir.resolve(ApiConfig.FILE_NAME);
    Files.writeString(file, """
        {"alertAuthorityUnreachableMinutes": 10, "alertMinSyncSuccessRate": 0.75, "alertSyncRateWindowMinutes": 3,
         "alertDayCloseWarningMinutes": 45, "alertCertificateExpiryWarningDays": 30, "alertMaxClockDriftSeconds": 90,
         "alertMinFreeDiskMegabytes": 512}""");
    ApiConfig.AlertThresholds a = ApiConfig.load(file).alerts();
    assertThat(a.authorityUnreachable()).isEqualTo(Duration.ofMinutes(10));
    assertThat(a.minSyncSuccessRate()).isEqualTo(0.75);
    assertThat(a.syncRateWindow()).isEqualTo(Duration.ofMinutes(3));
    assertThat(a.dayCloseWarning()).isEqualTo(Duration.ofMinutes(45));
    assertThat(a.certificateExpiryWarning()).isEqualTo(Duration.ofDays(30));
    assertThat(a.maxClockDrift()).isEqualTo(Duration.ofSeconds(90));
    assertThat(a.minFreeDiskBytes()).isEqualTo(512L * 1024 * 1024);

    Files.writeString(file, "{\"alertMaxClockDriftSeconds\": 5}");
    ApiConfig.AlertThresholds partial = ApiConfig.load(file).alerts();
    ApiConfig.AlertThresholds defaults = ApiConfig.AlertThresholds.defaults();
    assertThat(partial.maxClockDrift()).isEqualTo(Duration.ofSeconds(5));
    assertThat(partial.authorityUnreachable()).isEqualTo(defaults.authorityUnreachable());
    assertThat(partial.minFreeDiskBytes()).isEqualTo(defaults.minFreeDiskBytes());
  }

  @Test
  void nonsenseThresholdsAreRefusedNamingTheSetting() throws Exception {
    Path file = dir.resolve(ApiConfig.FILE_NAME);
    Files.writeString(file, "{\"alertMinSyncSuccessRate\": 1.5}");
    assertThatThrownBy(() -> ApiConfig.load(file)).isInstanceOfSatisfying(FiscalException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
      assertThat(e.getMessage()).contains("alertMinSyncSuccessRate");
    });
    Files.writeString(file, "{\"alertAuthorityUnreachableMinutes\": 0}");
    assertThatThrownBy(() -> ApiConfig.load(file)).isInstanceOfSatisfying(FiscalException.class,
        e -> assertThat(e.getMessage()).contains("alertAuthorityUnreachableMinutes").contains("at least 1"));
  }
}
