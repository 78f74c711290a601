package io.fiscald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

  @TempDir Path dir;

  private Path db() {
    return dir.resolve(Database.FILE_NAME);
  }

  @Test
  void writingConnectionHasTheDurabilitySettings() throws SQLException {
    try (Connection c = Database.openForWriting(db())) {
      assertThat(TestRows.text(c, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
      assertThat(TestRows.scalar(c, "PRAGMA synchronous")).isEqualTo(2L); // FULL
      assertThat(TestRows.scalar(c, "PRAGMA foreign_keys")).isEqualTo(1L);
      assertThat(TestRows.scalar(c, "PRAGMA busy_timeout")).isEqualTo(5000L);
      assertThat(Migrations.currentVersion(c)).isEqualTo(Migrations.latestVersion());
    }
    assertThat(db()).isRegularFile();
  }

  @Test
  void createsMissingParentDirectories() throws SQLException {
    Path nested = dir.resolve("a/b/c").resolve(Database.FILE_NAME);
    try (Connection c = Database.openForWriting(nested)) {
      assertThat(TestRows.tables(c)).contains("journal", "receipts");
    }
    assertThat(nested).isRegularFile();
  }

  @Test
  void readOnlyConnectionHasTheSameReadSettings() throws SQLException {
    Database.openForWriting(db()).close();
    try (Connection c = Database.openReadOnly(db())) {
      assertThat(TestRows.scalar(c, "PRAGMA foreign_keys")).isEqualTo(1L);
      assertThat(TestRows.scalar(c, "PRAGMA busy_timeout")).isEqualTo(5000L);
      assertThat(TestRows.scalar(c, "PRAGMA query_only")).isEqualTo(1L);
      // the file was left in WAL mode by the writer
      assertThat(TestRows.text(c, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void writeTransactionsTakeTheWriteLockAtBegin() throws SQLException {
    try (Connection a = Database.openForWriting(db());
        Connection b = DriverManager.getConnection("jdbc:sqlite:" + db())) {
      try (Statement st = b.createStatement()) {
        st.execute("PRAGMA busy_timeout = 0");
      }
      a.setAutoCommit(false); // BEGIN IMMEDIATE: the write lock is taken before any statement
      try {
        assertThatThrownBy(() -> {
          try (Statement st = b.createStatement()) {
            st.executeUpdate("INSERT INTO meta (key, value) VALUES ('other', 'writer')");
          }
        }).isInstanceOf(SQLException.class).hasMessageContaining("SQLITE_BUSY");
      } finally {
        a.rollback();
        a.setAutoCommit(true);
      }
      // once released, the other writer gets through
      try (Statement st = b.createStatement()) {
        assertThat(st.executeUpdate("INSERT INTO meta (key, value) VALUES ('other', 'writer')")).isEqualTo(1);
      }
      assertThat(Meta.get(a, "other")).contains("writer");
    }
  }

  @Test
  void foreignKeyViolationIsRefusedAndNothingIsStored() throws SQLException {
    try (Connection c = Database.openForWriting(db())) {
      assertThatThrownBy(() -> FiscalDays.open(c, 1, TestRows.T0, 42))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("open fiscal day 1")
          .hasMessageContaining("FOREIGN KEY");
      assertThat(FiscalDays.all(c)).isEmpty();

      // a receipt for a day that does not exist is refused too
      JournalEntry e = TestRows.append(c, "RECEIPT", Map.of("n", 1));
      ReceiptRecord r = new ReceiptRecord(0, "X-1", "INVOICE", 7, 1, 1, 1, "USD", 100, 13,
          e.createdAt(), e.seq(), null, e.payload());
      assertThatThrownBy(() -> Receipts.insert(c, r))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("FOREIGN KEY");
      assertThat(Receipts.count(c)).isZero();
    }
  }

  @Test
  void readOnlyConnectionRefusesWritesAndLeavesDataAlone() throws SQLException {
    try (Connection c = Database.openForWriting(db())) {
      TestRows.openDay(c, 1);
    }
    try (Connection ro = Database.openReadOnly(db())) {
      assertThatThrownBy(() -> Meta.put(ro, "k", "v")).isInstanceOf(StoreException.class);
      assertThatThrownBy(() -> TestRows.append(ro, "RECEIPT", Map.of("n", 1)))
          .isInstanceOf(StoreException.class);
      assertThatThrownBy(() -> {
        try (Statement st = ro.createStatement()) {
          st.execute("CREATE TABLE intruder (x)");
        }
      }).isInstanceOf(SQLException.class);
      assertThat(Journal.count(ro)).isEqualTo(1);
      assertThat(FiscalDays.latest(ro)).get().extracting(FiscalDayRecord::isOpen).isEqualTo(true);
    }
    try (Connection c = Database.openForWriting(db())) {
      assertThat(Meta.get(c, "k")).isEmpty();
      assertThat(Journal.count(c)).isEqualTo(1);
      assertThat(TestRows.tables(c)).doesNotContain("intruder");
    }
  }

  @Test
  void readOnlyRefusesAMissingFileNamingItAndDoesNotCreateIt() {
    Path missing = dir.resolve("nowhere").resolve(Database.FILE_NAME);

    assertThatThrownBy(() -> Database.openReadOnly(missing))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(missing.toString());
    assertThat(missing).doesNotExist();
    assertThat(missing.getParent()).doesNotExist();
  }

  @Test
  void readOnlyRefusesADirectory() {
    assertThatThrownBy(() -> Database.openReadOnly(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.toString());
  }

  @Test
  void readOnlySeesCommittedRowsStillInTheWal() throws SQLException {
    try (Connection w = Database.openForWriting(db())) {
      TestRows.openDay(w, 1);
      assertThat(dir.resolve(Database.FILE_NAME + "-wal")).exists();
      try (Connection ro = Database.openReadOnly(db())) {
        assertThat(Journal.count(ro)).isEqualTo(1);
        assertThat(FiscalDays.latest(ro)).isPresent();
      }
    }
  }

  @Test
  void readOnlyTransactionIsOneConsistentSnapshotWhileTheWriterCommits() throws SQLException {
    try (Connection w = Database.openForWriting(db())) {
      TestRows.openDay(w, 1);
      try (Connection ro = Database.openReadOnly(db())) {
        ro.setAutoCommit(false); // an audit reading the journal and the receipts as of one moment
        assertThat(Journal.count(ro)).isEqualTo(1);

        TestRows.receipt(w, 1, 1, 1, 100); // committed by the writer meanwhile

        assertThat(Journal.count(ro)).isEqualTo(1);
        assertThat(Receipts.count(ro)).isZero();
        assertThat(Journal.recordedHead(ro)).get().extracting(Journal.Head::seq).isEqualTo(1L);
        ro.commit();
        assertThat(Journal.count(ro)).isEqualTo(2);
        assertThat(Receipts.count(ro)).isEqualTo(1);
        ro.setAutoCommit(true);
      }
    }
  }

  @Test
  void integrityCheckIsOkOnAFreshDatabase() throws SQLException {
    try (Connection c = Database.openForWriting(db())) {
      assertThat(Database.integrityCheck(c)).isEqualTo("ok");
    }
    try (Connection ro = Database.openReadOnly(db())) {
      assertThat(Database.integrityCheck(ro)).isEqualTo("ok");
    }
  }

  @Test
  void integrityCheckReportsCorruptedPages() throws Exception {
    try (Connection c = Database.openForWriting(db())) {
      c.setAutoCommit(false);
      TestRows.openDay(c, 1);
      String filler = "x".repeat(900);
      for (int i = 1; i <= 300; i++) {
        TestRows.note(c, "INVOICE", 1, i, i, 100L * i, null);
        Outbox.enqueue(c, null, i, "zimra", "SubmitReceipt", filler + i, TestRows.time(i));
      }
      c.commit();
      c.setAutoCommit(true);
    }
    // the last connection closed: the WAL was checkpointed into the main file and removed
    assertThat(dir.resolve(Database.FILE_NAME + "-wal")).doesNotExist();
    try (Connection ro = Database.openReadOnly(db())) {
      assertThat(Database.integrityCheck(ro)).isEqualTo("ok");
    }

    long size = Files.size(db());
    int pageSize = 4096;
    assertThat(size).isGreaterThan(50L * pageSize);
    Random random = new Random(7);
    try (RandomAccessFile raf = new RandomAccessFile(db().toFile(), "rw")) {
      for (long page = 10; page < size / pageSize - 5; page += 7) {
        byte[] garbage = new byte[pageSize / 2];
        random.nextBytes(garbage);
        raf.seek(page * pageSize + 64);
        raf.write(garbage);
      }
    }

    try (Connection ro = Database.openReadOnly(db())) {
      String result = Database.integrityCheck(ro);
      assertThat(result).isNotBlank().isNotEqualTo("ok");
    }
  }
}
