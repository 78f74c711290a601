package io.fiscald.agent.authority.kra;

import io.fiscald.agent.api.ApiHooks;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The API side of sheet §15.2 (OSCU signs only online): {@code POST /v1/receipts} answers once the receipt is
 * committed and, within the device's {@code signatureWaitMillis}, carries the SCU data as
 * {@code fiscalSignature}; otherwise {@code fiscalSignature.state} is PENDING and the POS hears of it by the
 * {@code receipt.synced} webhook or {@code GET /v1/receipts/{number}}, which shows the same object.
 */
public final class KraApiSignatures implements ApiHooks.ReceiptSignatures {
  /** The answer's field. */
  public static final String FIELD = "fiscalSignature";

  private final BooleanSupplier online;

  /** @param online whether the sync worker is reaching eTIMS now; while it backs off, waiting is pointless */
  public KraApiSignatures(BooleanSupplier online) {
    this.online = online;
  }

  @Override
  public Map<String, Object> atCommit(IssuedReceipt issued) {
    return Map.of(FIELD, KraFiscalSignature.atCommit(KraLabel.ofReceipt(issued.receipt())).toView(null));
  }

  @Override
  public Map<String, Object> afterCommit(Connection c, IssuedReceipt issued) {
    KraConfig config = KraState.requireConfig(c);
    long id = Receipts.findByNumber(c, issued.receipt().receiptNumber()).orElseThrow().id();
    Duration wait = online.getAsBoolean() ? Duration.ofMillis(config.signatureWaitMillis()) : Duration.ZERO;
    return Map.of(FIELD, KraSignatureWait.await(c, id, wait).toView(config));
  }

  @Override
  public Map<String, Object> current(Connection c, ReceiptRecord receipt) {
    return Map.of(FIELD, KraFiscalSignature.of(c, receipt.id()).toView(KraState.requireConfig(c)));
  }
}
