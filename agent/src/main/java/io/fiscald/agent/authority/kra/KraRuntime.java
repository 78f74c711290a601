package io.fiscald.agent.authority.kra;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.client.HttpEtimsClient;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The KRA side of an open {@link Agent}: its eTIMS client, the drainer on its own state connection and
 * a single sync thread, code-list refreshes, and the printed receipt with the SCU block. An OSCU receipt
 * is answered once journalled; {@link #issue} also waits up to the configured time for its signature.
 */
public final class KraRuntime implements AutoCloseable {
  private final Agent agent;
  private final KraConfig config;
  private final Connection state;
  /** Reads for callers (waits, renders) while the worker thread uses {@link #state}. */
  private final Connection reader;
  private final HttpEtimsClient client;
  private final KraSync sync;
  private final Clock clock;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kra-sync");
    t.setDaemon(true);
    return t;
  });

  private KraRuntime(Agent agent, KraConfig config, Connection state, HttpEtimsClient client, Clock clock) {
    this.agent = agent;
    this.config = config;
    this.state = state;
    this.reader = agent.newStateConnection();
    this.client = client;
    this.clock = clock;
    this.sync = new KraSync(state, agent.secrets(), client, config, clock);
  }

  /** Attaches to an agent whose device is a registered KRA device. */
  public static KraRuntime attach(Agent agent, Clock clock) {
    if (!KraProfile.NAME.equals(agent.device().authority())) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "device " + agent.device().deviceId() + " uses authority "
          + agent.device().authority() + ", not kra");
    }
    Connection state = agent.newStateConnection();
    try {
      KraConfig config = KraState.requireConfig(state);
      HttpEtimsClient client = KraClients.create(config, state, agent.secrets(), agent.config().testMode(), clock);
      return new KraRuntime(agent, config, state, client, clock);
    } catch (RuntimeException e) {
      closeQuietly(state);
      throw e;
    }
  }

  public KraConfig config() {
    return config;
  }

  public HttpEtimsClient client() {
    return client;
  }

  /** Sends everything pending now, in order (the technician's {@code fiscalctl sync}). */
  public synchronized KraSync.Result sync() {
    return runOnWorker(() -> sync.drain(Integer.MAX_VALUE, true));
  }

  /** Pulls code lists, classifications, notices and branches; applies new rates to the profile. */
  public synchronized KraCodes.Result refreshCodes() {
    KraCodes.Result result = runOnWorker(() -> KraCodes.refresh(state, client, clock));
    if (agent.core().profile() instanceof KraProfile profile) {
      profile.useRates(KraState.rates(state, config));
    }
    return result;
  }

  /**
   * Issues a receipt (answered once journalled), nudges the drain and waits up to the configured
   * {@code signatureWaitMillis} for eTIMS to sign it ({@link KraSignatureWait}, as the API does); the
   * signature is empty if it comes later, and the sync goes on in the background.
   */
  public Signed issue(ReceiptRequest request) {
    IssuedReceipt issued = agent.core().issue(request);
    worker.submit(() -> sync.drain(Integer.MAX_VALUE, false));
    KraFiscalSignature state;
    synchronized (reader) {
      long id = Receipts.findByNumber(reader, issued.receipt().receiptNumber()).orElseThrow().id();
      state = KraSignatureWait.await(reader, id, Duration.ofMillis(config.signatureWaitMillis()));
    }
    return new Signed(issued, Optional.ofNullable(state.signature()), state);
  }

  /** A journalled receipt and, once eTIMS accepted it, the control unit's signature. */
  public record Signed(IssuedReceipt issued, Optional<ScuSignature> signature, KraFiscalSignature state) {}

  /** The signature eTIMS gave a receipt, once accepted. */
  public Optional<ScuSignature> signature(String receiptNumber) {
    return outboxOf(receiptNumber).filter(m -> "SENT".equals(m.status()) && m.response() != null)
        .map(m -> ScuSignature.fromStored(CanonicalJson.read(m.response())));
  }

  /** The sync state of a receipt: PENDING, SENT or REJECTED with its error. */
  public Optional<OutboxMessage> outboxOf(String receiptNumber) {
    synchronized (reader) {
      Optional<ReceiptRecord> row = Receipts.findByNumber(reader, receiptNumber);
      return row.flatMap(r -> Outbox.latestForReceipt(reader, r.id()));
    }
  }

  /** The printed receipt (sheet §11): the SCU block when signed, else the provisional slip. */
  public String render(String receiptNumber, boolean copy, int width) {
    synchronized (reader) {
      ReceiptRecord row = Receipts.findByNumber(reader, receiptNumber).orElseThrow(() -> new FiscalException(
          ErrorCode.RECEIPT_NOT_FOUND, "no receipt " + receiptNumber, Map.of("receiptNumber", receiptNumber)));
      FiscalReceipt r = CanonicalJson.mapper().convertValue(CanonicalJson.read(row.body()), FiscalReceipt.class);
      KraPrint print = KraPrint.of(reader, config, r, KraFiscalSignature.of(reader, row.id()), copy);
      return KraReceiptText.render(r, agent.settings(), print, width);
    }
  }

  private <T> T runOnWorker(java.util.concurrent.Callable<T> work) {
    try {
      return worker.submit(work).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FiscalException(ErrorCode.INTERNAL, "interrupted while talking to eTIMS", Map.of(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof FiscalException fe) {
        throw fe;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new FiscalException(ErrorCode.INTERNAL, "eTIMS work failed: " + e.getCause(), Map.of(), e.getCause());
    }
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(Duration.ofSeconds(config.callTimeoutSeconds() + 15).toMillis(),
          TimeUnit.MILLISECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
    client.close();
    closeQuietly(state);
    closeQuietly(reader);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to protect
    }
  }
}
