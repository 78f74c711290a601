package io.fiscald.agent.core;

import io.fiscald.agent.core.internal.GroupCommitWriter;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.profile.AuthorityProfile;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.tax.TaxCalculator;
import io.fiscald.agent.tax.TaxedReceipt;
import io.fiscald.hal.sign.Signer;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.JournalEntry;
import java.sql.Connection;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The fiscal core: validates and taxes a request on the caller's thread, then hands it to the single
 * writer, which numbers, chains, signs and commits it together with others waiting (group commit).
 * A returned receipt is on disk. Thread-safe; many POS requests may call it at once.
 */
public final class FiscalCore implements AutoCloseable {
  private final AuthorityProfile profile;
  private final GroupCommitWriter writer;

  private FiscalCore(AuthorityProfile profile, GroupCommitWriter writer) {
    this.profile = profile;
    this.writer = writer;
  }

  /** Starts the core on a writable connection that it owns from now on. */
  public static FiscalCore start(Connection connection, DeviceRecord device, DeviceSettings settings,
      AuthorityProfile profile, Signer signer, Clock clock) {
    return new FiscalCore(profile, GroupCommitWriter.start(connection, device, settings, profile, signer, clock));
  }

  /** Taxes the request now (refusing bad input at once) and completes after the receipt is committed. */
  public CompletableFuture<IssuedReceipt> submit(ReceiptRequest request) {
    TaxedReceipt taxed;
    try {
      checkMode(request);
      taxed = TaxCalculator.compute(request, profile.taxTable(), profile.taxRounding());
    } catch (FiscalException e) {
      return CompletableFuture.failedFuture(e);
    }
    return writer.issue(request, taxed);
  }

  /**
   * As {@link #submit(ReceiptRequest)}, and stores the API's answer under {@code key} in the receipt's
   * own transaction (null: no key).
   */
  public CompletableFuture<IssuedReceipt> submit(ReceiptRequest request, IdempotencyKey<IssuedReceipt> key) {
    TaxedReceipt taxed;
    try {
      checkMode(request);
      taxed = TaxCalculator.compute(request, profile.taxTable(), profile.taxRounding());
    } catch (FiscalException e) {
      return CompletableFuture.failedFuture(e);
    }
    return writer.issue(request, taxed, key);
  }

  /** A training or proforma request on a profile that has no such documents is refused before anything else. */
  private void checkMode(ReceiptRequest request) {
    if (!profile.receiptModes().contains(request.mode())) {
      throw new FiscalException(ErrorCode.RECEIPT_MODE_NOT_SUPPORTED, "the " + profile.name() + " profile has no "
          + request.mode() + " receipts; leave mode out (NORMAL) or use one of " + profile.receiptModes(),
          Map.of("field", "mode", "mode", request.mode().name(), "authority", profile.name(),
              "allowed", profile.receiptModes().stream().map(Enum::name).toList()));
    }
  }

  /** Opens a day, storing the API's answer under {@code key} in the same transaction. */
  public FiscalDayRecord openDay(IdempotencyKey<FiscalDayRecord> key) {
    return await(writer.openDay(key));
  }

  /** Closes the day, storing the API's answer under {@code key} in the same transaction. */
  public DayReport closeDay(IdempotencyKey<DayReport> key) {
    return await(writer.closeDay(key));
  }

  /** Issues one receipt and waits for its commit. */
  public IssuedReceipt issue(ReceiptRequest request) {
    return await(submit(request));
  }

  public FiscalDayRecord openDay() {
    return await(writer.openDay());
  }

  /** Closes the open day and returns its Z report, which is journalled with the close. */
  public DayReport closeDay() {
    return await(writer.closeDay());
  }

  public DayReport xReport() {
    return await(writer.xReport());
  }

  /**
   * Journals a fiscal event other than a receipt or a day change (registration, certificate change,
   * environment switch, configuration change); returns the committed entry.
   */
  public JournalEntry recordEvent(String kind, Map<String, ?> payload) {
    return await(writer.recordEvent(kind, payload));
  }

  public AuthorityProfile profile() {
    return profile;
  }

  /** Committed transactions and the events they held, to see group commit at work. */
  public long commits() {
    return writer.commits();
  }

  public long committedEvents() {
    return writer.committedCommands();
  }

  /**
   * Threads that sign journal entries beside the writer: one per core (none on one core), or the
   * {@code fiscald.signingThreads} system property (0 signs on the writer thread).
   */
  public static int signingThreads() {
    return GroupCommitWriter.SIGNING_THREADS;
  }

  /** Waits for a write and rethrows its refusal as the {@link FiscalException} it is. */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FiscalException(ErrorCode.INTERNAL, "interrupted while waiting for the journal", Map.of(), e);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof FiscalException fe) {
        throw fe;
      }
      throw new FiscalException(ErrorCode.INTERNAL, "internal error: " + cause, Map.of(), cause);
    }
  }

  /** Stops taking events, commits what is queued, and stops the writer; the caller closes the connection. */
  @Override
  public void close() {
    writer.close();
  }
}
