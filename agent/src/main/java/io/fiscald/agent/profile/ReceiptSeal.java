package io.fiscald.agent.profile;

import java.util.HexFormat;

/** What the journal gave a receipt: its position, chain hash and device signature. */
public record ReceiptSeal(long journalSeq, byte[] hash, byte[] signature) {
  public ReceiptSeal {
    hash = hash.clone();
    signature = signature.clone();
  }

  public String hashHex() {
    return HexFormat.of().formatHex(hash);
  }

  /**
   * A short code a buyer can read out or type: the first 16 hex digits of the chain hash in groups
   * of four, e.g. {@code 3F2A-91C0-77DE-0B15}.
   */
  public String verificationCode() {
    String hex = hashHex().substring(0, 16).toUpperCase(java.util.Locale.ROOT);
    return hex.substring(0, 4) + "-" + hex.substring(4, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12);
  }
}
