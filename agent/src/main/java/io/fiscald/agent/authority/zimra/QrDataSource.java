package io.fiscald.agent.authority.zimra;

/**
 * What the MD5 of {@code receiptQrData} is taken over: the spec's wording ("MD5 hash from
 * ReceiptDeviceSignature hexadecimal format value") and the community's implementations disagree
 * (sheet §12 [conflict]).
 */
public enum QrDataSource {
  /** MD5 over the raw signature bytes (Base64-decoded {@code receiptDeviceSignature.signature}); recommended. */
  RAW_SIGNATURE,
  /** MD5 over the upper-case hexadecimal text of the signature bytes. */
  SIGNATURE_HEX_TEXT
}
