package io.fiscald.agent.receipt;

/**
 * What kind of document the POS asks for besides its type: a real sale, or a document that is not one.
 * Which modes a device takes depends on its authority (KRA eTIMS: all three; ZIMRA and local: NORMAL only).
 * A copy is not a mode: it is the reprint of an issued receipt.
 */
public enum ReceiptMode {
  /** A fiscal receipt. */
  NORMAL,
  /** Cashier training: journalled and printed watermarked, never a sale (eTIMS label TS / TC). */
  TRAINING,
  /** A quotation before the sale: journalled and printed watermarked, never a sale (eTIMS label PS). */
  PROFORMA
}
