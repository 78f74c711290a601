package io.fiscald.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  @TempDir Path dir;

  private Path file;
  private Connection c;

  @BeforeEach
  void open() {
    file = dir.resolve(Database.FILE_NAME);
    c = Database.openForWriting(file);
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  private static Journal.Head headOf(JournalEntry e) {
    return new Journal.Head(e.seq(), HexFormat.of().formatHex(e.hash()));
  }

  private static void assertSameEntry(JournalEntry actual, JournalEntry expected) {
    assertThat(actual.seq()).isEqualTo(expected.seq());
    assertThat(actual.kind()).isEqualTo(expected.kind());
    assertThat(actual.createdAt()).isEqualTo(expected.createdAt());
    assertThat(actual.payload()).isEqualTo(expected.payload());
    assertThat(actual.prevHash()).isEqualTo(expected.prevHash());
    assertThat(actual.hash()).isEqualTo(expected.hash());
    assertThat(actual.signature()).isEqualTo(expected.signature());
  }

  @Test
  void emptyJournal() {
    assertThat(Journal.count(c)).isZero();
    assertThat(Journal.last(c)).isEmpty();
    assertThat(Journal.get(c, 1)).isEmpty();
    assertThat(Journal.recordedHead(c)).isEmpty();
    List<JournalEntry> seen = new ArrayList<>();
    Journal.forEach(c, 1, seen::add);
    assertThat(seen).isEmpty();
  }

  @Test
  void appendedEntriesReadBackExactlyAndInOrder() throws SQLException {
    JournalEntry e1 = TestRows.append(c, "DEVICE_REGISTERED", Map.of("deviceId", "DEV1"));
    JournalEntry e2 = TestRows.append(c, "DAY_OPENED", Map.of("dayNo", 1));
    JournalEntry e3 = TestRows.append(c, "RECEIPT", Map.of("number", "DEV1-000001", "name", "Café ☕"));

    assertThat(Journal.count(c)).isEqualTo(3);
    assertSameEntry(Journal.get(c, 2).orElseThrow(), e2);
    assertSameEntry(Journal.last(c).orElseThrow(), e3);
    assertThat(Journal.get(c, 4)).isEmpty();
    assertThat(e2.prevHash()).isEqualTo(e1.hash());
    assertThat(e3.prevHash()).isEqualTo(e2.hash());

    // a fresh read-only connection sees the same committed chain
    try (Connection ro = Database.openReadOnly(file)) {
      List<JournalEntry> all = new ArrayList<>();
      Journal.forEach(ro, 1, all::add);
      assertThat(all).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L);
      assertSameEntry(all.get(0), e1);
      assertSameEntry(all.get(1), e2);
      assertSameEntry(all.get(2), e3);
      assertThat(all).allMatch(JournalEntry::hashMatches);
      assertThat(all.get(2).payload()).contains("Café ☕");
    }

    List<Long> fromTwo = new ArrayList<>();
    Journal.forEach(c, 2, e -> fromTwo.add(e.seq()));
    assertThat(fromTwo).containsExactly(2L, 3L);
    List<Long> beyond = new ArrayList<>();
    Journal.forEach(c, 4, e -> beyond.add(e.seq()));
    assertThat(beyond).isEmpty();
  }

  @Test
  void forEachOrdersBySeqNotByInsertion() {
    JournalEntry e1 = TestRows.entry(null, "A", TestRows.time(1), "{}");
    JournalEntry e2 = TestRows.entry(e1, "B", TestRows.time(2), "{}");
    JournalEntry e3 = TestRows.entry(e2, "C", TestRows.time(3), "{}");
    Journal.append(c, e3);
    Journal.append(c, e1);
    Journal.append(c, e2);

    List<String> kinds = new ArrayList<>();
    Journal.forEach(c, 1, e -> kinds.add(e.kind()));

    assertThat(kinds).containsExactly("A", "B", "C");
    assertThat(Journal.last(c)).get().extracting(JournalEntry::kind).isEqualTo("C");
  }

  @Test
  void recordedHeadFollowsEveryAppend() {
    JournalEntry e1 = TestRows.append(c, "DAY_OPENED", Map.of("dayNo", 1));
    assertThat(Journal.recordedHead(c)).contains(headOf(e1));

    JournalEntry e2 = TestRows.append(c, "DAY_CLOSED", Map.of("dayNo", 1));
    assertThat(Journal.recordedHead(c)).contains(headOf(e2));
    assertThat(Meta.get(c, "journal.head.seq")).contains("2");
    assertThat(Meta.get(c, "journal.head.hash")).contains(HexFormat.of().formatHex(e2.hash()));
  }

  @Test
  void rolledBackAppendLeavesChainAndHeadAsTheyWere() throws SQLException {
    JournalEntry e1 = TestRows.append(c, "DAY_OPENED", Map.of("dayNo", 1));

    c.setAutoCommit(false);
    JournalEntry e2 = TestRows.append(c, "RECEIPT", Map.of("n", 1));
    assertThat(Journal.recordedHead(c)).contains(headOf(e2)); // same transaction sees its own head
    assertThat(Journal.count(c)).isEqualTo(2);
    c.rollback();
    c.setAutoCommit(true);

    assertThat(Journal.count(c)).isEqualTo(1);
    assertThat(Journal.recordedHead(c)).contains(headOf(e1));
    try (Connection other = Database.openReadOnly(file)) {
      assertThat(Journal.recordedHead(other)).contains(headOf(e1));
      assertThat(Journal.last(other)).get().extracting(JournalEntry::seq).isEqualTo(1L);
    }
  }

  @Test
  void uncommittedAppendIsInvisibleToOtherConnectionsUntilCommit() throws SQLException {
    JournalEntry e1 = TestRows.append(c, "DAY_OPENED", Map.of("dayNo", 1));
    c.setAutoCommit(false);
    JournalEntry e2 = TestRows.append(c, "RECEIPT", Map.of("n", 1));
    try (Connection other = Database.openReadOnly(file)) {
      assertThat(Journal.count(other)).isEqualTo(1);
      assertThat(Journal.recordedHead(other)).contains(headOf(e1));

      c.commit();
      c.setAutoCommit(true);

      assertThat(Journal.count(other)).isEqualTo(2);
      assertThat(Journal.recordedHead(other)).contains(headOf(e2));
    }
  }

  @Test
  void duplicateSeqIsRefusedAndChangesNothing() {
    JournalEntry e1 = TestRows.append(c, "DAY_OPENED", Map.of("dayNo", 1));
    JournalEntry e2 = TestRows.append(c, "RECEIPT", Map.of("n", 1));
    JournalEntry forged = new JournalEntry(1, "RECEIPT", TestRows.time(9), "{\"n\":99}", ChainHash.genesis(),
        ChainHash.compute(ChainHash.genesis(), 1, "RECEIPT", TestRows.time(9), "{\"n\":99}"),
        "x".getBytes(UTF_8));

    assertThatThrownBy(() -> Journal.append(c, forged))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("journal entry 1");

    assertThat(Journal.count(c)).isEqualTo(2);
    assertSameEntry(Journal.get(c, 1).orElseThrow(), e1);
    assertThat(Journal.recordedHead(c)).contains(headOf(e2));
  }

  @Test
  void failedAppendInsideATransactionCanBeRolledBackWithTheRest() throws SQLException {
    JournalEntry e1 = TestRows.append(c, "DAY_OPENED", Map.of("dayNo", 1));
    c.setAutoCommit(false);
    TestRows.append(c, "RECEIPT", Map.of("n", 1));
    assertThatThrownBy(() -> Journal.append(c, e1)).isInstanceOf(StoreException.class);
    c.rollback();
    c.setAutoCommit(true);

    assertThat(Journal.count(c)).isEqualTo(1);
    assertThat(Journal.recordedHead(c)).contains(headOf(e1));
  }

  @Test
  void entryRejectsSeqBelowOneAndCopiesItsArrays() {
    assertThatThrownBy(() -> new JournalEntry(0, "K", TestRows.T0, "{}", new byte[32], new byte[32], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");

    byte[] hash = new byte[32];
    JournalEntry e = new JournalEntry(1, "K", TestRows.T0, "{}", new byte[32], hash, new byte[] {1});
    hash[0] = 9;
    e.hash()[1] = 9;
    assertThat(e.hash()).containsOnly((byte) 0);
  }
}
