package io.fiscald.agent.backup;

import static io.fiscald.agent.audit.JournalFixture.audit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalFixture;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.testing.MutableClock;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.store.DataDirLockedException;
import io.fiscald.store.Database;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups that are proven good, retention that only deletes this device's older ones, careful restores. */
class BackupManagerTest {
  @TempDir Path tmp;
  JournalFixture f;
  MutableClock clock;
  Path backups;

  @BeforeEach
  void setUp() {
    f = JournalFixture.create(tmp.resolve("data"));
    clock = f.clock;
    backups = tmp.resolve("backups");
  }

  // ---- create ------------------------------------------------------------------------------------

  @Test
  void aBackupIsVerifiedAndRestoresIntoAFreshDataDirectoryThatCarriesOn() throws Exception {
    BackupManager.Backup b = BackupManager.create(f.dir, backups, 0, clock);

    assertThat(b.file()).exists().hasParent(backups);
    assertThat(b.file().getFileName().toString()).startsWith("fiscald-TEST-0001-").endsWith("-seq12.db");
    assertThat(b.deviceId()).isEqualTo("TEST-0001");
    assertThat(b.headSeq()).isEqualTo(12);
    assertThat(b.bytes()).isEqualTo(Files.size(b.file()));
    assertThat(b.pruned()).isEmpty();
    BackupManager.Check check = BackupManager.check(b.file());
    assertThat(check.ok()).as("check: %s", check.ok() ? "" : check.problem()).isTrue();
    assertThat(check.headSeq()).isEqualTo(12);
    assertThat(check.audit().receiptsChecked()).isEqualTo(8);

    DataDirectory fresh = new DataDirectory(tmp.resolve("fresh"));
    BackupManager.Restore r = BackupManager.restore(fresh, b.file(), false, clock);
    assertThat(r.deviceId()).isEqualTo("TEST-0001");
    assertThat(r.headSeq()).isEqualTo(12);
    assertThat(r.previousDatabase()).as("nothing was there to keep").isNull();
    assertThat(fresh.database()).exists();
    assertThat(fresh.database().resolveSibling(Database.FILE_NAME + ".restoring")).doesNotExist();
    assertThat(audit(fresh.database()).ok()).isTrue();

    clock.advance(Duration.ofMinutes(1));
    try (Agent agent = TestDevice.open(fresh, clock)) {
      IssuedReceipt next = agent.core().issue(TestDevice.sugarSale()); // day 2 was open when backed up
      FiscalReceipt r13 = next.receipt();
      assertThat(next.seal().journalSeq()).isEqualTo(13);
      assertThat(r13.globalNo()).isEqualTo(9);
      assertThat(r13.dayNo()).isEqualTo(2);
      assertThat(r13.dayCounter()).isEqualTo(3);
      assertThat(r13.receiptNumber()).isEqualTo("INV-000008");
      assertThat(agent.core().closeDay().receiptCount()).isEqualTo(3);
    }
    AuditReport after = audit(fresh.database());
    assertThat(after.ok()).as("finding: %s", after.finding()).isTrue();
    assertThat(after.headSeq()).isEqualTo(14);
  }

  @Test
  void retentionKeepsTheNewestBackupsOfThisDeviceAndTouchesNothingElse() throws Exception {
    Files.createDirectories(backups);
    List<Path> untouchable = List.of(
        backups.resolve("fiscald-TEST-0002-20200101T000000Z-seq3.db"), // another device, older
        backups.resolve("fiscald-TEST-0001-B-20200101T000000Z-seq3.db"), // a device whose id extends ours
        backups.resolve("fiscald-TEST-0001-notes.db"), // ours by prefix, but not a backup name
        backups.resolve("README.txt"),
        backups.resolve("fiscald-TEST-0001-20200101T000000Z-seq3.db.bak"));
    for (Path p : untouchable) {
      Files.writeString(p, "not mine to delete: " + p.getFileName());
    }

    List<BackupManager.Backup> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      made.add(BackupManager.create(f.dir, backups, 0, clock));
      clock.advance(Duration.ofSeconds(1));
    }
    BackupManager.Backup newest = BackupManager.create(f.dir, backups, 2, clock);
    made.add(newest);

