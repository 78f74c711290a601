package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.store.OutboxMessage;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Sends a run of receipts to FDMS submitReceipt on its own thread, strictly in the order given and one
 * request at a time, so that the caller can verify and commit answer N while request N+1 is on the wire.
 * It stops at the first failure (ZIMRA checklist 10: never skip a receipt): what follows is not sent.
 *
 * <p>It touches no database: the caller settles the answers in order on its own connection. An answer
 * that FDMS committed but the caller never settled (a crash, a stop) leaves its row pending, and the
 * identical resend gets the same answer (FDMS is idempotent on deviceID + receiptGlobalNo + hash, SPEC §4.7).
 */
final class ReceiptSender implements AutoCloseable {
  /** One receipt of the run, as stored in the outbox. */
  record Item(OutboxMessage message, FiscalReceipt receipt) {}

  /**
   * FDMS's answer to one item, its failure, or an unexpected error; {@code item} null marks the end of the
   * run (every item answered, or the sender stopped).
   */
  record Answer(Item item, JsonNode body, FiscalException failure, RuntimeException error) {
    boolean end() {
      return item == null;
    }
  }

  private static final Answer END = new Answer(null, null, null, null);

  /** Holds at most the run's items: the caller bounds the run. */
  private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean stopped;

  ReceiptSender(FdmsClient client, List<Item> items) {
    this.thread = new Thread(() -> send(client, items), "fdms-sender");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void send(FdmsClient client, List<Item> items) {
    try {
      for (Item item : items) {
        if (stopped) {
          return;
        }
        try {
          answers.add(new Answer(item, client.submitReceipt(ZimraReceipts.wire(item.receipt())), null, null));
        } catch (FiscalException e) {
          answers.add(new Answer(item, null, e, null));
          return;
        } catch (RuntimeException e) {
          answers.add(new Answer(item, null, null, e));
          return;
        }
      }
    } finally {
      answers.add(END);
    }
  }

  /** The next answer in order, waiting for it. */
  Answer take() throws InterruptedException {
    return answers.take();
  }

  /** The next answer if it has arrived, else null. */
  Answer poll() {
    return answers.poll();
  }

  /**
   * Sends nothing more and waits for the request in flight to end (bounded by the client's call timeout),
   * so that no request of this run is still on the wire when the next run starts.
   */
  @Override
  public void close() {
    stopped = true;
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
