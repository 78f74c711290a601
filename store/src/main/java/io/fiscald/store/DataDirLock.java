package io.fiscald.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The single-writer guard of a data directory: an OS file lock on {@code fiscald.lock}, released
 * by the kernel when the process dies (even by SIGKILL), so a stale lock never needs cleaning up.
 *
 * <p>The OS lock is a POSIX record lock, owned by the process: closing <em>any</em> descriptor of
 * the lock file in this JVM would silently drop it. So a second acquire within the JVM is refused
 * from an in-process registry without ever opening the file.
 */
public final class DataDirLock implements AutoCloseable {
  public static final String FILE_NAME = "fiscald.lock";

  /** Real paths of the lock files this JVM holds (or is acquiring). */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DataDirLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or throws {@link DataDirLockedException} naming the holder. */
  public static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    Path key;
    try {
      Files.createDirectories(dataDir);
      key = dataDir.toRealPath().resolve(FILE_NAME);
    } catch (IOException e) {
      throw new StoreException("cannot lock data directory " + dataDir + ": " + e.getMessage(), e);
    }
    if (!HELD.add(key)) {
      // held by this very JVM: just as locked for a second writer. Do not open the file: closing a
      // second descriptor of it would release the holder's OS lock.
      throw new DataDirLockedException(file, "pid " + ProcessHandle.current().pid());
    }
    FileChannel channel = null;
    boolean acquired = false;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // locked through some other channel of this JVM
      }
      if (lock == null) {
        String holder = readHolder(file);
        channel.close();
        throw new DataDirLockedException(file, holder);
      }
      byte[] me = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(me), 0);
      channel.force(false);
      acquired = true;
      return new DataDirLock(key, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException("cannot lock data directory " + dataDir + ": " + e.getMessage(), e);
    } finally {
      if (!acquired) {
        HELD.remove(key);
      }
    }
  }

  private static String readHolder(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return text.isEmpty() ? "unknown pid" : text;
    } catch (IOException e) {
      return "unknown pid";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // already failing; the original error is the one to report
    }
  }

  /** Releases the lock; closing again does nothing (it never releases a later holder's lock). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel below releases it anyway
    }
    closeQuietly(channel);
    HELD.remove(key);
  }
}
