package io.fiscald.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the prepared statements of one connection for reuse, so a hot path that runs the same few
 * statements for every receipt compiles each SQL text once instead of once per row (SQLite's
 * {@code prepare} costs as much as the insert itself).
 *
 * <p>{@link #connection()} is a view of the connection whose {@code prepareStatement(sql)} hands out a
 * cached statement; closing that statement only returns it to the cache (parameters cleared, result
 * set closed), so the DAOs' usual try-with-resources stays as it is. A statement already handed out
 * and not yet closed is never handed out twice: a nested use of the same SQL gets a fresh one.
 * {@link #close()} finalises the cached statements and leaves the connection open for its owner.
 * Like the connection, not for concurrent use.
 */
public final class StatementCache implements AutoCloseable {
  private final Connection raw;
  private final int capacity;
  private final Connection view;
  // access-ordered: the least recently used statement is finalised when the cache is full
  private final Map<String, Entry> entries;
  private boolean closed;

  private StatementCache(Connection raw, int capacity) {
    this.raw = raw;
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true);
    this.view = (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new ConnectionHandler());
  }

  /** A cache of up to {@code capacity} statements on {@code connection}, which stays owned by the caller. */
  public static StatementCache on(Connection connection, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    return new StatementCache(connection, capacity);
  }

  /** The connection to use: the same database session, with cached {@code prepareStatement(String)}. */
  public Connection connection() {
    return view;
  }

  /** Statements currently cached (for tests and diagnostics). */
  public int size() {
    return entries.size();
  }

  /** Finalises every cached statement; the connection itself stays open. */
  @Override
  public void close() {
    closed = true;
    List<Entry> all = new ArrayList<>(entries.values());
    entries.clear();
    for (Entry e : all) {
      if (!e.inUse) { // one in a caller's hands is finalised when the caller closes it
        closeQuietly(e.statement);
      }
    }
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    if (closed) {
      return raw.prepareStatement(sql);
    }
    Entry entry = entries.get(sql);
    if (entry == null) {
      entry = new Entry(raw.prepareStatement(sql));
      entries.put(sql, entry);
      evictIfFull();
    } else if (entry.inUse) {
      return raw.prepareStatement(sql); // nested use of the same SQL: an ordinary, uncached statement
    }
    entry.inUse = true;
    return entry.handle();
  }

  private void evictIfFull() {
    var it = entries.values().iterator();
    while (entries.size() > capacity && it.hasNext()) {
      Entry eldest = it.next();
      if (!eldest.inUse) {
        it.remove();
        closeQuietly(eldest.statement);
      }
    }
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException ignored) {
      // finalising a statement nobody will use again; nothing to recover
    }
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private final class ConnectionHandler implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "prepareStatement":
          if (args.length == 1) {
            return prepare((String) args[0]);
          }
          break;
        case "close":
          StatementCache.this.close();
          break;
        case "unwrap":
          if (((Class<?>) args[0]).isInstance(proxy)) {
            return proxy;
          }
          break;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "StatementCache[" + raw + "]";
        default:
          break;
      }
      return StatementCache.invoke(raw, method, args);
    }
  }

  /** A cached statement and whether a caller holds it right now. */
  private final class Entry implements InvocationHandler {
    final PreparedStatement statement;
    boolean inUse;
    private ResultSet open;
    private PreparedStatement handle;

    Entry(PreparedStatement statement) {
      this.statement = statement;
    }

    PreparedStatement handle() {
      if (handle == null) {
        handle = (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class}, this);
      }
      return handle;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close":
          release();
          return null;
        case "isClosed":
          return !inUse;
        case "getConnection":
          return view;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          Object result = StatementCache.invoke(statement, method, args);
          if (result instanceof ResultSet rs) {
            open = rs;
          }
          return result;
      }
    }

    /** Back to the cache: the result set closed (which resets the statement) and the parameters cleared. */
    private void release() throws SQLException {
      if (!inUse) {
        return;
      }
      inUse = false;
      if (closed) {
        open = null;
        closeQuietly(statement);
        return;
      }
      try {
        if (open != null && !open.isClosed()) {
          open.close();
        }
        statement.clearParameters();
      } catch (SQLException e) {
        entries.remove(findKey());
        closeQuietly(statement);
        throw e;
      } finally {
        open = null;
      }
    }

    private String findKey() {
      for (var e : entries.entrySet()) {
        if (e.getValue() == this) {
          return e.getKey();
        }
      }
      return null;
    }
  }
}
