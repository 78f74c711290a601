package io.fiscald.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.Agent;
import io.fiscald.agent.api.ApiConfig;
import io.fiscald.agent.api.ApiHooks;
import io.fiscald.agent.api.AuthorityWorkers;
import io.fiscald.agent.api.Daemon;
import io.fiscald.agent.authority.zimra.ZimraOnboarding;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.agent.sync.SyncWorker;
import io.fiscald.agent.testing.MutableClock;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsSimulator;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import io.fiscald.store.Outbox;
import io.fiscald.store.secret.Secret;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor against real devices: a healthy ZIMRA till with its daemon running and FDMS reachable, and
 * tills with one thing wrong each, each producing its finding and fix.
 */
class DoctorTest {
  static final int ZIMRA_DEVICE = 30177;
  static final String ZIMRA_SALE = """
      {"currency": "USD", "lines": [{"name": "Bread", "quantity": "2", "unitPrice": "1.55", "taxCode": "517",
       "hsCode": "19059000"}], "payments": [{"method": "CASH", "amount": "3.10"}]}""";
  /** Roomy-disk thresholds so the test machine's disk never decides a test about something else. */
  static final DoctorLimits LIMITS = DoctorLimits.defaults().withFreeDisk(1024 * 1024, 0);

  @TempDir Path tmp;
  final Clock clock = Clock.systemUTC();

  Doctor.Report doctor(DataDirectory dir, Map<String, String> env, Clock at, DoctorLimits limits) {
    return Doctor.standard(null).run(dir, env, at, limits);
  }

  static FdmsSimulator fdms() throws Exception {
    FdmsSimulator sim = FdmsSimulator.start(FdmsSimulator.Options.builder()
        .clock(Clock.system(ZoneId.of("Africa/Harare"))).closeDelay(Duration.ofMillis(20)).build());
    sim.addDevice(FdmsDevice.builder(ZIMRA_DEVICE, "SN-001", "ABC12345").build());
    return sim;
  }

  DataDirectory registerZimra(FdmsSimulator sim) {
    DataDirectory dir = new DataDirectory(tmp.resolve("till"));
    ZimraOnboarding.register(dir, TestDevice.ENV, new ZimraOnboarding.Request(ZIMRA_DEVICE, "SN-001",
        Secret.ofUtf8("ABC12345"), "sandbox", sim.baseUrl(), sim.caCertificatePem(), KeyAlgorithm.EC_P256, "USD",
        null), clock);
    return dir;
  }

  static long pending(DataDirectory dir) throws Exception {
    try (Connection c = Database.openReadOnly(dir.database())) {
      return Outbox.pendingCount(c);
    }
  }

