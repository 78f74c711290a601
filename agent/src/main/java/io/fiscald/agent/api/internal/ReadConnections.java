package io.fiscald.agent.api.internal;

import io.fiscald.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One read-only connection per API thread (the pool is small and fixed), so reads never queue
 * behind each other or behind the writer: WAL readers see the last commit.
 */
public final class ReadConnections implements AutoCloseable {
  private final Path database;
  private final List<Connection> opened = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Connection> mine = new ThreadLocal<>();

  public ReadConnections(Path database) {
    this.database = database;
  }

  public Connection get() {
    Connection c = mine.get();
    if (c == null) {
      c = Database.openReadOnly(database);
      opened.add(c);
      mine.set(c);
    }
    return c;
  }

  @Override
  public void close() {
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
