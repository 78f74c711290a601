package io.fiscald.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {

  @TempDir Path dir;

  private Path db() {
    return dir.resolve(Database.FILE_NAME);
  }

  /** A day with a few receipts, their outbox rows and print jobs. */
  private static void fill(Connection c, int receipts) {
    Devices.insert(c, TestRows.device());
    TestRows.openDay(c, 1);
    for (int i = 1; i <= receipts; i++) {
      ReceiptRecord r = TestRows.receipt(c, 1, i, i, 100L * i);
      Outbox.enqueue(c, r.id(), r.journalSeq(), "zimra", "SubmitReceipt", r.body(), r.issuedAt());
      PrintJobs.enqueue(c, r.id(), 0, r.issuedAt());
    }
  }

  @Test
  void snapshotIsAConsistentStandaloneCopy() throws SQLException {
    Path backup = dir.resolve("backups").resolve("fiscald-1.db");
    Journal.Head head;
    try (Connection c = Database.openForWriting(db())) {
      fill(c, 5);
      head = Journal.recordedHead(c).orElseThrow();
      Files.createDirectories(backup.getParent());
      assertThat(dir.resolve(Database.FILE_NAME + "-wal")).exists(); // rows still in the WAL

      Backups.snapshot(c, backup);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }

    assertThat(backup).isRegularFile();
    try (Connection copy = Database.openReadOnly(backup)) {
      assertThat(Database.integrityCheck(copy)).isEqualTo("ok");
      assertThat(Migrations.currentVersion(copy)).isEqualTo(Migrations.latestVersion());
      assertThat(Journal.count(copy)).isEqualTo(6);
      assertThat(Journal.recordedHead(copy)).contains(head);
      assertThat(Receipts.count(copy)).isEqualTo(5);
      assertThat(Receipts.findByNumber(copy, TestRows.number(3))).get()
          .extracting(ReceiptRecord::totalMinor).isEqualTo(300L);
      assertThat(Outbox.pendingCount(copy)).isEqualTo(5);
      assertThat(PrintJobs.pendingCount(copy)).isEqualTo(5);
      assertThat(Devices.find(copy)).get().extracting(DeviceRecord::publicKey)
          .isEqualTo(TestRows.device().publicKey());
      assertThat(Counters.get(copy, Counters.GLOBAL_NO)).isEqualTo(5);
      Journal.forEach(copy, 1, e -> assertThat(e.hashMatches()).isTrue());
    }
    try (Connection original = Database.openReadOnly(db());
        Connection copy = Database.openReadOnly(backup)) {
      for (String table : TestRows.tables(original)) {
        String q = "SELECT * FROM " + table + " ORDER BY rowid";
        assertThat(TestRows.query(copy, q)).as(table).isEqualTo(TestRows.query(original, q));
      }
    }
  }

  @Test
  void snapshotTakenDuringAnOpenWriteTransactionHoldsOnlyCommittedRows() throws SQLException {
    Path backup = dir.resolve("during-write.db");
    try (Connection writer = Database.openForWriting(db());
        Connection source = Database.openForWriting(db())) {
      fill(writer, 2); // committed: 3 journal entries, 2 receipts

      writer.setAutoCommit(false);
      TestRows.receipt(writer, 1, 3, 3, 999);
      TestRows.closeDay(writer, 1);
      assertThat(Journal.count(writer)).isEqualTo(5);

      Backups.snapshot(source, backup); // the write lock is held by `writer` all along

      writer.commit();
      writer.setAutoCommit(true);
      assertThat(Journal.count(source)).isEqualTo(5);
    }

    try (Connection copy = Database.openReadOnly(backup)) {
      assertThat(Database.integrityCheck(copy)).isEqualTo("ok");
      assertThat(Journal.count(copy)).isEqualTo(3);
      assertThat(Journal.recordedHead(copy)).get().extracting(Journal.Head::seq).isEqualTo(3L);
      assertThat(Receipts.count(copy)).isEqualTo(2);
      assertThat(Receipts.findByNumber(copy, TestRows.number(3))).isEmpty();
      assertThat(FiscalDays.latest(copy)).get().extracting(FiscalDayRecord::isOpen).isEqualTo(true);
    }
  }

  @Test
  void snapshotFromAReadOnlyConnectionWhileTheDaemonWrites() throws SQLException {
    // how `fiscalctl backup create` does it: a read-only handle beside the running writer
    Path backup = dir.resolve("from-read-only.db");
    try (Connection writer = Database.openForWriting(db())) {
      fill(writer, 2);
      writer.setAutoCommit(false);
      TestRows.receipt(writer, 1, 3, 3, 999);
      try (Connection ro = Database.openReadOnly(db())) {
        Path nowhere = dir.resolve("missing").resolve("x.db");
        assertThatThrownBy(() -> Backups.snapshot(ro, nowhere)).isInstanceOf(StoreException.class);
        assertThat(TestRows.scalar(ro, "PRAGMA query_only")).isEqualTo(1L);

        Backups.snapshot(ro, backup);

        // the handle is as read-only as before
        assertThat(TestRows.scalar(ro, "PRAGMA query_only")).isEqualTo(1L);
        assertThatThrownBy(() -> Meta.put(ro, "k", "v")).isInstanceOf(StoreException.class);
      }
      writer.rollback();
      writer.setAutoCommit(true);
    }
    try (Connection copy = Database.openReadOnly(backup)) {
      assertThat(Database.integrityCheck(copy)).isEqualTo("ok");
      assertThat(Journal.count(copy)).isEqualTo(3);
      assertThat(Receipts.count(copy)).isEqualTo(2);
    }
  }

  @Test
  void snapshotRefusesAnExistingTargetAndLeavesItAlone() throws Exception {
    Path target = dir.resolve("existing.db");
    Files.writeString(target, "an older backup", UTF_8);
    try (Connection c = Database.openForWriting(db())) {
      fill(c, 1);

      assertThatThrownBy(() -> Backups.snapshot(c, target))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(target.toString())
          .hasMessageContaining("already exists");
    }
    assertThat(Files.readString(target, UTF_8)).isEqualTo("an older backup");
  }

  @Test
  void snapshotIntoAMissingDirectoryFailsCleanly() throws SQLException {
    Path target = dir.resolve("no-such-dir").resolve("b.db");
    try (Connection c = Database.openForWriting(db())) {
      TestRows.append(c, "DAY_OPENED", Map.of("dayNo", 1));

      assertThatThrownBy(() -> Backups.snapshot(c, target))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(target.toString());

      // the source is untouched and still writable
      TestRows.append(c, "DAY_CLOSED", Map.of("dayNo", 1));
      assertThat(Journal.count(c)).isEqualTo(2);
    }
    assertThat(target).doesNotExist();
  }

  @Test
  void restoredSnapshotOpensForWritingAndContinuesTheChain() throws Exception {
    Path a = dir.resolve("a.db");
    try (Connection c = Database.openForWriting(db())) {
      fill(c, 3);
      Backups.snapshot(c, a);
    }
    // a backup restored by copying the file back opens for writing and keeps the chain going
    Path restored = dir.resolve("restored").resolve(Database.FILE_NAME);
    Files.createDirectories(restored.getParent());
    Files.copy(a, restored);
    try (Connection c = Database.openForWriting(restored)) {
      assertThat(Journal.count(c)).isEqualTo(4);
      JournalEntry next = TestRows.append(c, "DAY_CLOSED", Map.of("dayNo", 1));
      assertThat(next.seq()).isEqualTo(5);
      assertThat(Journal.get(c, 4).orElseThrow().hash()).isEqualTo(next.prevHash());
      assertThat(Database.integrityCheck(c)).isEqualTo("ok");
    }
  }
}
