package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.agent.authority.kra.client.EtimsCallException;
import io.fiscald.agent.authority.kra.client.EtimsClient;
import io.fiscald.agent.authority.kra.client.EtimsEndpoint;
import io.fiscald.agent.authority.kra.client.EtimsResponse;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Counters;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import io.fiscald.store.StoreException;
import io.fiscald.store.secret.SecretStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the branch's outbox to eTIMS strictly in order, one call at a time (sheet §13). The
 * {@code invcNo} is allocated at transmit time as the last accepted number + 1, written down as the
 * in-flight sale before the call, and the counter advances only when eTIMS accepts. A timeout keeps the
 * number and is reconciled with {@code selectInvoiceDetails} before anything is resent; "expected N"
 * rejections are healed; other rejections release the number, are stored on the outbox row and raise an
 * alert. A crash at any point loses nothing and never skips or reuses a number.
 *
 * <p>Not thread-safe: one drainer per data directory (the daemon's worker or {@code fiscalctl sync}).
 */
public final class KraSync {
  private static final Logger log = LoggerFactory.getLogger(KraSync.class);
  /** Bounded so a confused counter cannot loop: each heal moves to the number eTIMS named. */
  private static final int MAX_HEALS = 5;
  /** How far back a heal looks for our own sale among numbers eTIMS says are taken. */
  private static final int MAX_RECONCILE_SCAN = 20;

  private final Connection c;
  private final SecretStore secrets;
  private final EtimsClient client;
  private final KraConfig config;
  private final Clock clock;
  private final KraStock stock;

  /** What one drain did. */
  public record Result(int sent, int rejected, int pending, boolean blocked, String lastError) {}

  /** What happened to the head of the queue. */
  enum Step { SENT, REJECTED, BLOCKED, EMPTY }

  public KraSync(Connection stateConnection, SecretStore secrets, EtimsClient client, KraConfig config, Clock clock) {
    this.c = stateConnection;
    this.secrets = secrets;
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.stock = new KraStock(stateConnection, client, config, clock);
  }

  /**
   * Sends pending receipts in order until the queue is empty, eTIMS is unavailable, or {@code max} were
   * handled. A message that is waiting out its back-off stops the drain unless {@code ignoreBackoff}.
   */
  public Result drain(int max, boolean ignoreBackoff) {
    int sent = 0;
    int rejected = 0;
    String lastError = null;
    boolean blocked = false;
    for (int i = 0; i < max; i++) {
      Optional<OutboxMessage> head = Outbox.nextPending(c, KraProfile.NAME);
      if (head.isEmpty()) {
        if (config.trackStock()) {
          stock.flush(); // stock moves left over from an earlier run (best effort: they stay queued)
        }
        break;
      }
      OutboxMessage m = head.get();
      if (!ignoreBackoff && m.nextAttemptAt() != null && clock.instant().isBefore(Instant.parse(m.nextAttemptAt()))) {
        blocked = true;
        lastError = m.lastError();
        break;
      }
      Step step = send(m);
      if (step == Step.SENT) {
        sent++;
      } else if (step == Step.REJECTED) {
        rejected++;
        lastError = Outbox.get(c, m.id()).map(OutboxMessage::lastError).orElse(null);
      } else {
        blocked = true;
        lastError = Outbox.get(c, m.id()).map(OutboxMessage::lastError).orElse(null);
        break;
      }
    }
    int pending = Outbox.pending(c, KraProfile.NAME, Integer.MAX_VALUE).size();
    return new Result(sent, rejected, pending, blocked, lastError);
  }

  /** Handles one message: reconcile an in-flight number, register items, allocate, send, settle. */
  Step send(OutboxMessage m) {
    FiscalReceipt receipt = CanonicalJson.mapper().convertValue(CanonicalJson.read(m.payload()), FiscalReceipt.class);
    Optional<JsonNode> inflight = KraState.document(c, KraState.INFLIGHT).filter(n -> n.has("outboxId"));
    if (inflight.isPresent() && inflight.get().get("outboxId").asLong() != m.id()) {
      // A leftover of a message that is no longer pending (settled in the same transaction that should have cleared it).
      clearInflight();
      inflight = Optional.empty();
    }
    long invcNo;
    ScuSignature reconciled = null;
    if (inflight.isPresent()) {
      invcNo = inflight.get().get("invcNo").asLong();
      Reconciled r = reconcile(invcNo, receipt);
      reconciled = r.signature;
      if (r.error != null && reconciled == null) {
        return transientFailure(m, r.error, true);
      }
      // 001: not registered, so the same number goes again (sheet §13).
    } else {
      invcNo = -1;
    }

    SaleContext ctx;
    try {
      ctx = context(m, receipt, invcNo > 0 ? invcNo : lastAccepted() + 1);
    } catch (Blocked b) {
      return transientFailure(m, b.getMessage(), inflight.isPresent());
    } catch (FiscalException e) {
      if (reconciled != null) {
        // eTIMS has the sale: settle it; its stock out cannot be built (logged as an alert).
        log.warn("ALERT the stock out of {} cannot be queued: {}", receipt.receiptNumber(), e.getMessage());
        accept(m, receipt, invcNo, reconciled, "reconciled after an unanswered call", null, null);
        return Step.SENT;
      }
      return reject(m, receipt, e.getMessage(), null, inflight.isPresent());
    }
    if (reconciled != null) {
      KraSale sale = null;
      try {
        sale = SalePayloadBuilder.build(receipt, ctx);
      } catch (FiscalException e) {
        log.warn("ALERT the stock out of {} cannot be queued: {}", receipt.receiptNumber(), e.getMessage());
      }
      accept(m, receipt, invcNo, reconciled, "reconciled after an unanswered call", ctx, sale);
      return Step.SENT;
    }

    for (int heal = 0; heal <= MAX_HEALS; heal++) {
      KraSale sale;
      try {
        sale = SalePayloadBuilder.build(receipt, ctx);
      } catch (FiscalException e) {
        return reject(m, receipt, e.getMessage(), null, true);
      }
      if (config.trackStock()) {
        // Sheet §14: goods need stock before they are sold.
        KraSale built = sale;
        SaleContext items = ctx;
        inTransaction(() -> stock.openFor(items.items(), built.lines()));
        if (!stock.flush()) {
          return transientFailure(m, "the opening stock of an item could not be sent to eTIMS", inflight.isPresent());
        }
      }
      writeInflight(m.id(), ctx.invcNo());
      EtimsResponse response;
      try {
        response = client.call(EtimsEndpoint.SAVE_SALE, sale.payload());
      } catch (EtimsCallException e) {
        // A timeout may have been registered: keep the number for reconciliation. Unreachable never left.
        return transientFailure(m, e.getMessage(), e.kind() == EtimsCallException.Kind.TIMEOUT);
      }
      if (response.succeeded()) {
        long number = ctx.invcNo();
        ScuSignature signature = ScuSignature.read(response.data(), number, sdcId(), mrcNo())
            .orElseGet(() -> new ScuSignature(number, 0, 0, null, null, null, sdcId(), mrcNo()));
        accept(m, receipt, number, signature, null, ctx, sale);
        return Step.SENT;
      }
      if (response.duplicate()) {
        // 994 on a replay: possibly registered already; confirm before settling (sheet §13).
        for (long k = ctx.invcNo(); k >= Math.max(1, ctx.invcNo() - MAX_RECONCILE_SCAN); k--) {
          Reconciled r = reconcile(k, receipt);
          if (r.signature != null && r.ours) {
            accept(m, receipt, k, r.signature, "confirmed as invoice " + k + " after 994", ctx, sale);
            return Step.SENT;
          }
        }
        return transientFailure(m, "eTIMS answered " + response.describe() + " and the invoice is not registered",
            true);
      }
      OptionalLong expected = SequenceRejection.expected(response.resultMsg());
      if (expected.isPresent()) {
        long next = expected.getAsLong();
        log.warn("eTIMS expected invoice number {} where {} was sent for {}; healing the counter", next,
            ctx.invcNo(), receipt.receiptNumber());
        if (next > ctx.invcNo()) {
          // The numbers in between are taken: ours may be one of them (a lost answer before a restore).
          for (long k = Math.max(ctx.invcNo(), next - MAX_RECONCILE_SCAN); k < next; k++) {
            Reconciled r = reconcile(k, receipt);
            if (r.signature != null && r.ours) {
              accept(m, receipt, k, r.signature, "found registered as " + k + " while healing", ctx, sale);
              return Step.SENT;
            }
          }
        }
        if (next == ctx.invcNo() || next < 1) {
          return transientFailure(m, "eTIMS refused invoice number " + ctx.invcNo() + " but expects the same: "
              + response.describe(), false);
        }
        inTransaction(() -> {
          Counters.set(c, KraState.invoiceCounter(config.pin(), config.bhfId()), next - 1);
          clearInflight();
        });
        ctx = withInvcNo(ctx, next);
        continue;
      }
      if (response.transientFailure()) {
        return transientFailure(m, "eTIMS answered " + response.describe(), response.httpStatus() >= 500);
      }
      return reject(m, receipt, "eTIMS refused " + receipt.receiptNumber() + ": " + response.describe(),
          KraJson.write(Map.of("resultCd", response.resultCd(), "resultMsg", String.valueOf(response.resultMsg()),
              "invcNo", ctx.invcNo())), true);
    }
    return transientFailure(m, "the invoice number could not be agreed with eTIMS after " + MAX_HEALS + " heals", false);
  }

  private static SaleContext withInvcNo(SaleContext ctx, long invcNo) {
    return new SaleContext(ctx.pin(), ctx.bhfId(), invcNo, ctx.orgInvcNo(), ctx.label(), ctx.rates(), ctx.priceMode(),
        ctx.pmtTyCd(), ctx.items(), ctx.rfdRsnCd(), ctx.tradeName(), ctx.address(), ctx.registrantId());
  }

  /** Everything the payload needs; registers unknown items with eTIMS first (sheet §14). */
  private SaleContext context(OutboxMessage m, FiscalReceipt receipt, long invcNo) {
    boolean credit = receipt.type() == ReceiptType.CREDIT_NOTE;
    long orgInvcNo = 0;
    if (credit) {
      orgInvcNo = checkCreditNote(m, receipt);
    }
    KraCodeLists codes = KraState.codes(c);
    KraRates rates = KraState.rates(c, config);
    List<KraCodeLists.Code> class07 = codes.codes(KraCodeLists.PAYMENT_TYPE);
    KraPaymentCodes payments = KraPaymentCodes.from(class07.isEmpty() ? KraPaymentCodes.specTable() : class07,
        config.paymentCodes());
    List<KraItem> items = new ArrayList<>();
    String now = now();
    for (FiscalReceipt.Line line : receipt.lines()) {
      KraItem item = inTransaction(() -> KraItems.forLine(c, config, line, now));
      if (!item.registered()) {
        item = register(item, new BigDecimal(line.unitPrice()));
      }
      items.add(item);
    }
    String reason = credit ? KraCreditNotes.reasonCode(receipt.reason(), codes.codes(KraCodeLists.REFUND_REASON),
        config.defaultRefundReason()) : null;
    String trade = KraState.document(c, KraState.DEVICE).map(d -> d.path("taxprNm").asText(null)).orElse(null);
    String address = KraState.document(c, KraState.DEVICE).map(d -> d.path("locDesc").asText(null)).orElse(null);
    return new SaleContext(config.pin(), config.bhfId(), invcNo, orgInvcNo, KraLabel.of(SaleMode.NORMAL, credit),
        rates, config.prices(), payments.pmtTyCd(receipt.payments()), items, reason, trade, address,
        config.registrantId());
  }

  private KraItem register(KraItem item, BigDecimal price) {
    EtimsResponse r;
    try {
      r = client.call(EtimsEndpoint.SAVE_ITEM, KraItems.saveItemBody(item, price, config.registrantId()));
    } catch (EtimsCallException e) {
      throw new Blocked("item " + item.itemCd() + " could not be registered: " + e.getMessage());
    }
    if (r.succeeded() || r.duplicate()) {
      KraItem done = item.asRegistered();
      inTransaction(() -> KraItems.save(c, done, now()));
      return done;
    }
    if (r.transientFailure()) {
      throw new Blocked("eTIMS answered " + r.describe() + " to saveItem " + item.itemCd());
    }
    throw new FiscalException(io.fiscald.agent.core.ErrorCode.AUTHORITY_REFUSED, "eTIMS refused item "
        + item.itemCd() + " (" + item.itemNm() + "): " + r.describe(), Map.of("resultCd", r.resultCd()));
  }

  /** The original's eTIMS number; refuses a note whose original eTIMS never accepted or that breaks §15.1. */
  private long checkCreditNote(OutboxMessage m, FiscalReceipt note) {
    ReceiptRecord originalRow = Receipts.findByNumber(c, note.originalNumber()).orElseThrow(() ->
        new FiscalException(io.fiscald.agent.core.ErrorCode.ORIGINAL_NOT_FOUND, "original " + note.originalNumber()
            + " of credit note " + note.receiptNumber() + " is not on this device"));
    OutboxMessage originalMessage = Outbox.latestForReceipt(c, originalRow.id()).orElseThrow(() ->
        new FiscalException(io.fiscald.agent.core.ErrorCode.ORIGINAL_NOT_FOUND, "original " + note.originalNumber()
            + " was never queued for eTIMS"));
    if (!"SENT".equals(originalMessage.status())) {
      if ("PENDING".equals(originalMessage.status())) {
        throw new Blocked("original " + note.originalNumber() + " is not yet accepted by eTIMS");
      }
      throw new FiscalException(io.fiscald.agent.core.ErrorCode.ORIGINAL_NOT_FOUND, "original "
          + note.originalNumber() + " was refused by eTIMS, so credit note " + note.receiptNumber()
          + " cannot be sent; the original must be accepted first (sheet §15.1)");
    }
    FiscalReceipt original = CanonicalJson.mapper().convertValue(CanonicalJson.read(originalRow.body()),
        FiscalReceipt.class);
    KraCreditNotes.check(note, original, earlierCredits(note, m));
    return CanonicalJson.read(originalMessage.response()).path("invcNo").asLong();
  }

  /** Credit notes against the same original issued before this one and not refused by eTIMS. */
  private List<FiscalReceipt> earlierCredits(FiscalReceipt note, OutboxMessage m) {
    List<FiscalReceipt> out = new ArrayList<>();
    String sql = "SELECT r.body FROM receipts r JOIN outbox o ON o.receipt_id = r.id WHERE r.original_number = ?"
        + " AND r.type = 'CREDIT_NOTE' AND o.id < ? AND o.status <> 'REJECTED' ORDER BY o.id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, note.originalNumber());
      ps.setLong(2, m.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(CanonicalJson.mapper().convertValue(CanonicalJson.read(rs.getString(1)), FiscalReceipt.class));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the credit notes of " + note.originalNumber() + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The answer of {@code selectInvoiceDetails}: a signature if registered, an error if unknown, neither for 001. */
  private record Reconciled(ScuSignature signature, boolean ours, String error) {}

  private Reconciled reconcile(long invcNo, FiscalReceipt receipt) {
    EtimsResponse r;
    try {
      r = client.call(EtimsEndpoint.INVOICE_DETAILS, Map.of("invcNo", invcNo));
    } catch (EtimsCallException e) {
      return new Reconciled(null, false, "reconciling invoice " + invcNo + ": " + e.getMessage());
    }
    if (r.noData()) {
      return new Reconciled(null, false, null);
    }
    if (!r.succeeded()) {
      return new Reconciled(null, false, "reconciling invoice " + invcNo + ": eTIMS answered " + r.describe());
    }
    JsonNode sale = r.data().path("salesList").isArray() && r.data().path("salesList").size() > 0
        ? r.data().path("salesList").get(0) : r.data();
    if (sale.isMissingNode() || sale.isNull() || sale.size() == 0) {
      return new Reconciled(null, false, null);
    }
    JsonNode receiptNode = sale.path("receipt").isObject() ? sale.get("receipt") : sale;
    Optional<ScuSignature> signature = ScuSignature.read(receiptNode, invcNo, sdcId(), mrcNo());
    String trd = sale.path("trdInvcNo").asText(null);
    boolean ours = trd == null || trd.equals(receipt.receiptNumber());
    if (trd != null && !ours) {
      // Registered, but as another of our receipts: never settle this one with it.
      return new Reconciled(null, false, "invoice " + invcNo + " is registered for " + trd + ", not "
          + receipt.receiptNumber());
    }
    return new Reconciled(signature.orElseGet(() -> new ScuSignature(invcNo, 0, 0, null, null, null, sdcId(), mrcNo())),
        ours, null);
  }

  /**
   * eTIMS has the sale: the counter advances, the signature is stored, the in-flight note is cleared and (when
   * tracking stock) its stock out / return in is queued, at once; then queued stock moves are sent.
   */
  private void accept(OutboxMessage m, FiscalReceipt receipt, long invcNo, ScuSignature signature, String note,
      SaleContext ctx, KraSale sale) {
    Map<String, Object> stored = new LinkedHashMap<>(signature.toMap());
    stored.put("label", receipt.type() == ReceiptType.CREDIT_NOTE ? KraLabel.NC.name() : KraLabel.NS.name());
    stored.put("cuInvoiceNo", signature.cuInvoiceNo(config.cuInvoiceNoFormat()));
    if (signature.rcptSign() != null) {
      stored.put("qrUrl", KraFiscalSignature.qrUrl(config, signature.rcptSign()));
    }
    if (note != null) {
      stored.put("note", note);
    }
    String sentAt = now();
    inTransaction(() -> {
      String counter = KraState.invoiceCounter(config.pin(), config.bhfId());
      if (Counters.get(c, counter) < invcNo) {
        Counters.set(c, counter, invcNo);
      }
      Outbox.markSent(c, m.id(), KraJson.write(stored), sentAt);
      clearInflight();
      if (config.trackStock() && ctx != null && sale != null) {
        stock.afterSale(ctx.items(), sale.lines(), ctx.label().credit());
      }
    });
    KraSignatureWait.settled();
    log.info("eTIMS accepted {} as invoice {} (CU {}){}", receipt.receiptNumber(), invcNo,
        stored.get("cuInvoiceNo"), note == null ? "" : ", " + note);
    if (config.trackStock()) {
      stock.flush();
    }
  }

  /** A refusal for good: the number is released (the counter did not move), the reason stays on the row. */
  private Step reject(OutboxMessage m, FiscalReceipt receipt, String error, String response, boolean clear) {
    inTransaction(() -> {
      Outbox.markRejected(c, m.id(), error, response);
      if (clear) {
        clearInflight();
      }
    });
    KraSignatureWait.settled();
    // The alert: webhooks and metrics come with the daemon (issue #6); until then the log carries it.
    log.warn("ALERT eTIMS rejected {}: {}", receipt.receiptNumber(), error);
    return Step.REJECTED;
  }

  /** Try again later; {@code keepInflight} when the call may have been registered (reconcile first). */
  private Step transientFailure(OutboxMessage m, String error, boolean keepInflight) {
    long backoff = Math.min(300, 1L << Math.min(8, m.attempts()));
    String next = Timestamps.format(clock.instant().plusSeconds(backoff));
    inTransaction(() -> {
      Outbox.recordAttempt(c, m.id(), error, next);
      if (!keepInflight) {
        clearInflight();
      }
    });
    log.warn("eTIMS unavailable for outbox message {}: {} (retry after {})", m.id(), error, next);
    return Step.BLOCKED;
  }

  private long lastAccepted() {
    return Counters.get(c, KraState.invoiceCounter(config.pin(), config.bhfId()));
  }

  private void writeInflight(long outboxId, long invcNo) {
    ObjectNode doc = KraJson.read("{}").deepCopy();
    ((ObjectNode) doc).put("outboxId", outboxId).put("invcNo", invcNo).put("since", now());
    inTransaction(() -> KraState.putDocument(c, KraState.INFLIGHT, doc, now()));
  }

  private void clearInflight() {
    KraState.putDocument(c, KraState.INFLIGHT, Map.of(), now());
  }

  private String sdcId() {
    return KraState.sdcId(c, secrets).orElse(null);
  }

  private String mrcNo() {
    return KraState.mrcNo(c, secrets).orElse(null);
  }

  private String now() {
    return Timestamps.format(clock.instant());
  }

  private void inTransaction(Runnable work) {
    inTransaction(() -> {
      work.run();
      return null;
    });
  }

  private <T> T inTransaction(java.util.function.Supplier<T> work) {
    try (Statement st = c.createStatement()) {
      boolean auto = c.getAutoCommit();
      if (!auto) {
        return work.get();
      }
      st.execute("BEGIN IMMEDIATE");
      try {
        T result = work.get();
        st.execute("COMMIT");
        return result;
      } catch (RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("KRA sync state could not be written: " + e.getMessage(), e);
    }
  }

  /** eTIMS cannot be reached for something this message needs first; try later, in order. */
  private static final class Blocked extends RuntimeException {
    Blocked(String message) {
      super(message);
    }
  }
}
