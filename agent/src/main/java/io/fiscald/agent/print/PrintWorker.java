package io.fiscald.agent.print;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.hal.port.Backoff;
import io.fiscald.hal.print.EscPosPrinter;
import io.fiscald.hal.print.PrintDocument;
import io.fiscald.hal.print.PrintOutcome;
import io.fiscald.hal.print.PrinterException;
import io.fiscald.hal.print.PrinterNotReadyException;
import io.fiscald.hal.print.PrinterStatus;
import io.fiscald.hal.print.PrinterUnreachableException;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.Journal;
import io.fiscald.store.PrintJob;
import io.fiscald.store.PrintJobs;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the durable print queue to the receipt printer, oldest job first, on its own thread and its own
 * database connection. The fiscal core has already committed each receipt with its print job, so a sale
 * never waits for paper. A job is marked PRINTED only when the printer reports ready after it; a failure
 * (offline, paper out, cover open, cable pulled) is recorded on the job, which stays PENDING, and the worker
 * polls the printer's status with backoff until it is ready, then prints the job again. The original of a
 * receipt is sent at most once: before its bytes go out the job is durably noted as being sent, and a retry
 * after a send that may have reached the paper (link lost before the status answer, paper out mid-job, the
 * worker killed) is printed as the receipt's next marked COPY. A copy the cashier asked for whose send may
 * have reached the paper is not sent again (that would be one copy more than asked).
 */
