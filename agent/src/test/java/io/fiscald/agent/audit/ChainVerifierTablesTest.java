package io.fiscald.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.Database;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chain checked with the P-256 tables (long exports) says what it says with the general verifier. */
class ChainVerifierTablesTest {
  @TempDir Path tmp;

  @Test
  void sameFindingsWithAndWithoutTables() throws Exception {
    JournalFixture f = JournalFixture.create(tmp);
    List<JournalEntry> entries = new ArrayList<>();
    PublicKey key;
    try (Connection c = Database.openReadOnly(f.db())) {
      Journal.forEach(c, 1, entries::add);
      key = PublicKeys.fromDer(Devices.find(c).orElseThrow().publicKey());
    }
    assertThat(findings(key, entries, true)).isEqualTo(findings(key, entries, false)).containsOnlyNulls();
    JournalEntry e = entries.get(5);
    entries.set(5, new JournalEntry(e.seq(), e.kind(), e.createdAt(), e.payload(), e.prevHash(), e.hash(),
        entries.get(4).signature()));
    List<AuditFinding> withTables = findings(key, entries, true);
    assertThat(withTables).isEqualTo(findings(key, entries, false));
    assertThat(withTables.get(5).problem()).contains("signature does not verify");
  }

  private static List<AuditFinding> findings(PublicKey key, List<JournalEntry> entries, boolean tables) {
    ChainVerifier chain = new ChainVerifier(key);
    if (tables) {
      chain.withTables();
    }
    List<AuditFinding> out = new ArrayList<>();
    for (JournalEntry e : entries) {
      AuditFinding finding = chain.next(e);
      out.add(finding);
      if (finding != null) {
        break;
      }
    }
    return out;
  }
}
