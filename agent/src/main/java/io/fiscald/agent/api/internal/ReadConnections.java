package io.fiscald.agent.api.internal;

import io.fiscald.store.Database;
import io.fiscald.store.StatementCache;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One read-only connection per API thread (the pool is small and fixed), so reads never queue
 * behind each other or behind the writer: WAL readers see the last commit. Each keeps its prepared
 * statements ({@link StatementCache}): every call checks its token and most look up an idempotency key,
 * and SQLite's prepare costs as much as those lookups. A cached statement is reset when its result set
 * closes, so it holds no read snapshot between calls.
 */
public final class ReadConnections implements AutoCloseable {
  /** Page cache of each reader, in KiB. */
  private static final int CACHE_KIB = 256;
  /** Statements kept per reader: the API's reads are a few dozen distinct SQL texts. */
  private static final int CACHED_STATEMENTS = 32;

  private final Path database;
  private final List<Connection> opened = new CopyOnWriteArrayList<>();
  private final List<StatementCache> caches = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Connection> mine = new ThreadLocal<>();

  public ReadConnections(Path database) {
    this.database = database;
  }

  public Connection get() {
    Connection c = mine.get();
    if (c == null) {
      Connection raw = Database.openReadOnly(database);
      opened.add(raw);
      limitCache(raw);
      StatementCache statements = StatementCache.on(raw, CACHED_STATEMENTS);
      caches.add(statements);
      c = statements.connection();
      mine.set(c);
    }
    return c;
  }

  /**
   * A small page cache per API reader (SQLite's default is 2 MB per connection): with one reader per API
   * thread the defaults add up to tens of MB of a till's memory, while the pages these lookups touch
   * (tokens, idempotency keys, one receipt) are few and the OS caches the file anyway.
   */
  private static void limitCache(Connection c) {
    try (java.sql.Statement st = c.createStatement()) {
      st.execute("PRAGMA cache_size = -" + CACHE_KIB);
    } catch (SQLException e) {
      throw new io.fiscald.store.StoreException("cannot size the API reader's cache: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (StatementCache statements : caches) {
      statements.close();
    }
    caches.clear();
    for (Connection c : opened) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // stopping; nothing to protect on a read-only handle
      }
    }
    opened.clear();
  }
}
