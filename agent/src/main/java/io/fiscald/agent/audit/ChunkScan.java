package io.fiscald.agent.audit;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.ReceiptRecord;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Checks one range of journal seqs on its own, in one ordered scan of the journal joined with the
 * receipts rows: numbering, links, hashes and signatures, each receipt against its row, and the
 * receipts among themselves. It cannot know what came before the range, so it reports what the
 * caller has to check in order ({@link Result}); and it only says whether everything passed, never
 * what failed: that is left to the exact sequential audit.
 */
final class ChunkScan {
  // the columns of Journal's and Receipts' readers; the body is compared in SQLite instead of read
  // twice (equal bytes are equal text; anything else is left to the sequential audit)
  private static final String SQL = "SELECT j.seq, j.kind, j.created_at, j.payload, j.prev_hash, j.hash,"
      + " j.signature, r.id, r.receipt_number, r.type, r.day_no, r.day_counter, r.global_no, r.invoice_no,"
      + " r.currency, r.total_minor, r.tax_minor, r.issued_at, r.journal_seq, r.original_number,"
      + " r.body = j.payload"
      + " FROM journal j LEFT JOIN receipts r ON r.journal_seq = j.seq"
      + " WHERE j.seq BETWEEN ? AND ? ORDER BY j.seq";

  private final PublicKey key;
  private final SignatureCheck signatures;
  private final BooleanSupplier cancelled;

  ChunkScan(PublicKey key, SignatureCheck signatures, BooleanSupplier cancelled) {
    this.key = key;
    this.signatures = signatures;
    this.cancelled = cancelled;
  }

  /**
   * What a range [from, to] leaves for the ordered pass: the prev_hash it starts from, the hash it ends
   * on, and its receipt runs and other entries in journal order. {@code clean} false: something in the
   * range did not pass, the events are incomplete.
   */
  record Result(boolean clean, byte[] firstPrevHash, byte[] lastHash, List<Object> events) {
    static Result unclean() {
      return new Result(false, null, null, List.of());
    }
  }

  Result scan(Connection c, long from, long to) {
    try (PreparedStatement ps = c.prepareStatement(SQL)) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        return scan(rs, from, to);
      }
    } catch (SQLException | RuntimeException e) {
      return Result.unclean(); // the sequential audit meets the same trouble and reports it
    }
  }

  private Result scan(ResultSet rs, long from, long to) throws SQLException {
    ChainVerifier chain = null;
    byte[] firstPrevHash = null;
    byte[] lastHash = null;
    List<Object> events = new ArrayList<>();
    ReceiptRun run = null;
    for (int rows = 1; rs.next(); rows++) {
      if ((rows & 255) == 0 && cancelled.getAsBoolean()) {
        return Result.unclean(); // the audit has its answer already
      }
      JournalEntry e = new JournalEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
          rs.getBytes(5), rs.getBytes(6), rs.getBytes(7));
      if (chain == null) {
        firstPrevHash = e.prevHash();
        chain = new ChainVerifier(key, from, firstPrevHash);
      }
      byte[] hash = e.hash();
      if (chain.nextDeferringSignature(e) != null || !signatures.valid(hash, e.signature())) {
        return Result.unclean();
      }
      lastHash = hash;
      boolean hasRow = rs.getObject(8) != null;
      if (!JournalKind.RECEIPT.equals(e.kind())) {
        if (hasRow) {
          return Result.unclean(); // a receipts row pinned to an entry that is not a receipt
        }
        run = null;
        events.add(e);
        continue;
      }
      FiscalReceipt r = ReceiptCodec.receipt(e.payload());
      if (!hasRow || !rs.getBoolean(21)) {
        return Result.unclean(); // missing row, or its body differs from the payload
      }
      ReceiptRecord row = new ReceiptRecord(rs.getLong(8), rs.getString(9), rs.getString(10), rs.getLong(11),
          rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getString(15), rs.getLong(16), rs.getLong(17),
          rs.getString(18), rs.getLong(19), rs.getString(20), e.payload());
      if (AuditState.rowMismatch(row, r, e.payload()) != null) {
        return Result.unclean();
      }
      if (run == null) {
        run = new ReceiptRun(r);
        events.add(run);
      }
      if (!run.add(r)) {
        return Result.unclean();
      }
    }
    if (chain == null || chain.verified() != to) {
      return Result.unclean(); // entries missing from the range
    }
    return new Result(true, firstPrevHash, lastHash, events);
  }
}
