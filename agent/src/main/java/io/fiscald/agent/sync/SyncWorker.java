package io.fiscald.agent.sync;

import io.fiscald.agent.api.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's background sync: one thread per device that drains the authority's outbox in order,
 * on a schedule and when {@link #wake woken} after a receipt, backs off while the authority is
 * unreachable, runs the driver's periodic work (ZIMRA ping and certificate renewal), and keeps the
 * {@link SyncStatus} that status, metrics and alerts read. Each settled receipt is reported to the sink
 * given to {@link #publishTo} (held until it is given); the durable {@code receipt.synced} and
 * {@code receipt.rejected} webhook events are derived from the outbox rows themselves ({@link #eventOf}),
 * so none is lost if the process dies between the authority's answer and the event.
 */
public final class SyncWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);
  private static final int MAX_HELD_EVENTS = 10_000;

  /**
   * How the worker paces itself.
   *
   * @param pollInterval how often the outbox is looked at without being woken
   * @param initialBackoff first wait after a failed attempt, doubled on each further failure
   * @param maxBackoff the longest wait between attempts while the authority is unreachable
   * @param renewalCheckInterval how often certificate renewal is checked (ZIMRA)
   */
  public record Settings(Duration pollInterval, Duration initialBackoff, Duration maxBackoff,
      Duration renewalCheckInterval) {
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofSeconds(2),
        Duration.ofMinutes(5), Duration.ofHours(6));
  }

  private final SyncDriver driver;
  private final Settings settings;
  private final Clock clock;
  private final Thread thread;
  private final Object signal = new Object();
  private final List<SyncDriver.Event> held = new ArrayList<>(); // guarded by signal
  private BiConsumer<String, Map<String, Object>> sink; // guarded by signal
  private boolean woken; // guarded by signal
  private volatile boolean running = true;
  private volatile SyncDriver.View view;
  private volatile Instant lastSyncAt;
  private volatile long attempts;
  private volatile long successes;
  private volatile long failures;
  private volatile double latencySum;
  private int consecutiveFailures;
  private Instant retryAt;

  SyncWorker(SyncDriver driver, Settings settings, Clock clock, Instant lastSyncAt) {
    this.driver = driver;
    this.settings = settings;
    this.clock = clock;
    this.lastSyncAt = lastSyncAt;
    this.view = new SyncDriver.View(null, null, null, null, null);
    this.thread = new Thread(this::run, driver.authority() + "-sync");
    this.thread.setDaemon(true);
  }

  /**
   * Starts the sync worker of {@code agent}'s authority (ZIMRA or KRA), or returns null for a device
   * whose profile submits nothing (local).
   */
  public static SyncWorker forDevice(io.fiscald.agent.Agent agent, Settings settings, Clock clock) {
    String authority = agent.device().authority();
    SyncDriver driver;
    if (io.fiscald.agent.authority.zimra.ZimraProfile.NAME.equals(authority)) {
      driver = new ZimraDriver(agent, clock, settings);
    } else if (io.fiscald.agent.authority.kra.KraProfile.NAME.equals(authority)) {
      driver = new KraDriver(agent, clock);
    } else {
      return null;
    }
    Instant last;
    try (java.sql.Connection c = agent.newStateConnection()) {
      last = SyncState.lastSyncAt(c, authority);
    } catch (java.sql.SQLException | RuntimeException e) {
      last = null;
    }
    return start(driver, settings, clock, last);
  }

  /** Starts the worker thread for {@code driver}. */
  static SyncWorker start(SyncDriver driver, Settings settings, Clock clock, Instant lastSyncAt) {
    SyncWorker w = new SyncWorker(driver, settings, clock, lastSyncAt);
    try {
      w.view = driver.view();
    } catch (RuntimeException e) {
      log.warn("{} sync state unreadable at start: {}", driver.authority(), e.getMessage());
    }
    w.thread.start();
    return w;
  }

  /**
   * The {@code receipt.synced} / {@code receipt.rejected} event type and data for an outbox row the
   * authority settled, or null for a row still pending or not about a receipt.
   */
  public static Map.Entry<String, Map<String, Object>> eventOf(io.fiscald.store.OutboxMessage row) {
    SyncDriver.Event e = SyncEvents.of(row == null ? null : row.authority(), row);
    return e == null ? null : Map.entry(e.type(), e.data());
  }

  /**
   * Who hears of each settled receipt (the daemon wakes the webhook dispatcher, which reads the outbox);
   * outcomes produced before are passed on now.
   */
  public void publishTo(BiConsumer<String, Map<String, Object>> events) {
    List<SyncDriver.Event> pending;
    synchronized (signal) {
      sink = events;
      pending = List.copyOf(held);
      held.clear();
    }
    pending.forEach(e -> deliver(events, e));
  }

  /** Looks at the outbox now (after a receipt); ignored while backing off from an unreachable authority. */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /** What status, metrics and alerts show. */
  public SyncStatus status() {
    SyncDriver.View v = view;
    return new SyncStatus(driver.authority(), v.offlineSince() == null, v.offlineSince(), lastSyncAt, attempts,
        successes, failures, latencySum, v.offlineLimit(), v.certificateExpiresAt(), v.clockDrift());
  }

  /** The last error the authority side reported, or null. */
  public String lastError() {
    return view.lastError();
  }

  private void run() {
    Instant nextPeriodic = clock.instant();
    while (running) {
      Instant now = clock.instant();
      try {
        if (!now.isBefore(nextPeriodic)) {
          nextPeriodic = driver.periodic(now);
        }
        if (retryAt == null || !now.isBefore(retryAt)) {
          drain();
        }
      } catch (RuntimeException e) {
        log.warn("{} sync: {}", driver.authority(), e.toString());
      }
      refreshView();
      Instant wakeAt = clock.instant().plus(settings.pollInterval());
      if (retryAt != null && retryAt.isBefore(wakeAt)) {
        wakeAt = retryAt;
      }
      if (nextPeriodic.isBefore(wakeAt)) {
        wakeAt = nextPeriodic;
      }
      synchronized (signal) {
        while (running && !(woken && retryAt == null)) {
          long millis = Duration.between(clock.instant(), wakeAt).toMillis();
          if (millis <= 0) {
            break;
          }
          try {
            signal.wait(millis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        woken = false;
      }
    }
  }

  private void refreshView() {
    try {
      view = driver.view();
    } catch (RuntimeException e) {
      log.warn("{} sync state unreadable: {}", driver.authority(), e.getMessage());
    }
  }

  /** Sends until the outbox is empty or the authority must be waited for. */
  private void drain() {
    while (running) {
      long started = System.nanoTime();
      SyncDriver.Outcome o = driver.sendOne();
      if (o.called()) {
        double seconds = (System.nanoTime() - started) / 1e9;
        boolean failed = o.kind() == SyncDriver.Kind.REJECTED || o.kind() == SyncDriver.Kind.UNAVAILABLE;
        // a pipelined run counts each message the authority took, and its closing failure, as an attempt
        int calls = Math.max(1, o.accepted() + (failed ? 1 : 0));
        synchronized (this) {
          attempts += calls;
          latencySum += seconds;
          successes += o.accepted();
          if (failed) {
            failures++;
          }
        }
      }
      o.events().forEach(this::publish);
      refreshView();
      switch (o.kind()) {
        case PROGRESS -> {
          consecutiveFailures = 0;
          retryAt = null;
          lastSyncAt = clock.instant();
        }
        case REJECTED -> {
          consecutiveFailures = 0;
          retryAt = null;
        }
        case UNAVAILABLE -> {
          retryAt = clock.instant().plus(backoff(consecutiveFailures++));
          return;
        }
        default -> {
          retryAt = null;
          return;
        }
      }
    }
  }

  /** initial × 2^failures, capped at the maximum. */
  Duration backoff(int failuresBefore) {
    Duration b = settings.initialBackoff();
    for (int i = 0; i < failuresBefore && b.compareTo(settings.maxBackoff()) < 0; i++) {
      b = b.multipliedBy(2);
    }
    return b.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : b;
  }

  private void publish(SyncDriver.Event e) {
    BiConsumer<String, Map<String, Object>> target;
    synchronized (signal) {
      target = sink;
      if (target == null) {
        if (held.size() < MAX_HELD_EVENTS) {
          held.add(e);
        }
        return;
      }
    }
    deliver(target, e);
  }

  private void deliver(BiConsumer<String, Map<String, Object>> target, SyncDriver.Event e) {
    try {
      target.accept(e.type(), e.data());
    } catch (RuntimeException ex) {
      log.warn("{} event for {} not queued: {}", e.type(), e.data().get("receiptNumber"), ex.getMessage());
    }
  }

  /** Stops the thread after the call in progress, then releases the driver (its connection and client). */
  @Override
  public void close() {
    running = false;
    wake();
    try {
      thread.join(Duration.ofMinutes(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    driver.close();
  }

  @Override
  public String toString() {
    return driver.authority() + " sync worker";
  }
}
