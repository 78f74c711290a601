package io.fiscald.store;

import java.sql.SQLException;

/**
 * Recognises "the disk is full" in a failure: SQLite's SQLITE_FULL (it maps ENOSPC to it) or an
 * IOException saying "No space left on device". Full disks need their own answer: nothing is wrong
 * with the data, and issuing resumes as soon as space returns.
 */
public final class StorageFull {
  private static final int SQLITE_FULL = 13;

  private StorageFull() {}

  public static boolean causedBy(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException e && ((e.getErrorCode() & 0xff) == SQLITE_FULL
          || String.valueOf(e.getMessage()).contains("SQLITE_FULL"))) {
        return true;
      }
      String m = String.valueOf(t.getMessage());
      if (m.contains("database or disk is full") || m.contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }
}
