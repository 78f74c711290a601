package io.fiscald.sim.kra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The simulator's fault switchboard: one-shot faults armed for the next N calls of a function (or of any function),
 * and two persistent modes, stall everything and refuse connections. Thread-safe; tests flip switches while
 * clients run.
 *
 * <p>What each fault does to a call that it matches:
 * <ul>
 *   <li>{@link Kind#SERVER_ERROR}: HTTP 503 with a plain text body, nothing processed.
 *   <li>{@link Kind#DUPLICATE_994}: envelope {@code 994 "There is an overlapped Data"}, nothing processed (a client
 *       must confirm with {@code selectInvoiceDetails}, sheet §13).
 *   <li>{@link Kind#TIMEOUT_AFTER_COMMIT}: processed and committed, then the answer is held until the client gives up
 *       (or {@link #releaseStalled()}/close), then the connection is dropped without an answer.
 *   <li>{@link Kind#DROP_AFTER_COMMIT}: processed and committed, then the connection is closed without an answer.
 *   <li>{@link Kind#STALL}: held before processing until released; then processed and answered normally.
 *   <li>{@link Kind#TOKEN_ERROR}: the OAuth token endpoint answers 503 (the sandbox's intermittent token failures,
 *       sheet §15.3).
 * </ul>
 */
public final class EtimsFaults {
  /** The kinds of fault; see the class comment. */
  public enum Kind { SERVER_ERROR, DUPLICATE_994, TIMEOUT_AFTER_COMMIT, DROP_AFTER_COMMIT, STALL, TOKEN_ERROR }

  private record Armed(Kind kind, EtimsEndpoint endpoint, int[] remaining) {
  }

  private final Object lock = new Object();
  private final List<Armed> armed = new ArrayList<>();
  private final Map<Kind, Integer> fired = new EnumMap<>(Kind.class);
  private boolean stallAll;
  private long releaseGeneration;
  private int stalledNow;
  private boolean closed;
  private final Runnable onRefuse;
  private final Runnable onAccept;

  EtimsFaults(Runnable onRefuse, Runnable onAccept) {
    this.onRefuse = onRefuse;
    this.onAccept = onAccept;
  }

  /** The next {@code times} calls of {@code endpoint} ({@code null}: any function) get HTTP 503. */
  public EtimsFaults serverError(EtimsEndpoint endpoint, int times) {
    return arm(Kind.SERVER_ERROR, endpoint, times);
  }

  /** The next {@code times} calls of {@code endpoint} ({@code null}: any) get 994 without being processed. */
  public EtimsFaults duplicate994(EtimsEndpoint endpoint, int times) {
    return arm(Kind.DUPLICATE_994, endpoint, times);
  }

  /** The next {@code times} calls of {@code endpoint} ({@code null}: any) commit, then never answer. */
  public EtimsFaults timeoutAfterCommit(EtimsEndpoint endpoint, int times) {
    return arm(Kind.TIMEOUT_AFTER_COMMIT, endpoint, times);
  }

  /** The next {@code times} calls of {@code endpoint} ({@code null}: any) commit, then lose the connection. */
  public EtimsFaults dropAfterCommit(EtimsEndpoint endpoint, int times) {
    return arm(Kind.DROP_AFTER_COMMIT, endpoint, times);
  }

  /** The next {@code times} calls of {@code endpoint} ({@code null}: any) hang, unprocessed, until released. */
  public EtimsFaults stall(EtimsEndpoint endpoint, int times) {
    return arm(Kind.STALL, endpoint, times);
  }

  /** The next {@code times} token requests get HTTP 503. */
  public EtimsFaults tokenError(int times) {
    return arm(Kind.TOKEN_ERROR, null, times);
  }

  /** Arms {@code kind} for the next {@code times} calls of {@code endpoint} ({@code null}: any function). */
  public EtimsFaults arm(Kind kind, EtimsEndpoint endpoint, int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1, was " + times);
    }
    synchronized (lock) {
      armed.add(new Armed(kind, endpoint, new int[] {times}));
    }
    return this;
  }

  /** While on, every API and token request hangs before processing until this is turned off or released. */
  public EtimsFaults stallAll(boolean on) {
    synchronized (lock) {
      stallAll = on;
      if (!on) {
        releaseGeneration++;
        lock.notifyAll();
      }
    }
    return this;
  }

  /**
   * While on, the listening socket is closed so connections are refused at the TCP level; turning it off listens
   * again on the same port. State is kept across.
   */
  public EtimsFaults refuseConnections(boolean on) {
    if (on) {
      onRefuse.run();
    } else {
      onAccept.run();
    }
    return this;
  }

  /** Lets every call currently held (stalls, timeouts after commit) go on. */
  public void releaseStalled() {
    synchronized (lock) {
      releaseGeneration++;
      lock.notifyAll();
    }
  }

  /** Disarms every one-shot fault and turns stall-all off (refusal is left as it is). */
  public void clear() {
    synchronized (lock) {
      armed.clear();
    }
    stallAll(false);
  }

  /** How many times {@code kind} has fired since start. */
  public int fired(Kind kind) {
    synchronized (lock) {
      return fired.getOrDefault(kind, 0);
    }
  }

  /** How many calls of this kind are still armed (0 when all have fired). */
  public int remaining(Kind kind) {
    synchronized (lock) {
      return armed.stream().filter(a -> a.kind == kind).mapToInt(a -> a.remaining[0]).sum();
    }
  }

  /** Calls being held right now (by a stall or a timeout after commit). */
  public int stalledNow() {
    synchronized (lock) {
      return stalledNow;
    }
  }

  /** Waits until at least {@code count} calls are being held; for tests that must not sleep. */
  public void awaitStalled(int count, Duration max) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (lock) {
      while (stalledNow < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("expected " + count + " held calls, have " + stalledNow);
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Takes one shot of the first armed fault matching {@code endpoint} among {@code kinds}, or {@code null}. */
  Kind take(EtimsEndpoint endpoint, Kind... kinds) {
    synchronized (lock) {
      for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
        Armed a = it.next();
        if ((a.endpoint == null || a.endpoint == endpoint) && contains(kinds, a.kind)) {
          if (--a.remaining[0] == 0) {
            it.remove();
          }
          fired.merge(a.kind, 1, Integer::sum);
          return a.kind;
        }
      }
      return null;
    }
  }

  boolean stallingAll() {
    synchronized (lock) {
      return stallAll;
    }
  }

  /** Holds the calling handler until released, stall-all is turned off (when {@code untilStallAllOff}), or close. */
  void hold(Duration max, boolean untilStallAllOff) {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (lock) {
      long generation = releaseGeneration;
      stalledNow++;
      lock.notifyAll();
      try {
        while (!closed && generation == releaseGeneration && (!untilStallAllOff || stallAll)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return;
          }
          lock.wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stalledNow--;
        lock.notifyAll();
      }
    }
  }

  void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
  }

  private static boolean contains(Kind[] kinds, Kind k) {
    for (Kind x : kinds) {
      if (x == k) {
        return true;
      }
    }
    return false;
  }
}
