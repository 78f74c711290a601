package io.fiscald.agent.authority;

import io.fiscald.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs several writes of a sync worker's state connection as one SQLite transaction: one commit, one fsync,
 * all or nothing. Inside a transaction the caller already holds, the work simply joins it.
 */
public final class StateTransaction {
  private StateTransaction() {}

  /** Runs {@code work} in one transaction ({@code what} names it in the error). */
  public static void run(Connection c, String what, Runnable work) {
    try (Statement st = c.createStatement()) {
      if (!c.getAutoCommit()) {
        work.run();
        return;
      }
      // IMMEDIATE: take the write lock now, so the commit cannot fail on a lock upgrade half-way
      st.execute("BEGIN IMMEDIATE");
      try {
        work.run();
        st.execute("COMMIT");
      } catch (RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }
}
