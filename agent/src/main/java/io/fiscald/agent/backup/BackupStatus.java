package io.fiscald.agent.backup;

import java.time.Duration;
import java.time.Instant;

/**
 * What the daemon's backup schedule has done, for /v1/status, metrics and the backup alerts.
 *
 * @param scheduled false when the daemon runs no scheduled backups (then every other field is empty)
 * @param since when the schedule started (the reference for "overdue" before the first success)
 * @param lastSuccessAt the newest verified backup, taken by this daemon or found in the folder at start
 * @param lastError why the last attempt failed, or null when it succeeded
 */
public record BackupStatus(boolean scheduled, Duration interval, String dir, Instant since, Instant lastAttemptAt,
    Instant lastSuccessAt, String lastFile, String lastError, long successes, long failures) {

  public static final BackupStatus NONE = new BackupStatus(false, null, null, null, null, null, null, null, 0, 0);

  /** No success for more than twice the interval (counted from the start when there was none). */
  public boolean overdue(Instant now) {
    if (!scheduled) {
      return false;
    }
    Instant ref = lastSuccessAt != null ? lastSuccessAt : since;
    return Duration.between(ref, now).compareTo(interval.multipliedBy(2)) > 0;
  }
}
