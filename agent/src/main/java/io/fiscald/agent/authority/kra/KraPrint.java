package io.fiscald.agent.authority.kra;

/**
 * What the printed eTIMS receipt needs besides the receipt and the shop (sheet §11): the seller's PIN and
 * branch, the label, the control unit's answer (null while pending), the original's CU number for a
 * credit note, and the device's printing settings.
 *
 * @param scu null while the control unit has not signed: a provisional slip, watermarked
 * @param originalCuInvoiceNo credit notes: the CU INVOICE NO. of the original sale (not our number)
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
    String verificationBase) {

  /** The same receipt reprinted: CS for NS, CC for NC (sheet §7), no second KRA call. */
  public KraPrint asCopy() {
    return new KraPrint(pin, bhfId, label.copy(), scu, originalCuInvoiceNo, rates, cuInvoiceNoFormat,
        printUsedBandsOnly, verificationBase);
  }

  /**
   * The QR code's content (sheet §12): the verification URL with {@code Data = PIN(11) ‖ bhfId(2) ‖ rcptSign(16)},
   * no separators.
   */
  public String qrUrl() {
    return verificationBase + "/common/link/etims/receipt/indexEtimsReceiptData?Data=" + pin + bhfId + scu.rcptSign();
  }
}
