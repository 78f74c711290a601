package io.fiscald.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceKeys;
import io.fiscald.agent.testing.MutableClock;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.hal.sign.Signer;
import io.fiscald.store.ChainHash;
import io.fiscald.store.Database;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.Receipts;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The journal every audit, export and backup test starts from, and the attacker's tools: a plain
 * JDBC connection (no foreign keys, no migrations) and helpers to rewrite journal rows.
 *
 * <pre>
 *  1 DEVICE_INITIALISED
 *  2 DAY_OPENED   day 1
 *  3 RECEIPT      INV-000001  2 × 522.00 B  (1044.00)
 *  4 RECEIPT      INV-000002  1 × 100.00 A  (100.00, paid 150.00)
 *  5 RECEIPT      INV-000003  3 × 250.00 B  (750.00)
 *  6 RECEIPT      CRN-000001  on INV-000001, 1 × 522.00
 *  7 RECEIPT      INV-000004  1 × 99.99 B
 *  8 RECEIPT      INV-000005  2 × 522.00 B
 *  9 DAY_CLOSED   day 1, Z report
 * 10 DAY_OPENED   day 2
 * 11 RECEIPT      INV-000006
 * 12 RECEIPT      INV-000007
 * </pre>
 */
public final class JournalFixture {
  public static final Instant START = Instant.parse("2026-11-24T06:00:00Z");
  public static final List<String> KINDS = List.of(JournalKind.DEVICE_INITIALISED, JournalKind.DAY_OPENED,
      JournalKind.RECEIPT, JournalKind.RECEIPT, JournalKind.RECEIPT, JournalKind.RECEIPT, JournalKind.RECEIPT,
      JournalKind.RECEIPT, JournalKind.DAY_CLOSED, JournalKind.DAY_OPENED, JournalKind.RECEIPT,
      JournalKind.RECEIPT);

  public final DataDirectory dir;
  public final MutableClock clock;