    assertThat(made).extracting(BackupManager.Backup::file).doesNotHaveDuplicates();
    assertThat(newest.pruned()).containsExactly(made.get(0).file(), made.get(1).file());
    assertThat(made.get(0).file()).doesNotExist();
    assertThat(made.get(1).file()).doesNotExist();
    assertThat(made.get(2).file()).exists();
    assertThat(made.get(3).file()).exists();
    for (Path p : untouchable) {
      assertThat(p).exists().hasContent("not mine to delete: " + p.getFileName());
    }
    try (Stream<Path> files = Files.list(backups)) {
      assertThat(files).containsExactlyInAnyOrderElementsOf(concat(untouchable,
          List.of(made.get(2).file(), made.get(3).file())));
    }
  }

  // ---- corrupted backups -------------------------------------------------------------------------

  @Test
  void aBackupWithAFlippedBitIsRefused() throws Exception {
    Path bad = copyOfBackup("flipped.db");
    String payload;
    try (Connection c = Database.openReadOnly(bad)) {
      payload = Journal.get(c, 5).orElseThrow().payload();
    }
    JournalFixture.flipLiveCopy(bad, payload, 5);
    assertRefusedAsInvalid(bad);
  }

  @Test
  void aTruncatedBackupIsRefused() throws Exception {
    Path bad = copyOfBackup("truncated.db");
    try (FileChannel ch = FileChannel.open(bad, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    assertRefusedAsInvalid(bad);
  }

  @Test
  void aBackupWithATamperedJournalRowIsRefused() throws Exception {
    Path bad = copyOfBackup("tampered.db");
    try (Connection c = JournalFixture.raw(bad)) {
      assertThat(JournalFixture.sql(c, "UPDATE journal SET payload = replace(payload, '\"totalMinor\":75000',"
          + " '\"totalMinor\":7500') WHERE seq = 5")).isEqualTo(1);
    }
    BackupManager.Check check = BackupManager.check(bad);
    assertThat(check.integrity()).as("a clean edit passes integrity_check; only the audit sees it").isEqualTo("ok");
    assertThat(check.problem()).contains("journal seq 5").contains("hash does not match");
    assertRefusedAsInvalid(bad);
  }

  @Test
  void aFileThatIsNotADatabaseIsRefused() throws Exception {
    Path bad = tmp.resolve("notes.db");
    Files.writeString(bad, "this is not a database\n".repeat(300));
    assertRefusedAsInvalid(bad);
  }

  private Path copyOfBackup(String name) throws IOException {
    BackupManager.Backup b = BackupManager.create(f.dir, backups, 0, clock);
    Path copy = tmp.resolve(name);
    Files.copy(b.file(), copy);
    return copy;
  }

  private void assertRefusedAsInvalid(Path bad) throws Exception {
    DataDirState before = DataDirState.of(f.dir);
    for (boolean force : new boolean[] {false, true}) {
      FiscalException e = catchFiscal(() -> BackupManager.restore(f.dir, bad, force, clock));
      assertThat(e.code()).as("force=" + force + " never skips verification").isEqualTo(ErrorCode.BACKUP_INVALID);
      assertThat(e.getMessage()).contains("nothing was restored");
      assertThat(DataDirState.of(f.dir)).isEqualTo(before);
    }
    assertThat(audit(f.db()).ok()).isTrue();
  }

  // ---- restore over something ----------------------------------------------------------------------

  @Test
  void anOlderBackupDoesNotReplaceALongerChainUnlessForced() throws Exception {
    BackupManager.Backup old = BackupManager.create(f.dir, backups, 0, clock);
    clock.advance(Duration.ofMinutes(1));
    try (Agent agent = TestDevice.open(f.dir, clock)) {
      agent.core().issue(TestDevice.sugarSale()); // seq 13
    }
    DataDirState before = DataDirState.of(f.dir);

    FiscalException e = catchFiscal(() -> BackupManager.restore(f.dir, old.file(), false, clock));
    assertThat(e.code()).isEqualTo(ErrorCode.RESTORE_WOULD_OVERWRITE_NEWER);
    assertThat(e.details()).containsEntry("currentHeadSeq", 13L).containsEntry("backupHeadSeq", 12L);
    assertThat(e.getMessage()).contains("lose 1 journal entries");
    assertThat(DataDirState.of(f.dir)).isEqualTo(before);

    BackupManager.Restore r = BackupManager.restore(f.dir, old.file(), true, clock);
    assertThat(r.headSeq()).isEqualTo(12);
    assertThat(r.previousDatabase()).exists().hasParent(f.dir.root());
    AuditReport kept = audit(r.previousDatabase());
    assertThat(kept.ok()).as("the replaced database is kept whole: %s", kept.finding()).isTrue();
    assertThat(kept.headSeq()).isEqualTo(13);
    AuditReport now = audit(f.db());
    assertThat(now.ok()).isTrue();
    assertThat(now.headSeq()).isEqualTo(12);
  }

  @Test
  void anotherDevicesBackupIsRefusedUnlessForced() throws Exception {
    DataDirectory otherDir = new DataDirectory(tmp.resolve("other"));
    Agent.initialise(otherDir, TestDevice.ENV, "TEST-0002", "sandbox", KeyAlgorithm.EC_P256,
        DeviceSettings.defaults(), clock);
    try (Agent other = TestDevice.open(otherDir, clock)) {
      other.core().openDay();
      for (int i = 0; i < 12; i++) {
        other.core().issue(TestDevice.sugarSale()); // a longer chain than ours: only the device differs
      }
    }
    BackupManager.Backup theirs = BackupManager.create(otherDir, backups, 0, clock);
    assertThat(theirs.headSeq()).isEqualTo(14);
    DataDirState before = DataDirState.of(f.dir);

    FiscalException e = catchFiscal(() -> BackupManager.restore(f.dir, theirs.file(), false, clock));
    assertThat(e.code()).isEqualTo(ErrorCode.RESTORE_WOULD_OVERWRITE_NEWER);
    assertThat(e.getMessage()).contains("TEST-0002").contains("TEST-0001");
    assertThat(DataDirState.of(f.dir)).isEqualTo(before);

    BackupManager.Restore r = BackupManager.restore(f.dir, theirs.file(), true, clock);
    assertThat(r.deviceId()).isEqualTo("TEST-0002");
    try (Connection c = Database.openReadOnly(r.previousDatabase())) {
      assertThat(Devices.find(c).orElseThrow().deviceId()).isEqualTo("TEST-0001");
    }
  }

  @Test
  void aRestoreWhileAnAgentHoldsTheDataDirectoryIsRefused() throws Exception {
    try (Agent agent = TestDevice.open(f.dir, clock)) {
      BackupManager.Backup b = BackupManager.create(f.dir, backups, 0, clock);
      List<String> filesBefore = fileNames(f.dir.root());
      long countBefore = Journal.count(agent.reader());

      assertThatThrownBy(() -> BackupManager.restore(f.dir, b.file(), true, clock))
          .isInstanceOf(DataDirLockedException.class);

      assertThat(fileNames(f.dir.root())).isEqualTo(filesBefore);
      assertThat(Journal.count(agent.reader())).isEqualTo(countBefore);
      assertThat(agent.core().issue(TestDevice.sugarSale()).seal().journalSeq())
          .as("the agent holding the lock carries on").isEqualTo(13);
    }
    assertThat(audit(f.db()).ok()).isTrue();
  }

  @Test
  void aBackupTakenWhileReceiptsAreBeingIssuedIsConsistent() throws Exception {
    ExecutorService pos = Executors.newSingleThreadExecutor();
    try (Agent agent = TestDevice.open(f.dir, clock)) {
      FiscalCore core = agent.core();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch firstBatch = new CountDownLatch(1);
      Future<Integer> issuing = pos.submit(() -> {
        int issued = 0;
        while (!stop.get()) {
          List<CompletableFuture<IssuedReceipt>> batch = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            batch.add(core.submit(TestDevice.sugarSale()));
          }
          for (CompletableFuture<IssuedReceipt> r : batch) {
            FiscalCore.await(r);
            issued++;
          }
          firstBatch.countDown();
        }
        return issued;
      });
      assertThat(firstBatch.await(30, TimeUnit.SECONDS)).as("the POS thread got going").isTrue();

      BackupManager.Backup b = BackupManager.create(f.dir, backups, 0, clock);

      stop.set(true);
      int issued = issuing.get(30, TimeUnit.SECONDS);
      assertThat(b.headSeq()).isGreaterThanOrEqualTo(12 + 10);
      assertThat(b.headSeq()).isLessThanOrEqualTo(12 + issued);
      BackupManager.Check check = BackupManager.check(b.file());
      assertThat(check.ok()).as("check: %s", check.ok() ? "" : check.problem()).isTrue();
      assertThat(check.audit().receiptsChecked()).isEqualTo(8 + (b.headSeq() - 12));
    } finally {
      pos.shutdownNow();
    }
    assertThat(audit(f.db()).ok()).isTrue();
  }

  // ---- helpers -------------------------------------------------------------------------------------

  /** What a refused restore must leave exactly as it was. */
  private record DataDirState(List<String> files, long journalCount, String sha256) {
    static DataDirState of(DataDirectory dir) throws IOException, SQLException {
      long count;
      try (Connection c = Database.openReadOnly(dir.database())) {
        count = Journal.count(c);
      }
      return new DataDirState(fileNames(dir.root()), count,
          java.util.HexFormat.of().formatHex(JournalFixture.sha256(dir.database())));
    }
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith("-shm") && !n.endsWith("-wal"))
          .sorted().toList();
    }
  }

  private static List<Path> concat(List<Path> a, List<Path> b) {
    List<Path> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private interface Call {
    void run() throws Exception;
  }

  private static FiscalException catchFiscal(Call call) {
    try {
      call.run();
    } catch (FiscalException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a FiscalException, got " + t, t);
    }
    throw new AssertionError("expected a FiscalException, nothing was thrown");
  }
}
