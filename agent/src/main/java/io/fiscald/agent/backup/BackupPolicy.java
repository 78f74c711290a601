package io.fiscald.agent.backup;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * When the daemon backs up and what it keeps: a verified backup every {@code interval} into {@code dir},
 * keeping the newest {@code keepCount} and none older than {@code keepAge} (the newest is always kept).
 * Plain values, so the configuration file (backup.interval, backup.keep-count, backup.keep-days, backup.dir)
 * or {@code fiscalctl serve} options map straight onto it.
 *
 * @param keepCount 0 keeps any number
 * @param keepAge {@link Duration#ZERO} keeps any age
 */
public record BackupPolicy(Duration interval, int keepCount, Duration keepAge, Path dir) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);
  public static final int DEFAULT_KEEP_COUNT = 14;
  public static final Duration DEFAULT_KEEP_AGE = Duration.ofDays(30);

  public BackupPolicy {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the backup interval must be positive, got " + interval);
    }
    if (keepCount < 0) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the backup keep count must be 0 (any) or more");
    }
    if (keepAge == null || keepAge.isNegative()) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the backup keep age must be 0 (any) or more");
    }
  }

  /** Every 24 h into {@code <data-dir>/backups}, keeping 14 and none older than 30 days. */
  public static BackupPolicy defaults(DataDirectory dataDir) {
    return new BackupPolicy(DEFAULT_INTERVAL, DEFAULT_KEEP_COUNT, DEFAULT_KEEP_AGE, dataDir.backups());
  }
}