public final class PrintWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrintWorker.class);
  /** Prefix of a recorded failure after which part of the receipt may be on paper. */
  static final String PARTLY_PRINTED = "[partly printed] ";
  /** Prefix of the note committed just before a job's bytes are sent; still there after a crash mid-send. */
  static final String SENDING = "[sending] ";

  /** How often to look for new jobs when idle, and the backoff while the printer is not ready. */
  public record Settings(Duration pollInterval, Duration retryInitial, Duration retryMax) {
    public static final Settings DEFAULT = new Settings(Duration.ofMillis(500), Duration.ofMillis(500),
        Duration.ofSeconds(30));
  }

  /** Events for the demo, the API's webhooks and tests; called on the worker thread. */
  public interface Listener {
    default void printed(PrintJob job, String receiptNumber) {}

    default void failed(PrintJob job, String receiptNumber, String error) {}

    default void paperNearEnd(PrinterStatus status) {}
  }

  private final Agent agent;
  private final EscPosPrinter printer;
  private final Settings settings;
  private final Listener listener;
  private final Clock clock;
  private final PrintPlan plan;
  private final Object monitor = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  private boolean wakeRequested;
  private volatile PrinterState state;
  private long printedJobs;

  private PrintWorker(Agent agent, EscPosPrinter printer, Settings settings, Listener listener, Clock clock) {
    this.agent = agent;
    this.printer = printer;
    this.settings = settings;
    this.listener = listener;
    this.clock = clock;
    this.plan = planFor(agent);
    this.state = new PrinterState(printer.name(), "unknown", false, false, 0, 0, null, null);
    this.thread = new Thread(this::run, "print-worker " + printer.name());
    this.thread.setDaemon(true);
  }

  /** Starts draining the queue of {@code agent} to {@code printer}; close the worker to stop it (and the printer). */
  public static PrintWorker start(Agent agent, EscPosPrinter printer, Settings settings, Listener listener) {
    PrintWorker w = new PrintWorker(agent, printer, settings, listener == null ? new Listener() {} : listener,
        Clock.systemUTC());
    w.thread.start();
    return w;
  }

  /**
   * KRA devices hold each job until the control unit's signature exists (sheet §15.2); every other profile
   * prints at once what the fiscal core committed.
   */
  private static PrintPlan planFor(Agent agent) {
    if (io.fiscald.agent.authority.kra.KraProfile.NAME.equals(agent.device().authority())) {
      return new io.fiscald.agent.authority.kra.KraPrintPlan(agent.settings());
    }
    return (c, job, receipt, seal, columns, note) -> {
      PrintDocument doc = ReceiptDocument.build(receipt, agent.settings(), agent.core().profile().fiscalBlock(receipt,
          seal), agent.core().profile().header(receipt).orElse(null), columns,
          new ReceiptDocument.Options(job.copy(), ReceiptQr.content(receipt, seal), note, true));
      return java.util.Optional.of(new PrintPlan.Planned(doc, false));
    };
  }

  /** The printer as last seen: status, alert, queue. */
  public PrinterState state() {
    return state;
  }

  /** Looks for new jobs now rather than at the next poll (call after a receipt is issued). */
  public void wake() {
    synchronized (monitor) {
      wakeRequested = true;
      monitor.notifyAll();
    }
  }

  /**
   * Queues a reprint of {@code receiptNumber} as its next copy (marked COPY n) and returns the copy number.
   *
   * @throws FiscalException RECEIPT_NOT_FOUND when the device has no such receipt
   */
  public int reprint(String receiptNumber) {
    try (Connection c = agent.newStateConnection()) {
      ReceiptRecord row = Receipts.findByNumber(c, receiptNumber).orElseThrow(() -> new FiscalException(
          ErrorCode.RECEIPT_NOT_FOUND, "no receipt " + receiptNumber + " on this device",
          Map.of("receiptNumber", receiptNumber)));
      long jobId = PrintJobs.enqueueReprint(c, row.id(), Timestamps.format(clock.instant()));
      int copy = PrintJobs.find(c, jobId).orElseThrow().copy();
      LOG.info("reprint of {} queued as copy {} (job {})", receiptNumber, copy, jobId);
      wake();
      return copy;
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close database connection: " + e.getMessage());
    }
  }

  private void run() {
    Backoff backoff = new Backoff(settings.retryInitial(), settings.retryMax());
    try (Connection c = agent.newStateConnection()) {
      while (running) {
        try {
          updateState(s -> new PrinterState(s.printer(), s.status(), s.ready(), s.paperNearEnd(),
              PrintJobs.pendingCount(c), printedJobs, s.lastError(), s.lastPrintedAt()));
          boolean printed = false;
          boolean failed = false;
          long after = 0;
          // Page through the whole queue: held jobs (KRA, awaiting the signature) are stepped over, not waited on.
          pages:
          while (running) {
            List<PrintJob> jobs = PrintJobs.pendingAfter(c, after, 50);
            if (jobs.isEmpty()) {
              break;
            }
            for (PrintJob job : jobs) {
              after = job.id();
              Outcome outcome = running ? printOne(c, job) : Outcome.HELD;
              if (outcome == Outcome.FAILED) {
                failed = true;
                break pages; // keep the order: nothing after a failed job prints before it
              }
              if (outcome == Outcome.PRINTED) {
                printed = true;
                backoff.reset();
              }
            }
          }
          if (failed && running) {
            waitUntilReady(backoff);
          } else if (!printed) {
            pause(settings.pollInterval(), true); // empty, or only held jobs: look again at the next poll
          }
        } catch (RuntimeException e) {
          // the store or a bug, not the printer: keep the worker alive, slow down, say why
          LOG.error("print worker: {}", e.toString(), e);
          pause(backoff.next(), false);
        }
      }
    } catch (SQLException e) {
      LOG.error("print worker: cannot close its database connection: {}", e.getMessage());
    } finally {
      printer.close();
    }
  }

  /** What became of one job. */
  private enum Outcome { PRINTED, HELD, FAILED }

  /** Prints one job, or holds it; FAILED when the printer failed (the failure is recorded, the job stays PENDING). */
  private Outcome printOne(Connection c, PrintJob queued) {
    ReceiptRecord row = Receipts.findById(c, queued.receiptId()).orElseThrow(() -> new IllegalStateException(
        "print job " + queued.id() + " refers to receipt row " + queued.receiptId() + ", which does not exist"));
    PrintJob job = queued;
    JournalEntry entry = Journal.get(c, row.journalSeq()).orElseThrow(() -> new IllegalStateException(
        "receipt " + row.receiptNumber() + " has no journal entry " + row.journalSeq()));
    FiscalReceipt receipt = ReceiptCodec.receipt(row.body());
    ReceiptSeal seal = new ReceiptSeal(entry.seq(), entry.hash(), entry.signature());
    String note = null;
    if (mayBeOnPaper(job)) {
      if (job.copy() == 0) {
        // the original may already be in the customer's hand: whatever is printed now must say COPY
        PrintJobs.renumberAsCopy(c, job.id());
        job = PrintJobs.find(c, job.id()).orElseThrow();
        LOG.warn("print job {} ({}): the original may be on paper already; retrying it as copy {}", job.id(),
            row.receiptNumber(), job.copy());
      } else if (PrintJobs.hasOriginal(c, job.receiptId())) {
        // an asked-for copy that may be out already (e.g. the worker died mid-send): do not double it
        return abandonCopy(c, job, row.receiptNumber(), job.lastError());
      }
      note = "Attempt " + (job.attempts() + 1) + ": an earlier print may be on paper";
    }
    java.util.Optional<PrintPlan.Planned> planned = plan.plan(c, job, receipt, seal, printer.profile().columns(), note);
    if (planned.isEmpty()) {
      return Outcome.HELD;
    }
    PrintDocument doc = planned.get().document();
    // committed before the bytes go out, so neither a lost status answer nor a crash can hide the send
    PrintJobs.recordSending(c, job.id(), SENDING + "attempt " + (job.attempts() + 1) + " at "
        + Timestamps.format(clock.instant()));
    try {
      PrintOutcome outcome = printer.print(doc);
      String now = Timestamps.format(clock.instant());
      if (planned.get().followUp()) {
        markPrintedWithFollowUp(c, job, now);
      } else {
        PrintJobs.markPrinted(c, job.id(), now);
      }
      printedJobs++;
      observe(outcome.after(), null, now);
      LOG.debug("printed {}{} (job {}, {} bytes)", row.receiptNumber(), job.copy() > 0 ? " copy " + job.copy() : "",
          job.id(), outcome.bytes());
      listener.printed(job, row.receiptNumber());
      return Outcome.PRINTED;
    } catch (PrinterException e) {
      boolean sent = e instanceof PrinterNotReadyException nr ? nr.dataSent()
          : e instanceof PrinterUnreachableException u && u.dataSent();
      // a retry refused before sending keeps the mark: the earlier attempt may still be on paper, and the
      // next try must say so again
      String error = (sent || note != null ? PARTLY_PRINTED : "") + e.getMessage();
      if (sent && job.copy() > 0 && PrintJobs.hasOriginal(c, job.receiptId())) {
        // an asked-for copy that may be on paper is not sent again; a retried original (no copy-0 job left)
        // is, since the customer may have nothing yet
        abandonCopy(c, job, row.receiptNumber(), error);
        observe(e.lastStatus(), e.getMessage(), state.lastPrintedAt());
        return Outcome.FAILED;
      }
      // not sent at all (printer known not ready before sending): retried unchanged, an original as the
      // original; a sent retry copy of the original: retried, still as a marked copy
      PrintJobs.recordFailure(c, job.id(), error);
      observe(e.lastStatus(), e.getMessage(), state.lastPrintedAt());
      LOG.warn("print job {} ({}) failed, will retry when the printer is ready: {}", job.id(), row.receiptNumber(),
          e.getMessage());
      listener.failed(job, row.receiptNumber(), error);
      return Outcome.FAILED;
    }
  }

  private static boolean mayBeOnPaper(PrintJob job) {
    String e = job.lastError();
    return e != null && (e.startsWith(PARTLY_PRINTED) || e.startsWith(SENDING));
  }

  /** Ends an asked-for copy whose send may have reached the paper; the cashier can ask for another. */
  private Outcome abandonCopy(Connection c, PrintJob job, String receiptNumber, String why) {
    String error = "copy " + job.copy() + " not sent again, it may be on paper: " + why;
    PrintJobs.abandon(c, job.id(), error);
    LOG.warn("print job {} ({}): {}", job.id(), receiptNumber, error);
    listener.failed(job, receiptNumber, error);
    return Outcome.HELD;
  }

  /** The provisional slip is out: its job is done and the real receipt's job takes its place, at once. */
  private static void markPrintedWithFollowUp(Connection c, PrintJob job, String now) {
    try (java.sql.Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        PrintJobs.markPrinted(c, job.id(), now);
        PrintJobs.enqueue(c, job.receiptId(), job.copy(), now);
        st.execute("COMMIT");
      } catch (RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    } catch (SQLException e) {
      throw new io.fiscald.store.StoreException("cannot record the provisional slip of print job " + job.id() + ": "
          + e.getMessage(), e);
    }
  }

  /** Polls the printer's status with backoff until it reports ready (or the worker stops). */
  private void waitUntilReady(Backoff backoff) {
    while (running) {
      pause(backoff.next(), false);
      if (!running) {
        return;
      }
      try {
        PrinterStatus s = printer.status();
        observe(s, s.ready() ? null : "printer " + printer.name() + " is not ready: " + s.describe(),
            state.lastPrintedAt());
        if (s.ready()) {
          LOG.info("printer {} is ready again; resuming the queue", printer.name());
          return;
        }
      } catch (PrinterException e) {
        observe(e.lastStatus(), e.getMessage(), state.lastPrintedAt());
        LOG.debug("printer {} still unavailable: {}", printer.name(), e.getMessage());
      }
    }
  }

  private void observe(PrinterStatus s, String error, String lastPrintedAt) {
    PrinterState before = state;
    boolean nearEnd = s != null && s.paperNearEnd() && !s.paperEnd();
    if (nearEnd && !before.paperNearEnd()) {
      LOG.warn("printer {}: paper near end - replace the roll soon", printer.name());
      listener.paperNearEnd(s);
    }
    String status = s == null ? (error != null ? "unreachable" : "unknown") : s.describe();
    updateState(old -> new PrinterState(printer.name(), status, s != null && s.ready() && error == null, nearEnd,
        old.pendingJobs(), printedJobs, error, lastPrintedAt));
  }

  private void updateState(java.util.function.UnaryOperator<PrinterState> change) {
    state = change.apply(state);
  }

  /** Waits {@code d}, or less when woken (only when {@code wakeable}: backoff waits are not cut short). */
  private void pause(Duration d, boolean wakeable) {
    long deadline = System.nanoTime() + d.toNanos();
    synchronized (monitor) {
      while (running) {
        if (wakeable && wakeRequested) {
          wakeRequested = false;
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          monitor.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
    }
  }

  /** Stops after the job in hand and releases the printer's port. */
  @Override
  public void close() {
    running = false;
    synchronized (monitor) {
      monitor.notifyAll();
    }
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