  private JournalFixture(DataDirectory dir, MutableClock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /** Creates the device in {@code root}, writes the twelve entries above and closes the agent. */
  public static JournalFixture create(Path root) {
    MutableClock clock = new MutableClock(START);
    DataDirectory dir = TestDevice.create(root, clock);
    try (Agent agent = TestDevice.open(dir, clock)) {
      writeStandardDays(agent.core(), clock);
    }
    JournalFixture f = new JournalFixture(dir, clock);
    try (Connection c = Database.openReadOnly(f.db())) {
      List<String> kinds = new ArrayList<>();
      Journal.forEach(c, 1, e -> kinds.add(e.kind()));
      assertThat(kinds).as("the fixture's journal kinds by seq").isEqualTo(KINDS);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return f;
  }

  /** Seqs 2..12 of the fixture, written through a running core. */
  public static void writeStandardDays(FiscalCore core, MutableClock clock) {
    core.openDay();
    step(clock);
    String first = core.issue(TestDevice.sugarSale()).receipt().receiptNumber();
    step(clock);
    core.issue(TestDevice.sale("1", "100.00", "A", "150.00"));
    step(clock);
    core.issue(TestDevice.sale("3", "250.00", "B", "750.00"));
    step(clock);
    core.issue(TestDevice.creditNote(first, "1", "522.00", "522.00"));
    step(clock);
    core.issue(TestDevice.sale("1", "99.99", "B", "100.00"));
    step(clock);
    core.issue(TestDevice.sugarSale());
    step(clock);
    core.closeDay();
    clock.advance(Duration.ofHours(10));
    core.openDay();
    step(clock);
    core.issue(TestDevice.sale("4", "12.50", "B", "50.00"));
    step(clock);
    core.issue(TestDevice.sale("1", "7.00", "A", "7.00"));
    step(clock);
  }

  private static void step(MutableClock clock) {
    clock.advance(Duration.ofMinutes(1));
  }

  public Path db() {
    return dir.database();
  }

  public AuditReport audit() {
    return audit(db());
  }

  public static AuditReport audit(Path db) {
    try (Connection c = Database.openReadOnly(db)) {
      return JournalAuditor.audit(c);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The attacker's connection: plain JDBC, foreign keys off, autocommit. */
  public static Connection raw(Path db) {
    try {
      return DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static int sql(Connection c, String sql, Object... args) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("tampering failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  public static JournalEntry entry(Connection c, long seq) {
    return Journal.get(c, seq).orElseThrow(() -> new IllegalStateException("no journal entry " + seq));
  }

  /** Overwrites every column of the row at {@code e.seq()}. */
  public static void rewrite(Connection c, JournalEntry e) {
    int n = sql(c, "UPDATE journal SET kind = ?, created_at = ?, payload = ?, prev_hash = ?, hash = ?, signature = ?"
        + " WHERE seq = ?", e.kind(), e.createdAt(), e.payload(), e.prevHash(), e.hash(), e.signature(), e.seq());
    assertThat(n).as("rows rewritten at seq " + e.seq()).isEqualTo(1);
  }

  /**
   * What a careful attacker holding {@code signer} does after editing entry {@code fromSeq}: re-link,
   * re-hash and re-sign it and every later entry, and move the recorded head to the new last hash.
   */
  public static void rechain(Connection c, long fromSeq, Signer signer) {
    byte[] prev = fromSeq == 1 ? ChainHash.genesis() : entry(c, fromSeq - 1).hash();
    long last = Journal.last(c).orElseThrow().seq();
    for (long seq = fromSeq; seq <= last; seq++) {
      JournalEntry old = entry(c, seq);
      byte[] hash = ChainHash.compute(prev, seq, old.kind(), old.createdAt(), old.payload());
      rewrite(c, new JournalEntry(seq, old.kind(), old.createdAt(), old.payload(), prev, hash, signer.sign(hash)));
      prev = hash;
    }
    sql(c, "UPDATE meta SET value = ? WHERE key = 'journal.head.hash'", HexFormat.of().formatHex(prev));
  }

  /** The device's real signing key, unsealed the way the agent does it. */
  public Signer realSigner(Connection c) {
    SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(TestDevice.ENV),
        TestDevice.ENV)));
    return DeviceKeys.load(c, secrets, Devices.find(c).orElseThrow());
  }

  /** Replaces the first occurrence of {@code from} in {@code text}, failing if it is not there. */
  public static String replaceOnce(String text, String from, String to) {
    int at = text.indexOf(from);
    assertThat(at).as("'" + from + "' occurs in " + text).isGreaterThanOrEqualTo(0);
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  public static byte[] sha256(Path file) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Flips one bit in the middle of a copy of receipt entry {@code seq}'s payload that SQLite actually
   * reads (the journal row or the receipts row). B-tree page splits leave stale copies of cells in the
   * unused part of pages; a flip there changes nothing and no check could, or needs to, see it.
   */
  public static long flipLiveCopy(Path db, String payload, long seq) throws IOException {
    byte[] original = Files.readAllBytes(db);
    byte[] needle = payload.getBytes(StandardCharsets.UTF_8);
    for (int from = 0; ; ) {
      int at = indexOf(java.util.Arrays.copyOfRange(original, from, original.length), needle);
      assertThat(at).as("a live copy of the payload is in the file").isGreaterThanOrEqualTo(0);
      int pos = from + at + needle.length / 2;
      byte[] flipped = original.clone();
      flipped[pos] ^= 0x01;
      Files.write(db, flipped);
      if (!stillReads(db, payload, seq)) {
        return pos;
      }
      Files.write(db, original);
      from = from + at + 1;
    }
  }

  /** Whether both stored copies of receipt entry {@code seq}'s payload still read back unchanged. */
  private static boolean stillReads(Path db, String payload, long seq) {
    try (Connection c = Database.openReadOnly(db)) {
      return entry(c, seq).payload().equals(payload)
          && Receipts.findByJournalSeq(c, seq).orElseThrow().body().equals(payload);
    } catch (Exception e) {
      return false;
    }
  }

  public static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Runs {@code sql} on a read connection and returns the first column of the first row as a long. */
  public static long scalar(Connection c, String sql) {
    try (Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
