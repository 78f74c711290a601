package io.fiscald.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads and appends journal rows; the caller owns the transaction. */
public final class Journal {
  private static final String COLUMNS = "seq, kind, created_at, payload, prev_hash, hash, signature";
  private static final String HEAD_SEQ = "journal.head.seq";
  private static final String HEAD_HASH = "journal.head.hash";

  private Journal() {}

  /**
   * Appends {@code entry} and moves the recorded head to it in the same transaction; the head lets
   * the audit notice a tail cut off the journal table.
   */
  public static void append(Connection c, JournalEntry entry) {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO journal (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, entry.seq());
      ps.setString(2, entry.kind());
      ps.setString(3, entry.createdAt());
      ps.setString(4, entry.payload());
      ps.setBytes(5, entry.prevHash());
      ps.setBytes(6, entry.hash());
      ps.setBytes(7, entry.signature());
      ps.executeUpdate();
      Meta.put(c, HEAD_SEQ, Long.toString(entry.seq()));
      Meta.put(c, HEAD_HASH, java.util.HexFormat.of().formatHex(entry.hash()));
    } catch (SQLException e) {
      throw new StoreException("cannot append journal entry " + entry.seq() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Inserts an entry whose signature is still being made (an empty one stands in), so the rows that
   * point at it can be written meanwhile. The same transaction must call {@link #completeSignatures}
   * for it before COMMIT; the fiscal core never commits an entry without its signature.
   */
  public static void insertAwaitingSignature(Connection c, long seq, String kind, String createdAt, String payload,
      byte[] prevHash, byte[] hash) {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO journal (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, X'')")) {
      ps.setLong(1, seq);
      ps.setString(2, kind);
      ps.setString(3, createdAt);
      ps.setString(4, payload);
      ps.setBytes(5, prevHash);
      ps.setBytes(6, hash);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot append journal entry " + seq + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sets the signatures of entries inserted {@linkplain #insertAwaitingSignature awaiting them} (only
   * those: a signed entry is never overwritten) and moves the recorded head to the last one.
   */
  public static void completeSignatures(Connection c, List<JournalEntry> signed) {
    if (signed.isEmpty()) {
      return;
    }
    JournalEntry entry = signed.get(0);
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE journal SET signature = ? WHERE seq = ? AND hash = ? AND length(signature) = 0")) {
      for (int i = 0; i < signed.size(); i++) {
        entry = signed.get(i);
        ps.setBytes(1, entry.signature());
        ps.setLong(2, entry.seq());
        ps.setBytes(3, entry.hash());
        if (ps.executeUpdate() != 1) {
          throw new StoreException("journal entry " + entry.seq() + " is not awaiting a signature");
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot sign journal entry " + entry.seq() + ": " + e.getMessage(), e);
    }
    JournalEntry last = signed.get(signed.size() - 1);
    Meta.put(c, HEAD_SEQ, Long.toString(last.seq()));
    Meta.put(c, HEAD_HASH, java.util.HexFormat.of().formatHex(last.hash()));
  }

  /** The head recorded beside the chain: {@code seq} and hex hash of the last appended entry. */
  public static Optional<Head> recordedHead(Connection c) {
    Optional<String> seq = Meta.get(c, HEAD_SEQ);
    Optional<String> hash = Meta.get(c, HEAD_HASH);
    if (seq.isEmpty() || hash.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Head(Long.parseLong(seq.get()), hash.get()));
  }

  public static Optional<JournalEntry> last(Connection c) {
    return one(c, "SELECT " + COLUMNS + " FROM journal ORDER BY seq DESC LIMIT 1", -1);
  }

  public static Optional<JournalEntry> get(Connection c, long seq) {
    return one(c, "SELECT " + COLUMNS + " FROM journal WHERE seq = ?", seq);
  }

  public static long count(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM journal");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new StoreException("cannot count journal entries: " + e.getMessage(), e);
    }
  }

  /** Streams entries in ascending {@code seq} from {@code fromSeq} on, without loading them all. */
  public static void forEach(Connection c, long fromSeq, Consumer<JournalEntry> action) {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM journal WHERE seq >= ? ORDER BY seq")) {
      ps.setLong(1, fromSeq);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          action.accept(read(rs));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the journal: " + e.getMessage(), e);
    }
  }

  private static Optional<JournalEntry> one(Connection c, String sql, long seq) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (seq >= 0) {
        ps.setLong(1, seq);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the journal: " + e.getMessage(), e);
    }
  }

  private static JournalEntry read(ResultSet rs) throws SQLException {
    return new JournalEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getBytes(5), rs.getBytes(6), rs.getBytes(7));
  }

  /** The chain head as recorded in {@code meta}. */
  public record Head(long seq, String hashHex) {}
}
