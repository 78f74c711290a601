package io.fiscald.agent.backup;

import io.fiscald.agent.audit.AuditReport;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.store.Backups;
import io.fiscald.store.DataDirLock;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import io.fiscald.store.StoreException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backups that are proven good: an online snapshot, checked with {@code integrity_check} and a full
 * audit before it counts; retention that only ever deletes older verified backups; and a restore
 * that refuses a backup that does not verify or that would replace a longer chain.
 */
public final class BackupManager {
  private static final String PREFIX = "fiscald-";
  private static final String SUFFIX = ".db";
  private static final Pattern ANY_NAME = Pattern.compile(Pattern.quote(PREFIX) + ".*-(\\d{8}T\\d{6}Z)-seq\\d+(?:-\\d+)?"
      + Pattern.quote(SUFFIX));
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private BackupManager() {}

  /** A written and verified backup. */
  public record Backup(Path file, String deviceId, long headSeq, long bytes, List<Path> pruned) {}

  /** A backup file's check: integrity and audit, and the device and chain length it holds. */
  public record Check(Path file, String integrity, AuditReport audit, String deviceId, long headSeq) {
    public boolean ok() {
      return "ok".equals(integrity) && audit != null && audit.ok();
    }

    public String problem() {
      if (!"ok".equals(integrity)) {
        return "integrity_check: " + integrity;
      }
      return audit == null ? "not audited" : audit.finding().toString();
    }
  }

  /**
   * Snapshots the database of {@code dir} into {@code outDir}, verifies the copy, then keeps only the
   * newest {@code retain} backups of this device there (0 keeps all).
   */
  public static Backup create(DataDirectory dir, Path outDir, int retain, Clock clock) {
    return create(dir, outDir, retain, java.time.Duration.ZERO, clock);
  }

  /**
   * As {@link #create(DataDirectory, Path, int, Clock)}, also deleting this device's backups older than
   * {@code keepAge} (by the time in their names; {@link java.time.Duration#ZERO} keeps any age). The backup
   * just written is never deleted.
   */
  public static Backup create(DataDirectory dir, Path outDir, int retain, java.time.Duration keepAge, Clock clock) {
    try (Connection c = Database.openReadOnly(dir.database())) {
      DeviceRecord device = Devices.find(c).orElseThrow(() -> new FiscalException(ErrorCode.DEVICE_NOT_INITIALISED,
          "no device in " + dir.root()));
      Files.createDirectories(outDir);
      long headSeq = Journal.last(c).map(e -> e.seq()).orElse(0L);
      // stamp and head seq, plus "-2", "-3"... when a backup of the same second and seq is already there
      String name = PREFIX + device.deviceId() + "-" + STAMP.format(clock.instant()) + "-seq" + headSeq;
      Path target = outDir.resolve(name + SUFFIX);
      for (int n = 2; Files.exists(target); n++) {
        target = outDir.resolve(name + "-" + n + SUFFIX);
      }
      Backups.snapshot(c, target);
      Check check = check(target);
      if (!check.ok()) {
        Files.deleteIfExists(target);
        throw new FiscalException(ErrorCode.BACKUP_INVALID, "the backup just written does not verify ("
            + check.problem() + "); it was deleted. Run fiscalctl audit verify on the device.");
      }
      List<Path> pruned = new ArrayList<>(retain > 0 ? prune(outDir, device.deviceId(), retain) : List.of());
      if (!keepAge.isZero()) {
        pruned.addAll(pruneOlderThan(outDir, device.deviceId(), clock.instant().minus(keepAge), target));
      }
      return new Backup(target, device.deviceId(), check.headSeq(), Files.size(target), pruned);
    } catch (SQLException | IOException e) {
      throw new StoreException("backup failed: " + e.getMessage(), e);
    }
  }

