package io.fiscald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
  @TempDir Path dir;
  private Connection raw;

  @BeforeEach
  void open() {
    raw = Database.openForWriting(dir.resolve(Database.FILE_NAME));
  }

  @AfterEach
  void close() throws SQLException {
    raw.close();
  }

  @Test
  void theDaosWriteAndReadThroughCachedStatements() {
    try (StatementCache cache = StatementCache.on(raw, 8)) {
      Connection c = cache.connection();
      for (int i = 1; i <= 50; i++) {
        Counters.set(c, Counters.GLOBAL_NO, i);
        Meta.put(c, "k", Integer.toString(i));
      }
      assertThat(Counters.get(c, Counters.GLOBAL_NO)).isEqualTo(50);
      assertThat(Meta.get(c, "k")).contains("50");
      assertThat(cache.size()).as("one statement per SQL text (2 writes, 2 reads), reused 50 times").isEqualTo(4);
    }
    // the raw connection, which the cache never owned, still works and saw every write
    assertThat(Counters.get(raw, Counters.GLOBAL_NO)).isEqualTo(50);
  }

  @Test
  void aStatementInUseIsNeverHandedOutTwice() throws SQLException {
    try (StatementCache cache = StatementCache.on(raw, 8)) {
      Connection c = cache.connection();
      Meta.put(c, "a", "1");
      Meta.put(c, "b", "2");
      String sql = "SELECT value FROM meta WHERE key = ?";
      try (PreparedStatement outer = c.prepareStatement(sql)) {
        outer.setString(1, "a");
        try (ResultSet rs = outer.executeQuery()) {
          assertThat(rs.next()).isTrue();
          // the same SQL while the outer one is open: a separate statement, the outer cursor unharmed
          assertThat(Meta.get(c, "b")).contains("2");
          assertThat(rs.getString(1)).isEqualTo("1");
        }
      }
      assertThat(Meta.get(c, "a")).contains("1");
    }
  }

  @Test
  void leastRecentlyUsedStatementsAreEvictedBeyondCapacity() {
    try (StatementCache cache = StatementCache.on(raw, 2)) {
      Connection c = cache.connection();
      Meta.put(c, "a", "1");
      Counters.set(c, "x", 1);
      Counters.get(c, "x");
      assertThat(cache.size()).isEqualTo(2);
      assertThat(Meta.get(c, "a")).contains("1");
    }
  }

  @Test
  void transactionsAndRollbacksBehaveAsOnTheRawConnection() throws SQLException {
    try (StatementCache cache = StatementCache.on(raw, 8)) {
      Connection c = cache.connection();
      byte[] hash = new byte[32];
      try (var st = c.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
        Journal.insertAwaitingSignature(c, 1, "TEST", "2026-01-01T00:00:00Z", "{}", ChainHash.genesis(), hash);
        Journal.completeSignatures(c, java.util.List.of(new JournalEntry(1, "TEST", "2026-01-01T00:00:00Z", "{}",
            ChainHash.genesis(), hash, new byte[] {1, 2, 3})));
        st.execute("ROLLBACK");
      }
      assertThat(Journal.count(c)).isZero();
      assertThat(Journal.recordedHead(c)).isEmpty();
    }
  }

  @Test
  void aSignatureIsOnlyEverWrittenIntoAnEntryAwaitingIt() {
    byte[] hash = new byte[32];
    JournalEntry signed = new JournalEntry(1, "TEST", "2026-01-01T00:00:00Z", "{}", ChainHash.genesis(), hash,
        new byte[] {1, 2, 3});
    Journal.insertAwaitingSignature(raw, 1, "TEST", "2026-01-01T00:00:00Z", "{}", ChainHash.genesis(), hash);
    Journal.completeSignatures(raw, java.util.List.of(signed));
    assertThat(Journal.get(raw, 1).orElseThrow().signature()).containsExactly(1, 2, 3);
    assertThat(Journal.recordedHead(raw).orElseThrow().hashHex()).isEqualTo(HexFormat.of().formatHex(hash));

    JournalEntry forged = new JournalEntry(1, "TEST", "2026-01-01T00:00:00Z", "{}", ChainHash.genesis(), hash,
        new byte[] {9});
    assertThatThrownBy(() -> Journal.completeSignatures(raw, java.util.List.of(forged)))
        .isInstanceOf(StoreException.class).hasMessageContaining("not awaiting a signature");
    assertThat(Journal.get(raw, 1).orElseThrow().signature()).containsExactly(1, 2, 3);
  }
}
