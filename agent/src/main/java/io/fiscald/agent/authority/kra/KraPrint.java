package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Outbox;
import io.fiscald.store.Receipts;
import java.sql.Connection;

/**
 * What the printed eTIMS receipt needs besides the receipt and the shop (sheet §11): the seller's PIN and
 * branch, the label, the control unit's answer (null while pending), the original's CU number for a
 * credit note, and the device's printing settings.
 *
 * @param scu null while the control unit has not signed: a provisional slip, watermarked
 * @param originalCuInvoiceNo credit notes: the CU INVOICE NO. of the original sale (not our number)
 * @param rejection eTIMS's refusal of the receipt, printed instead of the SCU block on a slip that is not a
 *     tax invoice; null otherwise
 */
public record KraPrint(
    String pin,
    String bhfId,
    KraLabel label,
    ScuSignature scu,
    String originalCuInvoiceNo,
    KraRates rates,
    String cuInvoiceNoFormat,
    boolean printUsedBandsOnly,
    String verificationBase,
    String rejection) {

  public KraPrint(String pin, String bhfId, KraLabel label, ScuSignature scu, String originalCuInvoiceNo,
      KraRates rates, String cuInvoiceNoFormat, boolean printUsedBandsOnly, String verificationBase) {
    this(pin, bhfId, label, scu, originalCuInvoiceNo, rates, cuInvoiceNoFormat, printUsedBandsOnly,
        verificationBase, null);
  }

  /**
   * How receipt {@code r} prints now, given where it stands with eTIMS: signed (SCU block), pending
   * (provisional slip), refused (a slip saying so) or never sent (training / proforma).
   *
   * @param copy a reprint: CS for NS, CC for NC
   */
  public static KraPrint of(Connection c, KraConfig config, FiscalReceipt r, KraFiscalSignature state, boolean copy) {
    boolean credit = r.type() == ReceiptType.CREDIT_NOTE;
    String originalCu = null;
    if (credit && r.originalNumber() != null) {
      originalCu = Receipts.findByNumber(c, r.originalNumber()).flatMap(o -> Outbox.latestForReceipt(c, o.id()))
          .filter(m -> "SENT".equals(m.status()) && m.response() != null)
          .map(m -> CanonicalJson.read(m.response()).path("cuInvoiceNo").asText(null)).orElse(null);
    }
    KraLabel label = KraLabel.ofReceipt(r);
    String rejection = state.state() == KraFiscalSignature.State.REJECTED
        ? (state.error() == null ? "refused by eTIMS" : state.error()) : null;
    return new KraPrint(config.pin(), config.bhfId(), copy ? label.copy() : label, state.signature(), originalCu,
        KraState.rates(c, config), config.cuInvoiceNoFormat(), config.printUsedBandsOnly(), config.verificationBase(),
        rejection);
  }

  /** The same receipt reprinted: CS for NS, CC for NC (sheet §7), no second KRA call. */
  public KraPrint asCopy() {
    return new KraPrint(pin, bhfId, label.copy(), scu, originalCuInvoiceNo, rates, cuInvoiceNoFormat,
        printUsedBandsOnly, verificationBase, rejection);
  }

  /**
   * The QR code's content (sheet §12): the verification URL with {@code Data = PIN(11) ‖ bhfId(2) ‖ rcptSign(16)},
   * no separators.
   */
  public String qrUrl() {
    return verificationBase + "/common/link/etims/receipt/indexEtimsReceiptData?Data=" + pin + bhfId + scu.rcptSign();
  }
}
