package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.backup.BackupManager;
import io.fiscald.agent.backup.BackupPolicy;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.testing.MutableClock;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's scheduled backups, in process with a short interval: backups are taken while receipts
 * flow, retention prunes, every kept backup restores into a fresh directory and passes the audit, the
 * status API and metrics say what happened, and a failing backup raises BACKUP_FAILED.
 */
class BackupScheduleDaemonTest {
  @TempDir Path tmp;
  final Clock clock = Clock.systemUTC();

  static ApiConfig fastAlerts() {
    return ApiConfig.defaults().withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false)
        .withAlerts(new ApiConfig.AlertThresholds(Duration.ofMinutes(30), 0.90, Duration.ofMinutes(5),
            Duration.ofHours(1), Duration.ofDays(14), Duration.ofMinutes(2), 0, Duration.ofMillis(100)));
  }

  static List<Path> backups(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".db")).sorted().toList();
    }
  }

  @Test
  void theDaemonBacksUpOnScheduleKeepsTheNewestAndEachRestoresAndAudits() throws Exception {
    DataDirectory dir = TestDevice.create(tmp.resolve("till"), clock);
    String cashier;
    try (Connection c = Database.openForWriting(dir.database())) {
      cashier = TokenService.create(c, "pos", Role.CASHIER, clock).token().revealUtf8();
    }
    Path out = tmp.resolve("backups");
    BackupPolicy policy = new BackupPolicy(Duration.ofMillis(700), 2, Duration.ZERO, out);
    try (Daemon daemon = Daemon.start(dir, TestDevice.ENV, fastAlerts(), policy,
        agent -> ApiHooks.defaults(agent.device().authority()), clock)) {
      ApiClient api = new ApiClient(daemon.server().baseUri());
      daemon.agent().core().openDay();
      for (int round = 0; round < 4; round++) {
        long before = status(api, cashier).path("backup").path("successes").asLong();
        daemon.agent().core().issue(TestDevice.sugarSale()); // receipts keep flowing between backups
        await(() -> status(api, cashier).path("backup").path("successes").asLong() > before);
      }
      JsonNode backup = status(api, cashier).path("backup");
      assertThat(backup.path("scheduled").asBoolean()).isTrue();
      assertThat(backup.path("successes").asLong()).isGreaterThanOrEqualTo(4);
      assertThat(backup.path("failures").asLong()).isZero();
      assertThat(backup.path("lastError").isNull()).isTrue();
      assertThat(backup.path("lastSuccessAt").isTextual()).isTrue();
      assertThat(Files.exists(Path.of(backup.path("lastFile").asText()))).isTrue();
      ApiClient.Answer metrics = api.get("/metrics", null);
      assertThat(metrics.body()).contains("fiscald_backup_last_success_timestamp_seconds ")
          .contains("fiscald_backups_total{result=\"ok\"}");
      assertThat(backups(out)).as("retention keeps the newest 2").hasSize(2);
    }
    long head;
    try (Connection c = Database.openReadOnly(dir.database())) {
      head = Journal.last(c).orElseThrow().seq();
    }
    long newestSeq = 0;
    for (Path b : backups(out)) {
      DataDirectory fresh = new DataDirectory(tmp.resolve("restored-" + b.getFileName()));
      BackupManager.Restore r = BackupManager.restore(fresh, b, false, clock);
      try (Connection c = Database.openReadOnly(fresh.database())) {
        AuditReport audit = JournalAuditor.audit(c);
        assertThat(audit.ok()).as("audit of %s: %s", b, audit.finding()).isTrue();
        assertThat(audit.headSeq()).isEqualTo(r.headSeq());
      }
      newestSeq = Math.max(newestSeq, r.headSeq());
    }
    assertThat(newestSeq).as("the newest backup holds receipts issued under the schedule").isGreaterThan(4)
        .isLessThanOrEqualTo(head);
  }

  @Test
  void aFailingBackupIsReportedAndRaisesTheAlert() throws Exception {
    DataDirectory dir = TestDevice.create(tmp.resolve("till"), clock);
    String cashier;
    try (Connection c = Database.openForWriting(dir.database())) {
      cashier = TokenService.create(c, "pos", Role.CASHIER, clock).token().revealUtf8();
    }
    Path notADirectory = Files.writeString(tmp.resolve("occupied"), "a file where the backup folder should be");
    BackupPolicy policy = new BackupPolicy(Duration.ofMillis(500), 2, Duration.ZERO, notADirectory);
    try (Daemon daemon = Daemon.start(dir, TestDevice.ENV, fastAlerts(), policy,
        agent -> ApiHooks.defaults(agent.device().authority()), clock)) {
      ApiClient api = new ApiClient(daemon.server().baseUri());
      await(() -> hasAlert(status(api, cashier), "BACKUP_FAILED"));
      JsonNode backup = status(api, cashier).path("backup");
      assertThat(backup.path("failures").asLong()).isPositive();
      assertThat(backup.path("lastError").asText()).isNotBlank();
      await(() -> hasAlert(status(api, cashier), "BACKUP_OVERDUE")); // 2 × 500 ms without a success
    }
  }

  @Test
  void retentionByAgeDeletesOldBackupsButNeverTheNewest() throws Exception {
    MutableClock at = new MutableClock(Instant.parse("2026-10-01T06:00:00Z"));
    DataDirectory dir = TestDevice.create(tmp.resolve("till"), at);
    Path out = tmp.resolve("backups");
    for (int day = 0; day < 5; day++) {
      BackupManager.create(dir, out, 0, Duration.ZERO, at);
      at.advance(Duration.ofDays(10));
    }
    assertThat(backups(out)).hasSize(5); // days 0, 10, 20, 30, 40
    at.advance(Duration.ofDays(-5)); // now day 45: keep 30 days → days 20 (25 d old) and 30, 40, and the new one
    BackupManager.Backup b = BackupManager.create(dir, out, 0, Duration.ofDays(30), at);
    assertThat(b.pruned()).hasSize(2);
    assertThat(backups(out)).hasSize(4).contains(b.file());
    at.advance(Duration.ofDays(400)); // everything is old: the one just written stays
    BackupManager.Backup last = BackupManager.create(dir, out, 0, Duration.ofDays(30), at);
    assertThat(backups(out)).containsExactly(last.file());
  }

  static JsonNode status(ApiClient api, String token) {
    ApiClient.Answer a = api.get("/v1/status", token);
    assertThat(a.status()).as("%s", a).isEqualTo(200);
    return a.json();
  }

  static boolean hasAlert(JsonNode status, String code) {
    for (JsonNode a : status.path("alerts")) {
      if (code.equals(a.path("code").asText())) {
        return true;
      }
    }
    return false;
  }

  static void await(Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Object monitor = new Object();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("condition within 60 s").isLessThan(deadline);
      synchronized (monitor) {
        monitor.wait(100);
      }
    }
  }
}
