package io.fiscald.sim.zimra;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The simulator's fault switchboard: arm misbehaviour for the next N calls of a route (or of {@link FdmsRoute#ANY}),
 * for the next N TLS handshakes, or until switched off. Thread-safe; every method returns {@code this}.
 *
 * <p>Call faults fire in the order they were armed; one call consumes at most one armed fault. Kinds:
 * <ul>
 *   <li>{@link #failNext}: answer an HTTP status (500, 502…) with a ProblemDetails body; nothing is processed.</li>
 *   <li>{@link #stallNext}: hold the call for a while <em>before</em> processing it (a client with a shorter
 *       timeout gives up; the call is processed afterwards anyway, as a slow server would).</li>
 *   <li>{@link #stallAfterCommitNext}: process and commit, then hold the answer for a while.</li>
 *   <li>{@link #dropAnswerNext}: process and commit, then close the connection without any answer.</li>
 *   <li>{@link #duplicateNext}: process the request twice, as if the network delivered it twice, and answer the
 *       second outcome (for submitReceipt: the idempotent replay with a new operationID).</li>
 *   <li>{@link #failTlsHandshakes}: the next N connections get a server certificate from an unknown CA, so the
 *       client's handshake fails.</li>
 *   <li>{@link #refuseConnections}: close the listening socket (connection refused) until switched back; the
 *       simulator listens again on the same port.</li>
 *   <li>{@link #holdDayCloses} / {@link #failNextDayClose}: keep closeDay in FiscalDayCloseInitiated, or make the
 *       next close end in FiscalDayCloseFailed with a given code (e.g. {@code InternalError}).</li>
 * </ul>
 */
public final class FdmsFaults {

  /** What an armed call fault does. */
  enum Kind { PASS, FAIL_STATUS, STALL_BEFORE, STALL_AFTER_COMMIT, DROP_AFTER_COMMIT, DUPLICATE }

  /** One armed call fault as it fires. */
  record Fault(Kind kind, FdmsRoute route, int status, Duration stall) { }

  private static final class Armed {
    final Fault fault;
    int remaining;

    Armed(Fault fault, int remaining) {
      this.fault = fault;
      this.remaining = remaining;
    }
  }

  private final List<Armed> armed = new ArrayList<>();
  private final Deque<String> forcedCloseFailures = new ArrayDeque<>();
  private final AtomicInteger tlsFailures = new AtomicInteger();
  private final AtomicInteger fired = new AtomicInteger();
  private final Consumer<Boolean> refuseSwitch;
  private volatile boolean holdDayCloses;
  private volatile boolean refusing;

  FdmsFaults(Consumer<Boolean> refuseSwitch) {
    this.refuseSwitch = refuseSwitch;
  }

  /**
   * The next {@code calls} calls of {@code route} go through untouched before the faults armed after this one:
   * {@code passNext(SUBMIT_RECEIPT, 3).failNext(SUBMIT_RECEIPT, 1, 500)} fails the fourth receipt of a run.
   */
  public FdmsFaults passNext(FdmsRoute route, int calls) {
    return arm(new Fault(Kind.PASS, route, 0, null), calls);
  }

  /** The next {@code calls} calls of {@code route} answer {@code httpStatus} (e.g. 500 or 502) unprocessed. */
  public FdmsFaults failNext(FdmsRoute route, int calls, int httpStatus) {
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("httpStatus must be an error status, not " + httpStatus);
    }
    return arm(new Fault(Kind.FAIL_STATUS, route, httpStatus, null), calls);
  }

  /** The next {@code calls} calls of {@code route} wait {@code stall} before being processed. */
  public FdmsFaults stallNext(FdmsRoute route, int calls, Duration stall) {
    return arm(new Fault(Kind.STALL_BEFORE, route, 0, Objects.requireNonNull(stall)), calls);
  }

  /** The next {@code calls} calls of {@code route} are processed and committed, then answered after {@code stall}. */
  public FdmsFaults stallAfterCommitNext(FdmsRoute route, int calls, Duration stall) {
    return arm(new Fault(Kind.STALL_AFTER_COMMIT, route, 0, Objects.requireNonNull(stall)), calls);
  }

  /** The next {@code calls} calls of {@code route} are processed and committed, then the connection is dropped. */
  public FdmsFaults dropAnswerNext(FdmsRoute route, int calls) {
    return arm(new Fault(Kind.DROP_AFTER_COMMIT, route, 0, null), calls);
  }

  /** The next {@code calls} calls of {@code route} are processed twice; the second outcome is answered. */
  public FdmsFaults duplicateNext(FdmsRoute route, int calls) {
    return arm(new Fault(Kind.DUPLICATE, route, 0, null), calls);
  }

  /** The next {@code connections} TLS handshakes present a certificate the client cannot trust. */
  public FdmsFaults failTlsHandshakes(int connections) {
    if (connections < 0) {
      throw new IllegalArgumentException("connections must be >= 0");
    }
    tlsFailures.addAndGet(connections);
    return this;
  }

  /** True closes the listening socket (clients get "connection refused"); false listens again on the same port. */
  public FdmsFaults refuseConnections(boolean refuse) {
    synchronized (this) {
      if (refusing == refuse) {
        return this;
      }
      refusing = refuse;
      refuseSwitch.accept(refuse);
    }
    return this;
  }

  /** While true, accepted closeDay calls stay FiscalDayCloseInitiated; switching it off lets them finish. */
  public FdmsFaults holdDayCloses(boolean hold) {
    holdDayCloses = hold;
    return this;
  }

  /** The next accepted closeDay ends FiscalDayCloseFailed with {@code closingErrorCode} whatever its content. */
  public synchronized FdmsFaults failNextDayClose(String closingErrorCode) {
    forcedCloseFailures.add(Objects.requireNonNull(closingErrorCode));
    return this;
  }

  /** Disarms every call, TLS and close fault and stops refusing connections. */
  public FdmsFaults clear() {
    synchronized (this) {
      armed.clear();
      forcedCloseFailures.clear();
    }
    tlsFailures.set(0);
    holdDayCloses = false;
    return refuseConnections(false);
  }

  /** How many call faults, TLS failures and forced close failures are still armed. */
  public synchronized int pending() {
    int n = tlsFailures.get() + forcedCloseFailures.size();
    for (Armed a : armed) {
      n += a.fault.kind() == Kind.PASS ? 0 : a.remaining;
    }
    return n;
  }

  /** How many faults have fired since start (each failed call, stalled call, failed handshake counts one). */
  public int fired() {
    return fired.get();
  }

  /** True while connections are refused. */
  public boolean refusing() {
    return refusing;
  }

  private synchronized FdmsFaults arm(Fault fault, int calls) {
    Objects.requireNonNull(fault.route(), "route");
    if (calls <= 0) {
      throw new IllegalArgumentException("calls must be > 0, not " + calls);
    }
    armed.add(new Armed(fault, calls));
    return this;
  }

  /** Consumes and returns the first armed fault matching {@code route}, or null. */
  synchronized Fault take(FdmsRoute route) {
    for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
      Armed a = it.next();
      if (a.fault.route() == FdmsRoute.ANY || a.fault.route() == route) {
        if (--a.remaining <= 0) {
          it.remove();
        }
        if (a.fault.kind() == Kind.PASS) {
          return null;
        }
        fired.incrementAndGet();
        return a.fault;
      }
    }
    return null;
  }

  /** Consumes one armed TLS failure; true when this handshake must fail. */
  boolean takeTlsFailure() {
    while (true) {
      int n = tlsFailures.get();
      if (n <= 0) {
        return false;
      }
      if (tlsFailures.compareAndSet(n, n - 1)) {
        fired.incrementAndGet();
        return true;
      }
    }
  }

  boolean holdingDayCloses() {
    return holdDayCloses;
  }

  synchronized String takeForcedCloseFailure() {
    String code = forcedCloseFailures.poll();
    if (code != null) {
      fired.incrementAndGet();
    }
    return code;
  }
}
