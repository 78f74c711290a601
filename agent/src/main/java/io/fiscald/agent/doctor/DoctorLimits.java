package io.fiscald.agent.doctor;

import java.time.Duration;

/**
 * The thresholds the doctor judges by. Plain typed values so the configuration file (or a test) can
 * set them; {@link #defaults()} suits a small till.
 *
 * @param freeDiskWarnBytes warn below this much free space for the data directory
 * @param freeDiskFailBytes fail below this much
 * @param walWarnBytes warn when the write-ahead log is larger (checkpoints are not keeping up)
 * @param quickCheckAboveBytes use {@code PRAGMA quick_check} instead of {@code integrity_check} above this size
 * @param chainTailEntries how many of the newest journal entries to verify (hash, link, signature)
 * @param authorityTimeout how long to wait for the authority's answer
 * @param maxClockDrift warn when the till's clock is further than this off the authority's
 * @param certificateWarning warn when the device certificate expires within this
 * @param outboxAgeWarn warn when the oldest unsent receipt is older than this
 * @param printBacklogWarn warn when at least this many print jobs wait
 * @param checkTimeout each check gets this long before it is reported as hanging
 */
public record DoctorLimits(long freeDiskWarnBytes, long freeDiskFailBytes, long walWarnBytes,
    long quickCheckAboveBytes, int chainTailEntries, Duration authorityTimeout, Duration maxClockDrift,
    Duration certificateWarning, Duration outboxAgeWarn, long printBacklogWarn, Duration checkTimeout) {

  private static final long MB = 1024L * 1024;

  public static DoctorLimits defaults() {
    return new DoctorLimits(500 * MB, 50 * MB, 64 * MB, 512 * MB, 100, Duration.ofSeconds(5),
        Duration.ofMinutes(2), Duration.ofDays(30), Duration.ofHours(1), 1, Duration.ofSeconds(30));
  }

  /** The same limits with other free-disk thresholds (the tests' way to make a roomy disk look full). */
  public DoctorLimits withFreeDisk(long warnBytes, long failBytes) {
    return new DoctorLimits(warnBytes, failBytes, walWarnBytes, quickCheckAboveBytes, chainTailEntries,
        authorityTimeout, maxClockDrift, certificateWarning, outboxAgeWarn, printBacklogWarn, checkTimeout);
  }

  public DoctorLimits withOutboxAgeWarn(Duration age) {
    return new DoctorLimits(freeDiskWarnBytes, freeDiskFailBytes, walWarnBytes, quickCheckAboveBytes,
        chainTailEntries, authorityTimeout, maxClockDrift, certificateWarning, age, printBacklogWarn, checkTimeout);
  }

  public DoctorLimits withPrintBacklogWarn(long jobs) {
    return new DoctorLimits(freeDiskWarnBytes, freeDiskFailBytes, walWarnBytes, quickCheckAboveBytes,
        chainTailEntries, authorityTimeout, maxClockDrift, certificateWarning, outboxAgeWarn, jobs, checkTimeout);
  }
}
