package io.fiscald.agent.audit;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.ChainHash;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import io.fiscald.store.StatementCache;
import io.fiscald.store.StoreException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The integrity audit of a data directory: re-derives every hash and signature of the chain, then
 * checks that the receipts, days and counters tables say exactly what the journal says. Stops at
 * the first mismatch and names the journal {@code seq} it concerns.
 *
 * <p>The journal is cut into ranges of seqs checked on all cores at once ({@link ChunkScan}: links,
 * hashes, signatures, receipts rows), while the caller's thread joins the ranges in order (each starts
 * where the one before ended) and carries the numbering and the day totals across them. The moment
 * a range does not pass, the audit goes on from that range's first entry the plain way, one entry
 * after the other ({@link #walk}), so the finding and the counts are exactly those of a one-thread
 * audit of the whole journal.
 */
public final class JournalAuditor {
  /** Below this many entries the P-256 tables cost more than they save. */
  private static final long TABLES_FROM_ENTRIES = 2_000;
  private static final long MAX_CHUNK = 8_192;

  private final Connection c;
  private final DeviceRecord device;
  private final PublicKey key;

  private JournalAuditor(Connection c, DeviceRecord device) {
    this.c = c;
    this.device = device;
    this.key = PublicKeys.fromDer(device.publicKey());
  }

  public static AuditReport audit(Connection c) {
    return audit(c, Runtime.getRuntime().availableProcessors());
  }

  /** The audit on {@code threads} threads (1: everything on the caller's thread). */
  public static AuditReport audit(Connection c, int threads) {
    DeviceRecord device = Devices.find(c).orElseThrow(() -> new StoreException("no device in this database"));
    // the per-entry lookups of the one-entry-at-a-time audit run a million times: prepare them once
    try (StatementCache statements = StatementCache.on(c, 16);
        ReadSnapshot snapshot = ReadSnapshot.begin(c)) {
      return new JournalAuditor(statements.connection(), device).run(Math.max(1, threads));
    }
  }

  /** The audit one entry after the other from the start, the reference the ranged audit must agree with. */
  static AuditReport auditSequentially(Connection c) {
    DeviceRecord device = Devices.find(c).orElseThrow(() -> new StoreException("no device in this database"));
    try (StatementCache statements = StatementCache.on(c, 16)) {
      JournalAuditor auditor = new JournalAuditor(statements.connection(), device);
      return auditor.walk(1, ChainHash.genesis(), new AuditState(device));
    }
  }

  private AuditReport run(int threads) {
    long lastSeq = lastSeq();
    Path file = threads > 1 ? databaseFile() : null;
    int workers = file == null ? 1 : threads;
    long chunk = Math.max(1, Math.min(MAX_CHUNK, ceilDiv(lastSeq, workers * 8L)));
    int chunks = (int) ceilDiv(lastSeq, chunk);
    P256Tables tables = lastSeq >= TABLES_FROM_ENTRIES && PublicKeys.algorithmOf(key) == KeyAlgorithm.EC_P256
        ? P256Tables.of((ECPublicKey) key) : null;

    AuditState state = new AuditState(device);
    byte[] lastHash = ChainHash.genesis();
    try (ChunkPipeline pipeline = workers > 1
        ? ChunkPipeline.parallel(file, workers, chunks, k -> range(k, chunk, lastSeq), key, tables)
        : ChunkPipeline.inline(c, chunks, k -> range(k, chunk, lastSeq), key, tables)) {
      for (int k = 0; k < chunks; k++) {
        long from = range(k, chunk, lastSeq)[0];
        ChunkScan.Result result = pipeline.take(k);
        AuditState next = result.clean() && java.util.Arrays.equals(result.firstPrevHash(), lastHash)
            ? applied(state, result) : null;
        if (next == null) {
          pipeline.cancel();
          return walk(from, lastHash, state); // the exact finding, from the start of this range
        }
        state = next;
        lastHash = result.lastHash();
      }
    }
    AuditFinding finding = state.checkHead(c, lastSeq, lastHash);
    if (finding == null) {
      finding = state.checkTotals(c, lastSeq);
    }
    return new AuditReport(lastSeq, state.receiptsChecked(), lastSeq, finding);
  }

  /** {@code state} after the range's entries, or null when any of them does not pass. */
  private AuditState applied(AuditState state, ChunkScan.Result result) {
    AuditState trial = state.copy();
    for (Object event : result.events()) {
      boolean ok = event instanceof ReceiptRun run ? trial.receipts(run)
          : trial.event(c, (JournalEntry) event) == null;
      if (!ok) {
        return null;
      }
    }
    return trial;
  }

  /** The audit from {@code fromSeq} on, one entry after the other, given what the entries before it left. */
  private AuditReport walk(long fromSeq, byte[] prevHash, AuditState state) {
    ChainVerifier chain = new ChainVerifier(key, fromSeq, prevHash);
    AuditFinding[] found = {null};
    long[] lastSeq = {fromSeq - 1};
    try {
      Journal.forEach(c, fromSeq, entry -> {
        if (found[0] != null) {
          throw new Stop();
        }
        found[0] = check(chain, state, entry);
        lastSeq[0] = entry.seq();
      });
    } catch (Stop stop) {
      // first finding is in found[0]
    }
    AuditFinding finding = found[0];
    if (finding == null) {
      finding = state.checkHead(c, lastSeq[0], chain.lastHash());
    }
    if (finding == null) {
      finding = state.checkTotals(c, lastSeq[0]);
    }
    return new AuditReport(chain.verified(), state.receiptsChecked(), lastSeq[0], finding);
  }

  private AuditFinding check(ChainVerifier chain, AuditState state, JournalEntry e) {
    AuditFinding link = chain.next(e);
    if (link != null) {
      return link;
    }
    if (!JournalKind.RECEIPT.equals(e.kind())) {
      // a receipts row pinned to a day or device entry is a row the journal does not account for;
      // name that entry rather than only noticing the extra row in the totals at the end
      Optional<ReceiptRecord> stray = Receipts.findByJournalSeq(c, e.seq());
      if (stray.isPresent()) {
        return new AuditFinding(e.seq(), "receipts row " + stray.get().receiptNumber() + " claims journal seq "
            + e.seq() + ", which is a " + e.kind() + " entry, not a receipt");
      }
      return state.event(c, e);
    }
    FiscalReceipt r = ReceiptCodec.receipt(e.payload());
    AuditFinding numbering = state.receipt(e.seq(), r);
    if (numbering != null) {
      return numbering;
    }
    Optional<ReceiptRecord> row = Receipts.findByJournalSeq(c, e.seq());
    if (row.isEmpty()) {
      return new AuditFinding(e.seq(), "receipt " + r.receiptNumber() + " is journalled but its receipts row is missing");
    }
    String mismatch = AuditState.rowMismatch(row.get(), r, e.payload());
    return mismatch == null ? null : new AuditFinding(e.seq(), "receipts row of " + r.receiptNumber()
        + " differs from the journal: " + mismatch);
  }

  /** The highest seq (from 1) in this read snapshot: the ranges cover 1..lastSeq. */
  private long lastSeq() {
    try (Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM journal WHERE seq >= 1")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new StoreException("cannot read the journal: " + e.getMessage(), e);
    }
  }

  /** The database file, for the verifier threads' own connections; null for one that has none (in memory). */
  private Path databaseFile() {
    try (Statement st = c.createStatement(); var rs = st.executeQuery("PRAGMA main.database_list")) {
      while (rs.next()) {
        if ("main".equals(rs.getString(2))) {
          String file = rs.getString(3);
          return file == null || file.isEmpty() ? null : Path.of(file);
        }
      }
      return null;
    } catch (SQLException e) {
      return null;
    }
  }

  private static long[] range(int k, long chunk, long lastSeq) {
    long from = 1 + k * chunk;
    return new long[] {from, Math.min(lastSeq, from + chunk - 1)};
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /**
   * One read transaction around the whole audit, so the ranges, the lookups and the final counts all
   * see the database at one moment even while the daemon appends (the verifier threads' own
   * connections see at least that moment; the rows of the audited seqs never change).
   */
  private static final class ReadSnapshot implements AutoCloseable {
    private final Connection c;
    private final boolean began;

    private ReadSnapshot(Connection c, boolean began) {
      this.c = c;
      this.began = began;
    }

    static ReadSnapshot begin(Connection c) {
      try {
        if (!c.getAutoCommit()) {
          return new ReadSnapshot(c, false); // the caller's transaction already is one
        }
        try (Statement st = c.createStatement()) {
          st.execute("BEGIN");
        }
        return new ReadSnapshot(c, true);
      } catch (SQLException e) {
        throw new StoreException("cannot start reading the journal: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (!began) {
        return;
      }
      try (Statement st = c.createStatement()) {
        st.execute("COMMIT");
      } catch (SQLException e) {
        throw new StoreException("cannot end reading the journal: " + e.getMessage(), e);
      }
    }
  }

  /** Unwinds the journal scan at the first finding. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }
}
