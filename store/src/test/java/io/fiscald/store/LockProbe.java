package io.fiscald.store;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DataDirLockTest}: {@code LockProbe <dir> try} attempts the lock and
 * prints {@code ACQUIRED} (then releases it) or {@code LOCKED <message>}; {@code LockProbe <dir> hold}
 * takes the lock, prints {@code ACQUIRED} and keeps it until killed or its stdin closes.
 */
public final class LockProbe {
  private LockProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean hold = args.length > 1 && "hold".equals(args[1]);
    DataDirLock lock;
    try {
      lock = DataDirLock.acquire(dir);
    } catch (DataDirLockedException e) {
      System.out.println("LOCKED " + e.getMessage());
      System.out.flush();
      return;
    }
    System.out.println("ACQUIRED");
    System.out.flush();
    if (hold) {
      // blocks until the parent kills us (or closes our stdin)
      while (System.in.read() >= 0) {
        // keep holding
      }
    }
    lock.close();
  }
}
