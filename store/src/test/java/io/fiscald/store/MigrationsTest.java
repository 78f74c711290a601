package io.fiscald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

  /** What each version adds; the tests below fail if a migration is added without listing it here. */
  private static final Map<Integer, Set<String>> TABLES_ADDED = Map.of(
      1, Set.of("meta", "devices", "secrets", "journal", "fiscal_days", "counters", "receipts", "outbox",
          "print_jobs"),
      2, Set.of("idempotency_keys"),
      3, Set.of("authority_state"),
      4, Set.of("api_tokens", "webhook_subscriptions", "webhook_deliveries"));
  private static final Map<Integer, Set<String>> INDEXES_ADDED = Map.of(
      1, Set.of("receipts_by_original", "outbox_pending", "print_jobs_pending"),
      2, Set.of("receipts_by_day", "receipts_by_time"),
      3, Set.of(),
      4, Set.of("webhook_deliveries_due"));

  @TempDir Path dir;

  private Path db() {
    return dir.resolve(Database.FILE_NAME);
  }

  private static Set<String> expected(Map<Integer, Set<String>> added, int version) {
    Set<String> out = new TreeSet<>();
    for (int v = 1; v <= version; v++) {
      out.addAll(added.get(v));
    }
    return out;
  }

  @Test
  void everyVersionIsDescribedHere() {
    assertThat(Migrations.latestVersion()).isEqualTo(TABLES_ADDED.size()).isEqualTo(INDEXES_ADDED.size());
  }

  @Test
  void emptyFileMigratesToTheLatestSchema() throws SQLException {
    try (Connection c = Database.openUnmigrated(db())) {
      assertThat(Migrations.currentVersion(c)).isZero();
      assertThat(TestRows.tables(c)).isEmpty();

      Migrations.migrate(c);

      int latest = Migrations.latestVersion();
      assertThat(Migrations.currentVersion(c)).isEqualTo(latest);
      assertThat(TestRows.scalar(c, "PRAGMA user_version")).isEqualTo(latest);
      assertThat(TestRows.tables(c)).containsExactlyInAnyOrderElementsOf(expected(TABLES_ADDED, latest));
      assertThat(TestRows.indexes(c)).containsExactlyInAnyOrderElementsOf(expected(INDEXES_ADDED, latest));
      assertThat(Database.integrityCheck(c)).isEqualTo("ok");
      assertThat(TestRows.query(c, "PRAGMA foreign_key_check")).isEmpty();
    }
  }

  @Test
  void eachVersionHasExactlyItsOwnTables() throws SQLException {
    for (int v = 1; v <= Migrations.latestVersion(); v++) {
      Path file = dir.resolve("v" + v + ".db");
      try (Connection c = Database.openUnmigrated(file)) {
        Migrations.migrateTo(c, v);
        assertThat(Migrations.currentVersion(c)).as("version").isEqualTo(v);
        assertThat(TestRows.tables(c)).as("tables at v%d", v)
            .containsExactlyInAnyOrderElementsOf(expected(TABLES_ADDED, v));
        assertThat(TestRows.indexes(c)).as("indexes at v%d", v)
            .containsExactlyInAnyOrderElementsOf(expected(INDEXES_ADDED, v));
      }
    }
  }

  @Test
  void everyEarlierVersionMigratesToLatestKeepingItsRows() throws SQLException {
    int latest = Migrations.latestVersion();
    for (int v = 1; v < latest; v++) {
      Path file = dir.resolve("from-v" + v + ".db");
      Map<String, List<List<Object>>> before = new TreeMap<>();
      try (Connection c = Database.openUnmigrated(file)) {
        Migrations.migrateTo(c, v);
        assertThat(Migrations.currentVersion(c)).isEqualTo(v);
        insertRepresentativeRows(c, v);
        for (String table : expected(TABLES_ADDED, v)) {
          before.put(table, dump(c, table));
        }
      }
      // the way the agent opens it: migrate on open
      try (Connection c = Database.openForWriting(file)) {
        assertThat(Migrations.currentVersion(c)).as("migrated from v%d", v).isEqualTo(latest);
        assertThat(TestRows.tables(c)).containsExactlyInAnyOrderElementsOf(expected(TABLES_ADDED, latest));
        assertThat(TestRows.indexes(c)).containsExactlyInAnyOrderElementsOf(expected(INDEXES_ADDED, latest));
        for (var table : before.entrySet()) {
          assertThat(table.getValue()).as("rows of %s before migrating from v%d", table.getKey(), v).isNotEmpty();
          assertThat(dump(c, table.getKey())).as("rows of %s after migrating from v%d", table.getKey(), v)
              .isEqualTo(table.getValue());
        }
        // the DAOs read what was written at the old version
        assertThat(Devices.find(c)).get().extracting(DeviceRecord::deviceId).isEqualTo("DEV1");
        assertThat(Journal.count(c)).isEqualTo(3);
        assertThat(Journal.recordedHead(c)).get().extracting(Journal.Head::seq).isEqualTo(3L);
        assertThat(Receipts.findByNumber(c, TestRows.number(1))).get()
            .extracting(ReceiptRecord::totalMinor).isEqualTo(1150L);
        assertThat(FiscalDays.latest(c)).get().extracting(FiscalDayRecord::isOpen).isEqualTo(true);
        assertThat(Outbox.pendingCount(c)).isEqualTo(1);
        assertThat(PrintJobs.pendingCount(c)).isEqualTo(1);
        assertThat(Counters.get(c, Counters.GLOBAL_NO)).isEqualTo(1);
        assertThat(Meta.get(c, "device.id")).contains("DEV1");
        Journal.forEach(c, 1, e -> assertThat(e.hashMatches()).as("hash of %s", e).isTrue());
        assertThat(Database.integrityCheck(c)).isEqualTo("ok");
        assertThat(TestRows.query(c, "PRAGMA foreign_key_check")).isEmpty();

        // and the new schema works on the old rows
        ReceiptRecord next = TestRows.receipt(c, 1, 2, 2, 230);
        assertThat(Receipts.byDay(c, 1)).extracting(ReceiptRecord::receiptNumber)
            .containsExactly(TestRows.number(1), next.receiptNumber());
      }
    }
  }

  /** Rows valid at {@code version} in every table that exists then. */
  private static void insertRepresentativeRows(Connection c, int version) throws SQLException {
    Devices.insert(c, TestRows.device());
    Meta.put(c, "device.id", "DEV1");
    TestRows.exec(c, "INSERT INTO secrets (name, sealed, updated_at) VALUES ('k', x'01020304', '" + TestRows.T0 + "')");
    TestRows.append(c, "DEVICE_REGISTERED", Map.of("deviceId", "DEV1"));
    TestRows.openDay(c, 1);
    ReceiptRecord r = TestRows.receipt(c, 1, 1, 1, 1150);
    Outbox.enqueue(c, r.id(), r.journalSeq(), "zimra", "SubmitReceipt", r.body(), r.issuedAt());
    PrintJobs.enqueue(c, r.id(), 0, r.issuedAt());
    if (version >= 2) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys"
          + " (token_name, key, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, "pos");
        ps.setString(2, "key-1");
        ps.setBytes(3, new byte[] {1, 2, 3});
        ps.setInt(4, 201);
        ps.setString(5, "{\"number\":\"" + r.receiptNumber() + "\"}");
        ps.setString(6, TestRows.T0);
        ps.executeUpdate();
      }
    }
    if (version >= 3) {
      AuthorityState.put(c, "zimra", "config", "{\"taxPayerDayMaxHrs\":24}", TestRows.T0);
    }
    if (version >= 4) {
      ApiTokens.insert(c, "pos-1", "cashier", new byte[32], TestRows.T0);
      long sub = Webhooks.subscribe(c, "http://127.0.0.1:9/hook", "receipt.issued", TestRows.T0);
      Webhooks.enqueue(c, sub, "evt-1", "receipt.issued", "{}", TestRows.T0);
    }
  }

  private static List<List<Object>> dump(Connection c, String table) {
    return TestRows.query(c, "SELECT * FROM " + table + " ORDER BY rowid");
  }

  @Test
  void migratingTwiceIsANoOp() throws SQLException {
    try (Connection c = Database.openForWriting(db())) {
      TestRows.openDay(c, 1);
    }
    List<List<Object>> schema;
    List<List<Object>> journal;
    try (Connection c = Database.openUnmigrated(db())) {
      schema = TestRows.query(c, "SELECT type, name, sql FROM sqlite_master ORDER BY name");
      journal = TestRows.query(c, "SELECT * FROM journal ORDER BY seq");

      Migrations.migrate(c);
      Migrations.migrate(c);

      assertThat(Migrations.currentVersion(c)).isEqualTo(Migrations.latestVersion());
      assertThat(TestRows.query(c, "SELECT type, name, sql FROM sqlite_master ORDER BY name")).isEqualTo(schema);
      assertThat(TestRows.query(c, "SELECT * FROM journal ORDER BY seq")).isEqualTo(journal);
    }
    // and reopening for writing (which migrates) changes nothing either
    try (Connection c = Database.openForWriting(db())) {
      assertThat(TestRows.query(c, "SELECT type, name, sql FROM sqlite_master ORDER BY name")).isEqualTo(schema);
      assertThat(FiscalDays.all(c)).hasSize(1);
    }
  }

  @Test
  void migrateToAnOlderVersionDoesNotGoBack() throws SQLException {
    try (Connection c = Database.openUnmigrated(db())) {
      Migrations.migrate(c);
      Migrations.migrateTo(c, 1);
      Migrations.migrateTo(c, 0);
      assertThat(Migrations.currentVersion(c)).isEqualTo(Migrations.latestVersion());
      assertThat(TestRows.tables(c)).containsAll(expected(TABLES_ADDED, Migrations.latestVersion()));
    }
  }

  @Test
  void databaseFromANewerFiscaldIsRefusedAndLeftAlone() throws SQLException {
    int newer = Migrations.latestVersion() + 1;
    try (Connection c = Database.openUnmigrated(db())) {
      TestRows.exec(c, "CREATE TABLE future_things (x)");
      TestRows.exec(c, "PRAGMA user_version = " + newer);
    }

    assertThatThrownBy(() -> Database.openForWriting(db()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version " + newer)
        .hasMessageContaining("newer")
        .hasMessageContaining("upgrade fiscald");
    try (Connection c = Database.openUnmigrated(db())) {
      assertThatThrownBy(() -> Migrations.migrate(c))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("upgrade fiscald");
      assertThat(Migrations.currentVersion(c)).isEqualTo(newer);
      assertThat(TestRows.tables(c)).containsExactly("future_things");
    }
  }

  @Test
  void failingMigrationLeavesTheVersionAndSchemaUnchanged() throws SQLException {
    try (Connection c = Database.openUnmigrated(db())) {
      Migrations.migrateTo(c, 1);
      TestRows.openDay(c, 1);
      // an object V2 wants to create already exists: V2's CREATE INDEX receipts_by_day fails
      TestRows.exec(c, "CREATE INDEX receipts_by_day ON receipts (type)");

      assertThatThrownBy(() -> Migrations.migrate(c))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("version 2")
          .hasMessageContaining("receipts_by_day");

      assertThat(Migrations.currentVersion(c)).isEqualTo(1);
      assertThat(TestRows.tables(c)).doesNotContain("idempotency_keys");
      assertThat(TestRows.indexes(c)).doesNotContain("receipts_by_time");
      assertThat(c.getAutoCommit()).isTrue();
      assertThat(FiscalDays.all(c)).hasSize(1);
    }
    // and the failure was not committed behind our back
    try (Connection c = Database.openUnmigrated(db())) {
      assertThat(Migrations.currentVersion(c)).isEqualTo(1);
      assertThat(TestRows.tables(c)).doesNotContain("idempotency_keys");

      // once the conflict is removed, the same file migrates
      TestRows.exec(c, "DROP INDEX receipts_by_day");
      Migrations.migrate(c);
      assertThat(Migrations.currentVersion(c)).isEqualTo(Migrations.latestVersion());
      assertThat(TestRows.tables(c)).contains("idempotency_keys");
    }
  }

  @Test
  void migrationsKeepTheConnectionsAutoCommitMode() throws SQLException {
    try (Connection c = Database.openUnmigrated(db())) {
      Migrations.migrate(c);
      assertThat(c.getAutoCommit()).isTrue();
      Meta.put(c, "k", "v");
    }
    try (Connection c = Database.openUnmigrated(db())) {
      assertThat(Meta.get(c, "k")).contains("v");
    }
  }
}
