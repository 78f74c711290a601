package io.fiscald.agent.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One authority's side of the {@link SyncWorker}: sends the head of its outbox, does its periodic
 * work (ping, certificate renewal) and says what status shows. Called only from the worker's thread.
 */
interface SyncDriver extends AutoCloseable {

  /** What one {@link #sendOne} did. */
  enum Kind {
    /** Nothing to send, no call made. */
    IDLE,
    /** A message went through. */
    PROGRESS,
    /** The authority refused a message for good. */
    REJECTED,
    /** The authority could not be reached or failed; retry after a back-off. */
    UNAVAILABLE,
    /** The queue waits for a technician (ZIMRA never skips a refused receipt). */
    BLOCKED,
    /** The authority is still working on something (a day close); look again later. */
    WAITING
  }

  /** An event for webhooks: {@code receipt.synced} or {@code receipt.rejected} with its data. */
  record Event(String type, Map<String, Object> data) {}

  /**
   * The outcome of one send, with the events it produced; {@code called} when the authority was contacted;
   * {@code accepted} how many messages the authority took (a pipelined run takes many before its outcome).
   */
  record Outcome(Kind kind, boolean called, List<Event> events, int accepted) {
    Outcome(Kind kind, boolean called, List<Event> events) {
      this(kind, called, events, kind == Kind.PROGRESS ? 1 : 0);
    }

    static Outcome of(Kind kind, boolean called) {
      return new Outcome(kind, called, List.of());
    }
  }

  /** What the driver knows for status: offline since, last error, certificate expiry, clock drift, offline limit. */
  record View(Instant offlineSince, String lastError, Instant certificateExpiresAt, Duration clockDrift,
      Duration offlineLimit) {}

  String authority();

  Outcome sendOne();

  /** Ping, renewal and other timed work; returns when it wants to be called next. */
  Instant periodic(Instant now);

  /** The latest state for status and alerts (read on the worker's thread, after each round). */
  View view();

  @Override
  void close();
}
