package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.print.PrintPlan;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.store.PrintJob;
import io.fiscald.store.PrintJobs;
import java.sql.Connection;
import java.util.Optional;

/**
 * When and what a KRA device prints (sheet §11, §15.2). A receipt's job is held until eTIMS signed it, then
 * the full eTIMS receipt prints (SCU INFORMATION block, QR code). With {@code provisionalSlip} on, a slip
 * titled "PROVISIONAL SLIP - NOT A TAX INVOICE" and watermarked prints at commit, and the receipt follows
 * when signed. A receipt eTIMS refused is never printed as a tax invoice: a slip titled "REFUSED BY KRA - NOT
 * A TAX INVOICE" with eTIMS's reason prints instead, so the cashier knows to issue the sale again. Training
 * and proforma documents (never sent to eTIMS) print at once, watermarked. The decision is re-read from the
 * outbox each time, so a restart keeps held jobs held.
 */
public final class KraPrintPlan implements PrintPlan {
  private final DeviceSettings shop;

  public KraPrintPlan(DeviceSettings shop) {
    this.shop = shop;
  }

  @Override
  public Optional<Planned> plan(Connection c, PrintJob job, FiscalReceipt receipt, ReceiptSeal seal, int columns,
      String note) {
    KraFiscalSignature state = KraFiscalSignature.of(c, job.receiptId());
    KraConfig config = KraState.requireConfig(c);
    boolean followUp = false;
    if (state.state() == KraFiscalSignature.State.PENDING) {
      boolean slipDue = job.copy() == 0 && config.provisionalSlip()
          && !PrintJobs.printedBefore(c, job.receiptId(), job.id(), job.copy());
      if (!slipDue) {
        return Optional.empty(); // held: printed when the signature (or a refusal) arrives
      }
      followUp = true;
    }
    KraPrint print = KraPrint.of(c, config, receipt, state, job.copy() > 0);
    return Optional.of(new Planned(KraReceiptText.document(receipt, shop, print, columns, true, note), followUp));
  }
}