  @Test
  void aHealthyTillWithItsDaemonRunningIsAllOk() throws Exception {
    try (FdmsSimulator sim = fdms()) {
      DataDirectory dir = registerZimra(sim);
      ApiConfig config = ApiConfig.defaults().withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          false);
      SyncWorker.Settings pacing = new SyncWorker.Settings(Duration.ofMillis(200), Duration.ofMillis(50),
          Duration.ofMillis(200), Duration.ofHours(1));
      try (Daemon daemon = Daemon.start(dir, TestDevice.ENV, config, agent -> {
        ApiHooks.Builder b = ApiHooks.builder(agent.device().authority());
        AuthorityWorkers.install(b, agent, pacing, clock, null);
        return b.build();
      }, clock)) {
        daemon.agent().core().openDay();
        daemon.agent().core().issue(new ReceiptRequestParser().parse(ZIMRA_SALE));
        daemon.agent().core().issue(new ReceiptRequestParser().parse(ZIMRA_SALE));
        await(() -> pending(dir) == 0);
        // the print jobs stay queued without a printer; say so, nothing else
        Doctor.Report r = doctor(dir, TestDevice.ENV, clock, LIMITS.withPrintBacklogWarn(Long.MAX_VALUE));
        assertThat(r.ok()).as("%s", r.view()).isTrue();
        for (Finding f : r.findings()) {
          if (!f.check().equals("printer-port")) { // the test machine's ports are not ours to judge
            assertThat(f.status()).as("%s", f).isEqualTo(Finding.Status.OK);
          }
        }
        assertThat(r.findings()).extracting(Finding::check).contains("data-dir", "disk-space", "master-key",
            "database", "chain-tail", "signer", "credentials", "authority", "clock", "fiscal-day", "outbox",
            "print-queue", "daemon");
        assertThat(r.finding("authority").seen()).containsKey("latencyMillis").containsEntry("lastReceiptGlobalNo",
            2L);
        assertThat(r.finding("credentials").seen().get("daysLeft")).isInstanceOf(Long.class);
        assertThat(r.finding("clock").seen()).containsKey("driftSeconds");
        assertThat(r.finding("daemon").summary()).contains("answers at " + daemon.server().baseUri());
        assertThat((long) r.finding("chain-tail").seen().get("entriesChecked")).isGreaterThanOrEqualTo(3);
      }
    }
  }

  @Test
  void anOutboxBacklogWithTheAuthorityDownIsAWarningWithItsFix() throws Exception {
    DataDirectory dir;
    try (FdmsSimulator sim = fdms()) {
      dir = registerZimra(sim);
      try (Agent agent = TestDevice.open(dir, clock)) {
        agent.core().openDay();
        agent.core().issue(new ReceiptRequestParser().parse(ZIMRA_SALE));
      }
    } // FDMS stopped: nothing was ever sent
    Doctor.Report r = doctor(dir, TestDevice.ENV, clock, LIMITS);
    Finding authority = r.finding("authority");
    assertThat(authority.status()).isEqualTo(Finding.Status.WARN);
    assertThat(authority.summary()).contains("cannot be reached");
    assertThat(authority.seen().get("error")).isNotNull();
    assertThat(authority.fix()).contains("network").contains("fiscalctl sync --once");
    Finding outbox = r.finding("outbox");
    assertThat(outbox.status()).isEqualTo(Finding.Status.WARN);
    assertThat(outbox.seen().get("pending")).isEqualTo(1L); // the receipt (FDMS opens its day on the first one)
    assertThat(outbox.seen().get("oldestPendingAt")).isNotNull();
    assertThat(outbox.fix()).contains("fiscalctl sync --once");
    assertThat(r.ok()).as("offline is a warning, not a failure: %s", r.view()).isTrue();
  }

  @Test
  void aDayOpenLongerThanAllowedFails() {
    MutableClock at = new MutableClock(Instant.parse("2026-11-20T06:00:00Z"));
    DataDirectory dir = TestDevice.create(tmp.resolve("till"), at, DeviceSettings.defaults());
    try (Agent agent = TestDevice.open(dir, at)) {
      agent.core().openDay();
      agent.core().issue(TestDevice.sugarSale());
    }
    at.advance(Duration.ofHours(23).plusMinutes(30));
    Finding dueSoon = doctor(dir, TestDevice.ENV, at, LIMITS).finding("fiscal-day");
    assertThat(dueSoon.status()).isEqualTo(Finding.Status.WARN);
    at.advance(Duration.ofHours(2));
    Doctor.Report r = doctor(dir, TestDevice.ENV, at, LIMITS);
    Finding day = r.finding("fiscal-day");
    assertThat(day.status()).isEqualTo(Finding.Status.FAIL);
    assertThat(day.summary()).contains("open 25 h").contains("24 h allowed");
    assertThat(day.seen()).containsEntry("maxDayHours", 24).containsEntry("dayNo", 1L);
    assertThat(day.fix()).contains("fiscalctl day close");
    assertThat(r.ok()).isFalse();
  }

  @Test
  void aMasterKeyFileOthersCanReadFails() throws Exception {
    Map<String, String> noEnvKey = Map.of(); // the key goes to <data-dir>/master.key
    DataDirectory dir = new DataDirectory(tmp.resolve("till"));
    Agent.initialise(dir, noEnvKey, "TEST-0001", "sandbox", KeyAlgorithm.EC_P256, DeviceSettings.defaults(), clock);
    Path key = dir.masterKeyFile(noEnvKey);
    assertThat(doctor(dir, noEnvKey, clock, LIMITS).finding("master-key").status()).isEqualTo(Finding.Status.OK);

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Doctor.Report r = doctor(dir, noEnvKey, clock, LIMITS);
    Finding f = r.finding("master-key");
    assertThat(f.status()).isEqualTo(Finding.Status.FAIL);
    assertThat(f.seen()).containsEntry("mode", "rw-r--r--");
    assertThat(f.fix()).contains("chmod 600 " + key);
    assertThat(r.finding("signer").status()).isEqualTo(Finding.Status.FAIL);
    assertThat(r.ok()).isFalse();
  }

  @Test
  void aDamagedDatabasePageFailsTheIntegrityCheck() throws Exception {
    DataDirectory dir = TestDevice.create(tmp.resolve("till"), clock);
    try (Agent agent = TestDevice.open(dir, clock)) {
      agent.core().openDay();
      for (int i = 0; i < 40; i++) {
        agent.core().issue(TestDevice.sugarSale());
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.database());
        Statement st = c.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    long pageSize = 4096;
    long pages = Files.size(dir.database()) / pageSize;
    assertThat(pages).isGreaterThan(6);
    try (RandomAccessFile f = new RandomAccessFile(dir.database().toFile(), "rw")) {
      f.seek((pages / 2) * pageSize); // the header of a page in the middle: garbage for SQLite's b-tree
      f.write(new byte[] {(byte) 0x0d, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0x7f, 0x7f});
    }
    Doctor.Report r = doctor(dir, TestDevice.ENV, clock, LIMITS);
    Finding db = r.finding("database");
    assertThat(db.status()).as("%s", db).isEqualTo(Finding.Status.FAIL);
    assertThat(db.summary()).contains("damaged");
    assertThat((String) db.seen().get("result")).isNotEqualTo("ok");
    assertThat(db.fix()).contains("fiscalctl restore");
    assertThat(r.ok()).isFalse();
  }

  @Test
  void anAlteredEntryAtTheChainTailFails() throws Exception {
    DataDirectory dir = TestDevice.create(tmp.resolve("till"), clock);
    try (Agent agent = TestDevice.open(dir, clock)) {
      agent.core().openDay();
      agent.core().issue(TestDevice.sugarSale());
      agent.core().issue(TestDevice.sugarSale());
    }
    long head;
    try (Connection c = Database.openReadOnly(dir.database())) {
      head = Journal.last(c).orElseThrow().seq();
    }
    assertThat(doctor(dir, TestDevice.ENV, clock, LIMITS).finding("chain-tail").status())
        .isEqualTo(Finding.Status.OK);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.database());
        Statement st = c.createStatement()) {
      assertThat(st.executeUpdate("UPDATE journal SET payload = replace(payload, '\"totalMinor\":104400', "
          + "'\"totalMinor\":10440') WHERE seq = " + head)).isEqualTo(1);
    }
    Doctor.Report r = doctor(dir, TestDevice.ENV, clock, LIMITS);
    Finding tail = r.finding("chain-tail");
    assertThat(tail.status()).isEqualTo(Finding.Status.FAIL);
    assertThat(tail.summary()).contains("entry " + head).contains("altered");
    assertThat(tail.seen()).containsEntry("firstBadSeq", head);
    assertThat(tail.fix()).contains("fiscalctl audit verify");
    assertThat(r.finding("database").status()).as("a clean edit passes SQLite's check").isEqualTo(Finding.Status.OK);
  }

  @Test
  void lowDiskWarnsThenFailsAgainstTheThresholds() {
    DataDirectory dir = TestDevice.create(tmp.resolve("till"), clock);
    Finding warn = doctor(dir, TestDevice.ENV, clock, LIMITS.withFreeDisk(Long.MAX_VALUE, 0)).finding("disk-space");
    assertThat(warn.status()).isEqualTo(Finding.Status.WARN);
    assertThat(warn.fix()).contains("backups");
    Doctor.Report r = doctor(dir, TestDevice.ENV, clock, LIMITS.withFreeDisk(Long.MAX_VALUE, Long.MAX_VALUE));
    Finding fail = r.finding("disk-space");
    assertThat(fail.status()).isEqualTo(Finding.Status.FAIL);
    assertThat((long) fail.seen().get("freeBytes")).isPositive();
    assertThat(r.ok()).isFalse();
  }

  static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
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
