package io.fiscald.store;

import java.nio.file.Path;

/** Another process already writes this data directory. */
public final class DataDirLockedException extends StoreException {
  private final Path lockFile;
  private final String holder;

  public DataDirLockedException(Path lockFile, String holder) {
    super("data directory " + lockFile.getParent() + " is in use by another fiscald process ("
        + holder + "); stop it first, or use its API while it runs");
    this.lockFile = lockFile;
    this.holder = holder;
  }

  public Path lockFile() {
    return lockFile;
  }

  /** What the lock file says about its holder, e.g. {@code pid 1234}. */
  public String holder() {
    return holder;
  }
}
