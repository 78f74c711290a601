package io.fiscald.agent.backup;

import io.fiscald.agent.device.DataDirectory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's backups: every {@link BackupPolicy#interval()} a verified online backup with
 * {@link BackupManager} (it reads a snapshot, so receipts keep flowing), then retention by count and
 * age. The first one comes one interval after start, or a few seconds after start when the newest
 * backup in the folder is already older than an interval. Keeps what happened for status and alerts.
 */
public final class BackupScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackupScheduler.class);
  /** Delay of the first backup when one is already due at start: let the daemon settle first. */
  static final Duration DUE_AT_START_DELAY = Duration.ofSeconds(10);

  private final DataDirectory dir;
  private final String deviceId;
  private final BackupPolicy policy;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Instant since;
  private volatile BackupStatus status;

  private BackupScheduler(DataDirectory dir, String deviceId, BackupPolicy policy, Clock clock, Instant newest) {
    this.dir = dir;
    this.deviceId = deviceId;
    this.policy = policy;
    this.clock = clock;
    this.since = clock.instant();
    this.status = new BackupStatus(true, policy.interval(), policy.dir().toString(), since, null, newest, null, null,
        0, 0);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fiscald-backup");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the schedule for the device {@code deviceId} in {@code dir}. */
  public static BackupScheduler start(DataDirectory dir, String deviceId, BackupPolicy policy, Clock clock) {
    Instant newest = null;
    try {
      newest = BackupManager.newestStamp(policy.dir(), deviceId).orElse(null);
    } catch (IOException e) {
      log.warn("cannot list {}: {}", policy.dir(), e.getMessage());
    }
    BackupScheduler s = new BackupScheduler(dir, deviceId, policy, clock, newest);
    Duration first = policy.interval();
    if (newest == null || Duration.between(newest, s.since).compareTo(policy.interval()) >= 0) {
      first = first.compareTo(DUE_AT_START_DELAY) < 0 ? first : DUE_AT_START_DELAY;
    }
    s.timer.scheduleWithFixedDelay(s::runOnce, first.toMillis(), policy.interval().toMillis(), TimeUnit.MILLISECONDS);
    log.info("scheduled backups every {} into {} (keep {}, max age {} days); first in {} s", policy.interval(),
        policy.dir(), policy.keepCount(), policy.keepAge().toDays(), first.toSeconds());
    return s;
  }

  public BackupStatus status() {
    return status;
  }

  /** Takes one backup now (the timer's task); failures are recorded, never thrown. */
  void runOnce() {
    Instant at = clock.instant();
    BackupStatus s = status;
    try {
      BackupManager.Backup b = BackupManager.create(dir, policy.dir(), policy.keepCount(), policy.keepAge(), clock);
      status = new BackupStatus(true, s.interval(), s.dir(), s.since(), at, clock.instant(), b.file().toString(), null,
          s.successes() + 1, s.failures());
      log.info("backup written and verified: {} (seq {}, {} bytes){}", b.file(), b.headSeq(), b.bytes(),
          b.pruned().isEmpty() ? "" : "; pruned " + b.pruned().size());
    } catch (RuntimeException e) {
      status = new BackupStatus(true, s.interval(), s.dir(), s.since(), at, s.lastSuccessAt(), s.lastFile(),
          e.getMessage() == null ? e.toString() : e.getMessage(), s.successes(), s.failures() + 1);
      log.error("scheduled backup of device {} failed: {}", deviceId, e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS); // a backup in progress finishes its file or is interrupted
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "BackupScheduler[" + policy.dir() + ", every " + policy.interval() + "]";
  }
}
