package io.fiscald.agent.core.internal;

import java.util.concurrent.CompletableFuture;

/**
 * One state change the single writer applies inside a group commit. Its future completes only after
 * the transaction holding it has committed (or with the reason it was refused).
 */
abstract class WriteCommand<T> {
  final CompletableFuture<T> future = new CompletableFuture<>();

  /**
   * Applies the change; throws FiscalException to refuse it (only this command is rolled back). The
   * answer is read after the batch's journal signatures are made, before COMMIT.
   */
  abstract Answer<T> apply(WriteContext context);
}
