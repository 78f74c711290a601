package io.fiscald.agent.api;

import java.time.Duration;
import java.time.Instant;

/**
 * What the authority side (sync worker, authority profile) reports for status, metrics and alerts.
 * Counters are cumulative since the daemon started.
 *
 * @param authority local, zimra or kra
 * @param online whether the last contact with the authority succeeded (always true without an authority)
 * @param offlineSince when contact was lost, or null
 * @param lastSyncAt last successful submission, or null
 * @param latencySecondsSum sum of the durations of all sync attempts, for the latency summary
 * @param offlineLimit how long the authority lets the device stay offline, or null when it has no limit
 * @param certificateExpiresAt the device certificate's expiry, or null
 * @param clockDrift device clock minus the authority's clock, or null when unknown
 */
public record SyncStatus(String authority, boolean online, Instant offlineSince, Instant lastSyncAt, long attempts,
    long successes, long failures, double latencySecondsSum, Duration offlineLimit, Instant certificateExpiresAt,
    Duration clockDrift) {

  /** The local profile: nothing to submit, never offline. */
  public static SyncStatus none(String authority) {
    return new SyncStatus(authority, true, null, null, 0, 0, 0, 0, null, null, null);
  }
}
