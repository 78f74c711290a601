package io.fiscald.agent.core.internal;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.IdempotencyKey;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.profile.AuthorityProfile;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.tax.TaxedReceipt;
import io.fiscald.hal.sign.Signer;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.StatementCache;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fiscal core's single writer. It takes every command waiting in its queue (up to a batch
 * limit), applies each inside a savepoint of one immediate transaction, commits once — one fsync for
 * the whole group — and only then completes the callers' futures. A refused command rolls back to
 * its savepoint and leaves the others intact; a failed commit fails the whole group and the state is
 * reloaded from the database, so nobody is ever told about a change that is not on disk.
 *
 * <p>Speed without giving any of that up: the writer makes the hash chain in order, while a small
 * pool (one thread per core) makes the entries' signatures meanwhile; the journal rows, inserted in
 * order, get their signatures before COMMIT, and the writer's statements are prepared once
 * ({@link StatementCache}). (Not deferred foreign keys: with them SQLite scans the unindexed child
 * tables on every parent insert.) If a signature fails after its command ran, the batch
 * is rolled back and run again signing inline, so only the command that cannot be signed is refused.
 */
public final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_BATCH = 512;
  private static final int CACHED_STATEMENTS = 64;
  /** Signing threads; 0 signs on the writer. Default: one per core, none on a single core. */
  public static final int SIGNING_THREADS = Integer.getInteger("fiscald.signingThreads",
      Runtime.getRuntime().availableProcessors() > 1 ? Runtime.getRuntime().availableProcessors() : 0);

  private final WriteContext context;
  private final StatementCache statements;
  private final ExecutorService signers;
  private final BlockingQueue<WriteCommand<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean accepting = true;
  private volatile long commits;
  private volatile long committedCommands;

  private GroupCommitWriter(WriteContext context, StatementCache statements, ExecutorService signers) {
    this.context = context;
    this.statements = statements;
    this.signers = signers;
    this.thread = new Thread(this::run, "fiscal-writer");
    this.thread.setDaemon(false);
  }

  /**
   * Starts the writer on {@code connection}, which it then owns: nobody else may write through it.
   * Loads the chain head, counters and current day once.
   */
  public static GroupCommitWriter start(Connection connection, DeviceRecord device, DeviceSettings settings,
      AuthorityProfile profile, Signer signer, Clock clock) {
    keepSavepointJournalInMemory(connection);
    StatementCache statements = StatementCache.on(connection, CACHED_STATEMENTS);
    ChainState state = ChainState.load(statements.connection());
    ExecutorService signers = SIGNING_THREADS < 1 ? null : Executors.newFixedThreadPool(SIGNING_THREADS,
        new SignerThreads());
    GroupCommitWriter writer = new GroupCommitWriter(new WriteContext(statements.connection(), state, device,
        settings, profile, signer, clock, signers), statements, signers);
    writer.thread.start();
    return writer;
  }

  /**
   * Each command runs in a savepoint, whose undo journal SQLite spills to a temporary file past 64 KiB per
   * transaction: thousands of small writes per second to /var/tmp for pages that are thrown away at
   * COMMIT. In memory it is a few pages per command of the batch; the journal itself is untouched.
   */
  private static void keepSavepointJournalInMemory(Connection connection) {
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA temp_store = MEMORY");
    } catch (SQLException e) {
      throw new io.fiscald.store.StoreException("cannot configure the writer's connection: " + e.getMessage(), e);
    }
  }

  public CompletableFuture<IssuedReceipt> issue(ReceiptRequest request, TaxedReceipt taxed) {
    return submit(new IssueReceiptCommand(request, taxed));
  }

  public CompletableFuture<FiscalDayRecord> openDay() {
    return submit(new DayCommands.Open());
  }

  public CompletableFuture<DayReport> closeDay() {
    return submit(new DayCommands.Close());
  }

  /** As {@link #issue}, {@link #openDay}, {@link #closeDay}, storing the answer under {@code key} in the same transaction. */
  public CompletableFuture<IssuedReceipt> issue(ReceiptRequest request, TaxedReceipt taxed,
      IdempotencyKey<IssuedReceipt> key) {
    return submit(IdempotentCommand.wrap(new IssueReceiptCommand(request, taxed), key));
  }

  public CompletableFuture<FiscalDayRecord> openDay(IdempotencyKey<FiscalDayRecord> key) {
    return submit(IdempotentCommand.wrap(new DayCommands.Open(), key));
  }

  public CompletableFuture<DayReport> closeDay(IdempotencyKey<DayReport> key) {
    return submit(IdempotentCommand.wrap(new DayCommands.Close(), key));
  }

  public CompletableFuture<DayReport> xReport() {
    return submit(new DayCommands.XReport());
  }

  public CompletableFuture<JournalEntry> recordEvent(String kind, Map<String, ?> payload) {
    return submit(new RecordEventCommand(kind, payload));
  }

  private <T> CompletableFuture<T> submit(WriteCommand<T> command) {
    if (!accepting) {
      command.future.completeExceptionally(
          new FiscalException(ErrorCode.SHUTTING_DOWN, "fiscald is shutting down; retry in a moment"));
      return command.future;
    }
    queue.add(command);
    return command.future;
  }

  /** Number of transactions committed so far and the commands they held (group-commit ratio). */
  public long commits() {
    return commits;
  }

  public long committedCommands() {
    return committedCommands;
  }

  private void run() {
    List<WriteCommand<?>> batch = new ArrayList<>(MAX_BATCH);
    while (accepting || !queue.isEmpty()) {
      try {
        WriteCommand<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        runBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Error e) {
        // out of memory, a broken class file...: this thread dies, but nobody may be left waiting forever
        stopAfter(e, batch);
        throw e;
      } finally {
        batch.clear();
      }
    }
  }

  /** Fails the batch in hand and everything queued, and refuses new commands: the writer is gone. */
  private void stopAfter(Error e, List<WriteCommand<?>> batch) {
    accepting = false;
    log.error("the fiscal writer stopped on {}; pending fiscal events were refused", e.toString());
    rollbackQuietly();
    FiscalException failure = new FiscalException(ErrorCode.INTERNAL,
        "internal error: the fiscal writer stopped (" + e + "); restart fiscald", Map.of(), e);
    batch.forEach(c -> c.future.completeExceptionally(failure)); // no effect on those already answered
    for (WriteCommand<?> left; (left = queue.poll()) != null; ) {
      left.future.completeExceptionally(failure);
    }
  }

  private void runBatch(List<WriteCommand<?>> batch) {
    Object[] results = new Object[batch.size()];
    Throwable[] failures = new Throwable[batch.size()];
    ChainState start = context.state.copy();
    try {
      try {
        applyAndCommit(batch, true, results, failures);
      } catch (DeferredSigningFailed e) {
        // a signature made after its command ran failed (signer offline, PIN...): start the batch over,
        // signing each entry inside its command's savepoint, so only the commands that cannot be signed
        // are refused, exactly as if nothing had been deferred
        rollbackQuietly();
        context.dropPendingFrom(0);
        context.state.restore(start);
        applyAndCommit(batch, false, results, failures);
      }
    } catch (SQLException | RuntimeException e) {
      log.error("commit of {} fiscal events failed; none was acknowledged: {}", batch.size(), e.getMessage());
      rollbackQuietly();
      context.dropPendingFrom(0);
      context.state.restore(ChainState.load(context.connection));
      FiscalException failure = io.fiscald.store.StorageFull.causedBy(e) ? storageFull(e)
          : new FiscalException(ErrorCode.STORAGE_ERROR,
          "the journal could not be written (" + e.getMessage() + "); nothing was recorded, retry",
          Map.of(), e);
      batch.forEach(c -> c.future.completeExceptionally(failure));
      return;
    }
    commits++;
    committedCommands += batch.size();
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results[i], failures[i]);
    }
  }

  /** One transaction: every command in its savepoint, the batch's journal rows, the answers, COMMIT. */
  private void applyAndCommit(List<WriteCommand<?>> batch, boolean parallelSigning, Object[] results,
      Throwable[] failures) throws SQLException {
    Arrays.fill(results, null);
    Arrays.fill(failures, null);
    boolean deferred = context.signInParallel(parallelSigning);
    Answer<?>[] answers = new Answer<?>[batch.size()];
    execute("BEGIN IMMEDIATE");
    for (int i = 0; i < batch.size(); i++) {
      ChainState before = context.state.copy();
      int mark = context.pendingMark();
      execute("SAVEPOINT cmd");
      try {
        answers[i] = batch.get(i).apply(context);
        execute("RELEASE cmd");
      } catch (RuntimeException e) {
        execute("ROLLBACK TO cmd");
        execute("RELEASE cmd");
        context.state.restore(before);
        context.dropPendingFrom(mark);
        failures[i] = refusal(e);
      }
    }
    List<JournalEntry> signed;
    try {
      signed = context.signPending();
    } catch (RuntimeException e) {
      if (deferred) {
        throw new DeferredSigningFailed(e);
      }
      throw e;
    }
    context.writePending(signed);
    for (int i = 0; i < batch.size(); i++) {
      if (failures[i] == null) {
        results[i] = answers[i].get();
      }
    }
    execute("COMMIT");
  }

  /** Runs a transaction-control statement through the statement cache (prepared once, not per command). */
  private void execute(String sql) throws SQLException {
    try (PreparedStatement ps = context.connection.prepareStatement(sql)) {
      ps.execute();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(WriteCommand<T> command, Object result, Throwable failure) {
    if (failure != null) {
      command.future.completeExceptionally(failure);
    } else {
      command.future.complete((T) result);
    }
  }

  private static Throwable refusal(RuntimeException e) {
    if (e instanceof FiscalException) {
      return e;
    }
    if (io.fiscald.store.StorageFull.causedBy(e)) {
      return storageFull(e);
    }
    log.error("fiscal event failed unexpectedly", e);
    return new FiscalException(ErrorCode.INTERNAL, "internal error: " + e.getMessage(), Map.of(), e);
  }

  /** The disk is full: nothing was recorded, and the next commit works again once there is space. */
  static FiscalException storageFull(Throwable e) {
    return new FiscalException(ErrorCode.STORAGE_FULL, "the disk holding the journal is full; nothing was"
        + " recorded. Free space on it and retry (no restart needed)", Map.of(), e);
  }

  private void rollbackQuietly() {
    try (Statement st = context.connection.createStatement()) {
      st.execute("ROLLBACK"); // (not cached: runs rarely, and must work whatever state the cache is in)
    } catch (SQLException ignored) {
      // no transaction open, or the connection is gone: either way nothing was committed
    }
  }

  /** Stops accepting, lets queued commands commit, and waits for the writer to finish. */
  @Override
  public void close() {
    accepting = false;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    statements.close();
    if (signers != null) {
      signers.shutdown();
    }
    // a command that slipped in after the writer's last look was never applied: say so
    FiscalException closed = new FiscalException(ErrorCode.SHUTTING_DOWN, "fiscald is shutting down; retry in a moment");
    for (WriteCommand<?> left; (left = queue.poll()) != null; ) {
      left.future.completeExceptionally(closed);
    }
  }

  /** A deferred signature failed; the batch is run again signing inline. */
  private static final class DeferredSigningFailed extends RuntimeException {
    DeferredSigningFailed(RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** Daemon threads named for thread dumps; they hold no state between signatures. */
  private static final class SignerThreads implements ThreadFactory {
    private final AtomicInteger next = new AtomicInteger(1);

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "fiscal-signer-" + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    }
  }
}