  /** Integrity check and full audit of a backup file, read-only. */
  public static Check check(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "no such backup file: " + file);
    }
    try (Connection c = Database.openReadOnly(file)) {
      String integrity = Database.integrityCheck(c);
      if (!"ok".equals(integrity)) {
        return new Check(file, integrity, null, null, 0);
      }
      Optional<DeviceRecord> device = Devices.find(c);
      if (device.isEmpty()) {
        return new Check(file, "no device in this file", null, null, 0);
      }
      AuditReport audit = JournalAuditor.audit(c);
      return new Check(file, integrity, audit, device.get().deviceId(), audit.headSeq());
    } catch (SQLException | RuntimeException e) {
      return new Check(file, "not a readable fiscald database: " + e.getMessage(), null, null, 0);
    }
  }

  /** Deletes all but the newest {@code retain} backups of {@code deviceId} in {@code outDir}. */
  static List<Path> prune(Path outDir, String deviceId, int retain) throws IOException {
    List<Path> mine = oldestFirst(outDir, deviceId);
    List<Path> pruned = new ArrayList<>();
    for (int i = 0; i < mine.size() - retain; i++) {
      Files.delete(mine.get(i));
      pruned.add(mine.get(i));
    }
    return pruned;
  }

  /**
   * The backups of {@code deviceId} in {@code outDir}, oldest first: by the UTC stamp (sorts as text), then by
   * head seq and uniqueness suffix as numbers (as text, "seq10" would sort before "seq9" within one second).
   */
  private static List<Path> oldestFirst(Path outDir, String deviceId) throws IOException {
    // exactly the names create() writes: a glob would also take another device whose id extends this
    // one (TEST-0001-B) or any other file starting with the prefix, and sort them as the newest
    Pattern backupName = namePattern(deviceId);
    List<Path> mine = new ArrayList<>();
    if (!Files.isDirectory(outDir)) {
      return mine;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(outDir,
        p -> backupName.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))) {
      files.forEach(mine::add);
    }
    mine.sort(Comparator.comparing((Path p) -> nameGroup(backupName, p, 1))
        .thenComparingLong(p -> Long.parseLong(nameGroup(backupName, p, 2)))
        .thenComparingLong(p -> {
          String n = nameGroup(backupName, p, 3);
          return n == null ? 1 : Long.parseLong(n);
        }));
    return mine;
  }

  /** The newest backup of {@code deviceId} in {@code outDir}, if any (same order as retention). */
  public static Optional<Path> newest(Path outDir, String deviceId) throws IOException {
    List<Path> mine = oldestFirst(outDir, deviceId);
    return mine.isEmpty() ? Optional.empty() : Optional.of(mine.get(mine.size() - 1));
  }

  /** When {@code backup} (a name create() wrote) was taken, by the stamp in its name. */
  public static java.time.Instant takenAt(Path backup) {
    Matcher m = ANY_NAME.matcher(backup.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a backup name: " + backup.getFileName());
    }
    return java.time.Instant.from(STAMP.parse(m.group(1)));
  }

  /** Deletes the backups of {@code deviceId} in {@code outDir} stamped before {@code cutoff}, except {@code keep}. */
  static List<Path> pruneOlderThan(Path outDir, String deviceId, java.time.Instant cutoff, Path keep)
      throws IOException {
    Pattern backupName = namePattern(deviceId);
    List<Path> old = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(outDir,
        p -> backupName.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))) {
      for (Path p : files) {
        java.time.Instant stamped = java.time.Instant.from(STAMP.parse(nameGroup(backupName, p, 1)));
        if (stamped.isBefore(cutoff) && !p.equals(keep)) {
          old.add(p);
        }
      }
    }
    for (Path p : old) {
      Files.delete(p);
    }
    return old;
  }

  /** Exactly the names create() writes for {@code deviceId}: stamp, head seq, optional uniqueness suffix. */
  private static Pattern namePattern(String deviceId) {
    return Pattern.compile(Pattern.quote(PREFIX + deviceId + "-") + "(\\d{8}T\\d{6}Z)-seq(\\d+)(?:-(\\d+))?"
        + Pattern.quote(SUFFIX));
  }

  /** The time of the newest backup of {@code deviceId} in {@code outDir}, if any. */
  public static Optional<java.time.Instant> newestStamp(Path outDir, String deviceId) throws IOException {
    return newest(outDir, deviceId).map(BackupManager::takenAt);
  }

  private static String nameGroup(Pattern backupName, Path file, int group) {
    var m = backupName.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalStateException("not a backup name: " + file);
    }
    return m.group(group);
  }

  /** What a restore did. */
  public record Restore(Path restoredFrom, String deviceId, long headSeq, Path previousDatabase) {}

  /**
   * Replaces the data directory's database with a verified backup. The database it replaces is kept
   * beside it, never deleted. Refuses a backup of another device or one with a shorter chain than
   * the current database unless {@code force}.
   */
  public static Restore restore(DataDirectory dir, Path backup, boolean force, Clock clock) {
    Check check = check(backup);
    if (!check.ok()) {
      throw new FiscalException(ErrorCode.BACKUP_INVALID, "backup " + backup + " does not verify: "
          + check.problem() + "; nothing was restored", Map.of("file", backup.toString()));
    }
    try (DataDirLock lock = DataDirLock.acquire(dir.root())) {
      Path db = dir.database();
      Path previous = null;
      if (Files.exists(db)) {
        refuseIfNewer(db, check, force);
        previous = db.resolveSibling(Database.FILE_NAME + ".replaced-" + STAMP.format(clock.instant()));
        checkpointAndCopy(db, previous);
      }
      Path incoming = db.resolveSibling(Database.FILE_NAME + ".restoring");
      Files.copy(backup, incoming, StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(db.resolveSibling(Database.FILE_NAME + "-wal"));
      Files.deleteIfExists(db.resolveSibling(Database.FILE_NAME + "-shm"));
      Files.move(incoming, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Restore(backup, check.deviceId(), check.headSeq(), previous);
    } catch (IOException e) {
      throw new StoreException("restore failed: " + e.getMessage(), e);
    }
  }

  private static void refuseIfNewer(Path db, Check incoming, boolean force) {
    try (Connection c = Database.openReadOnly(db)) {
      Optional<DeviceRecord> current = Devices.find(c);
      long currentHead = Journal.last(c).map(e -> e.seq()).orElse(0L);
      if (force) {
        return;
      }
      if (current.isPresent() && !current.get().deviceId().equals(incoming.deviceId())) {
        throw new FiscalException(ErrorCode.RESTORE_WOULD_OVERWRITE_NEWER, "the backup belongs to device "
            + incoming.deviceId() + " but this data directory holds device " + current.get().deviceId()
            + "; use --force only if you mean to replace it", Map.of("current", current.get().deviceId()));
      }
      if (currentHead > incoming.headSeq()) {
        throw new FiscalException(ErrorCode.RESTORE_WOULD_OVERWRITE_NEWER, "the current journal is longer (seq "
            + currentHead + ") than the backup's (seq " + incoming.headSeq() + "); restoring would lose "
            + (currentHead - incoming.headSeq()) + " journal entries. Use --force only if the current database is "
            + "known to be bad (it is kept beside the restored one)",
            Map.of("currentHeadSeq", currentHead, "backupHeadSeq", incoming.headSeq()));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the current database: " + e.getMessage(), e);
    } catch (StoreException e) {
      if (!force) {
        throw new FiscalException(ErrorCode.RESTORE_WOULD_OVERWRITE_NEWER, "the current database cannot be read ("
            + e.getMessage() + "); use --force to replace it (it is kept beside the restored one)");
      }
    }
  }

  /** Keeps the replaced database as one consistent file, WAL included. */
  private static void checkpointAndCopy(Path db, Path keep) {
    try (Connection c = Database.openUnmigrated(db)) {
      Backups.snapshot(c, keep);
    } catch (SQLException | StoreException e) {
      try {
        Files.copy(db, keep, StandardCopyOption.REPLACE_EXISTING); // unreadable as a database: keep the raw bytes
      } catch (IOException io) {
        throw new StoreException("cannot keep the current database before restoring: " + io.getMessage(), io);
      }
    }
  }
}
