package io.fiscald.agent.api;

import io.fiscald.agent.backup.BackupScheduler;
import io.fiscald.agent.backup.BackupStatus;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.store.ReceiptRecord;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the API asks of the parts built beside it: the printer's state, the authority's sync state,
 * cancelling a receipt where the authority allows it, and extra readiness checks. Each has a
 * default that is right for a device without printer or authority; the daemon replaces them with
 * the real workers as they exist.
 */
public final class ApiHooks {
  /** Cancels a receipt at the authority, or refuses with a FiscalException saying why not. */
  public interface ReceiptCanceller {
    Map<String, Object> cancel(ReceiptRecord receipt, Caller caller);
  }

  /**
   * The authority's signature that comes after the commit (KRA OSCU signs only online): what the receipt
   * answer and {@code GET /v1/receipts/{number}} carry about it. The default adds nothing.
   */
  public interface ReceiptSignatures {
    /** Fields of the answer as at commit, stored for idempotent replays; runs in the commit, reads nothing. */
    Map<String, Object> atCommit(IssuedReceipt issued);

    /** Waits (up to the authority's configured time) after the commit; the fields the answer carries. */
    Map<String, Object> afterCommit(Connection c, IssuedReceipt issued);

    /** The current state of a stored receipt, for GET. */
    Map<String, Object> current(Connection c, ReceiptRecord receipt);
  }

  /** Adds nothing: the receipt is final at commit (local, ZIMRA). */
  public static final ReceiptSignatures NO_SIGNATURES = new ReceiptSignatures() {
    @Override
    public Map<String, Object> atCommit(IssuedReceipt issued) {
      return Map.of();
    }

    @Override
    public Map<String, Object> afterCommit(Connection c, IssuedReceipt issued) {
      return Map.of();
    }

    @Override
    public Map<String, Object> current(Connection c, ReceiptRecord receipt) {
      return Map.of();
    }
  };

  /** A reason the device cannot take receipts now (paper out, signer unplugged), or empty. */
  public interface ReadinessCheck {
    Optional<String> notReadyReason();
  }

  private final Supplier<PrinterState> printer;
  private final Supplier<SyncStatus> sync;
  private final ReceiptCanceller canceller;
  private final List<ReadinessCheck> readiness;
  private final Runnable printQueueChanged;
  private final List<AutoCloseable> workers;
  private final ReceiptSignatures signatures;

  private final Supplier<BackupStatus> backups;

  private ApiHooks(Builder b) {
    this.signatures = b.signatures;
    this.backups = b.backups;
    this.workers = List.copyOf(b.workers);
    this.printQueueChanged = b.printQueueChanged;
    this.printer = b.printer;
    this.sync = b.sync;
    this.canceller = b.canceller;
    this.readiness = List.copyOf(b.readiness);
  }

  /** No printer, no authority: every receipt is final (local profile). */
  public static ApiHooks defaults(String authority) {
    return builder(authority).build();
  }

  public static Builder builder(String authority) {
    return new Builder(authority);
  }

  public PrinterState printerState() {
    return printer.get();
  }

  public SyncStatus syncStatus() {
    return sync.get();
  }

  public ReceiptCanceller canceller() {
    return canceller;
  }

  public List<ReadinessCheck> readinessChecks() {
    return readiness;
  }

  /** Workers started for these hooks (print worker, sync), stopped by the daemon before the agent closes. */
  public List<AutoCloseable> workers() {
    return workers;
  }

  public ReceiptSignatures signatures() {
    return signatures;
  }

  /** What the daemon's backup schedule has done ({@link BackupStatus#NONE} without one). */
  public BackupStatus backupStatus() {
    return backups.get();
  }

  /** These hooks with the backup schedule's status, and the schedule stopped with the other workers. */
  public ApiHooks withBackups(BackupScheduler scheduler) {
    Builder b = new Builder("local");
    b.printer = printer;
    b.sync = sync;
    b.canceller = canceller;
    b.readiness.addAll(readiness);
    b.printQueueChanged = printQueueChanged;
    b.workers.addAll(workers);
    b.workers.add(scheduler);
    b.signatures = signatures;
    b.backups = scheduler::status;
    return b.build();
  }

  /** Called after the API queued print jobs (a receipt, a reprint): wakes the print worker. */
  public void printQueueChanged() {
    printQueueChanged.run();
  }

  /** Builds hooks; unset ones keep their defaults. */
  public static final class Builder {
    private Supplier<PrinterState> printer = () -> PrinterState.NONE;
    private Supplier<SyncStatus> sync;
    private ReceiptCanceller canceller;
    private final List<ReadinessCheck> readiness = new ArrayList<>();
    private Runnable printQueueChanged = () -> { };
    private final List<AutoCloseable> workers = new ArrayList<>();
    private ReceiptSignatures signatures = NO_SIGNATURES;
    private Supplier<BackupStatus> backups = () -> BackupStatus.NONE;

    private Builder(String authority) {
      this.sync = () -> SyncStatus.none(authority);
      this.canceller = (receipt, caller) -> {
        throw new FiscalException(ErrorCode.CANCEL_NOT_ALLOWED, "the " + authority + " profile does not allow"
            + " cancelling receipt " + receipt.receiptNumber() + ": a fiscal receipt stands once issued; issue a"
            + " credit note (POST /v1/receipts with type CREDIT_NOTE and original.receiptNumber) to reverse it",
            Map.of("receiptNumber", receipt.receiptNumber(), "authority", authority));
      };
    }

    public Builder printer(Supplier<PrinterState> source) {
      this.printer = source;
      return this;
    }

    public Builder sync(Supplier<SyncStatus> source) {
      this.sync = source;
      return this;
    }

    public Builder canceller(ReceiptCanceller c) {
      this.canceller = c;
      return this;
    }

    public Builder readiness(ReadinessCheck check) {
      this.readiness.add(check);
      return this;
    }

    /** A worker the daemon stops (after the API, before the agent) when it stops. */
    public Builder worker(AutoCloseable w) {
      this.workers.add(w);
      return this;
    }

    public Builder signatures(ReceiptSignatures s) {
      this.signatures = s;
      return this;
    }

    public Builder onPrintQueueChanged(Runnable r) {
      this.printQueueChanged = r;
      return this;
    }

    public ApiHooks build() {
      return new ApiHooks(this);
    }
  }
}
