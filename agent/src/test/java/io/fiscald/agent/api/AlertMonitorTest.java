package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.Agent;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.testing.TestDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device alerts that come from the sync state, the printer and the disk: each is raised past its
 * threshold and cleared when the condition (or the threshold) goes back, as alert.raised / alert.cleared.
 */
class AlertMonitorTest {
  static final ApiConfig.AlertThresholds LIMITS = new ApiConfig.AlertThresholds(Duration.ofMinutes(30), 0.90,
      Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(14), Duration.ofMinutes(2), 0,
      Duration.ofSeconds(15));

  final Clock clock = Clock.systemUTC();
  @TempDir Path tmp;
  Agent agent;
  Connection conn;
  final AtomicReference<SyncStatus> sync = new AtomicReference<>(SyncStatus.none("zimra"));
  final AtomicReference<PrinterState> printer = new AtomicReference<>(new PrinterState("READY", "ok"));
  final List<String> published = new ArrayList<>(); // "alert.raised CODE"
  AlertMonitor monitor;

  @BeforeEach
  void open() {
    DataDirectory dir = TestDevice.create(tmp.resolve("data"), clock);
    agent = TestDevice.open(dir, clock);
    conn = agent.newStateConnection();
    ApiHooks hooks = ApiHooks.builder("zimra").sync(sync::get).printer(printer::get).build();
    monitor = new AlertMonitor(agent, LIMITS, hooks, clock,
        (type, data) -> published.add(type + " " + data.get("code")));
  }

  @AfterEach
  void close() throws Exception {
    conn.close();
    agent.close();
  }

  SyncStatus zimra(Instant certificateExpiresAt, Duration drift) {
    return new SyncStatus("zimra", true, null, clock.instant(), 0, 0, 0, 0, Duration.ofHours(24),
        certificateExpiresAt, drift);
  }

  List<String> codes() {
    return monitor.active().stream().map(AlertMonitor.Alert::code).toList();
  }

  /** Evaluates and returns what was published by this evaluation. */
  List<String> evaluate() {
    int before = published.size();
    monitor.evaluate(conn);
    return List.copyOf(published.subList(before, published.size()));
  }

  @Test
  void aCertificateInsideTheWarningWindowIsAlertedUntilRenewed() {
    sync.set(zimra(clock.instant().plus(Duration.ofDays(60)), Duration.ZERO));
    assertThat(evaluate()).isEmpty();
    sync.set(zimra(clock.instant().plus(Duration.ofDays(10)), Duration.ZERO)); // 14-day warning
    assertThat(evaluate()).containsExactly("alert.raised CERTIFICATE_EXPIRING");
    assertThat(codes()).containsExactly("CERTIFICATE_EXPIRING");
    assertThat(evaluate()).as("raised once, not at every check").isEmpty();
    sync.set(zimra(clock.instant().plus(Duration.ofDays(365)), Duration.ZERO)); // renewed
    assertThat(evaluate()).containsExactly("alert.cleared CERTIFICATE_EXPIRING");
    assertThat(codes()).isEmpty();
    monitor.thresholds(withCertificateWarning(Duration.ofDays(400))); // the threshold is configurable
    assertThat(evaluate()).containsExactly("alert.raised CERTIFICATE_EXPIRING");
  }

  @Test
  void clockDriftBeyondTheLimitEitherWayIsAlertedUntilTheClockIsBack() {
    sync.set(zimra(null, Duration.ofSeconds(30))); // limit 2 min
    assertThat(evaluate()).isEmpty();
    sync.set(zimra(null, Duration.ofMinutes(5)));
    assertThat(evaluate()).containsExactly("alert.raised CLOCK_DRIFT");
    sync.set(zimra(null, Duration.ofMinutes(-5))); // still drifting, behind now
    assertThat(evaluate()).isEmpty();
    assertThat(codes()).containsExactly("CLOCK_DRIFT");
    sync.set(zimra(null, Duration.ofSeconds(1)));
    assertThat(evaluate()).containsExactly("alert.cleared CLOCK_DRIFT");
    assertThat(codes()).isEmpty();
  }

  @Test
  void lowFreeSpaceOnTheDataDirectorysFileSystemIsAlertedAgainstTheConfiguredMinimum() throws Exception {
    assertThat(evaluate()).isEmpty();
    long free = Files.getFileStore(agent.dataDirectory().root()).getUsableSpace();
    monitor.thresholds(withMinFree(free * 2 + 1)); // more than the disk has: low
    assertThat(evaluate()).containsExactly("alert.raised DISK_SPACE_LOW");
    assertThat(monitor.active().get(0).severity()).isEqualTo("critical");
    monitor.thresholds(withMinFree(1));
    assertThat(evaluate()).containsExactly("alert.cleared DISK_SPACE_LOW");
    assertThat(codes()).isEmpty();
  }

  @Test
  void printerPaperNearEndThenOutThenReplacedRaisesAndClearsEach() {
    assertThat(evaluate()).isEmpty();
    printer.set(new PrinterState("PAPER_NEAR_END", "replace the roll soon"));
    assertThat(evaluate()).containsExactly("alert.raised PRINTER_PAPER_NEAR_END");
    printer.set(new PrinterState("PAPER_OUT", "paper out"));
    assertThat(evaluate()).containsExactlyInAnyOrder("alert.raised PRINTER_PAPER_OUT",
        "alert.cleared PRINTER_PAPER_NEAR_END");
    assertThat(codes()).containsExactly("PRINTER_PAPER_OUT");
    printer.set(new PrinterState("READY", "ok"));
    assertThat(evaluate()).containsExactly("alert.cleared PRINTER_PAPER_OUT");
    assertThat(codes()).isEmpty();
  }

  static ApiConfig.AlertThresholds withCertificateWarning(Duration d) {
    return new ApiConfig.AlertThresholds(LIMITS.authorityUnreachable(), LIMITS.minSyncSuccessRate(),
        LIMITS.syncRateWindow(), LIMITS.dayCloseWarning(), d, LIMITS.maxClockDrift(), LIMITS.minFreeDiskBytes(),
        LIMITS.checkInterval());
  }

  static ApiConfig.AlertThresholds withMinFree(long bytes) {
    return new ApiConfig.AlertThresholds(LIMITS.authorityUnreachable(), LIMITS.minSyncSuccessRate(),
        LIMITS.syncRateWindow(), LIMITS.dayCloseWarning(), LIMITS.certificateExpiryWarning(), LIMITS.maxClockDrift(),
        bytes, LIMITS.checkInterval());
  }

}
