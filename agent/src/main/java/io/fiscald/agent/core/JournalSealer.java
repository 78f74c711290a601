package io.fiscald.agent.core;

import io.fiscald.hal.sign.Signer;
import io.fiscald.store.ChainHash;
import io.fiscald.store.JournalEntry;

/** Makes the next link of the chain: hash over the canonical encoding, signed by the device key. */
public final class JournalSealer {
  private JournalSealer() {}

  public static JournalEntry seal(byte[] prevHash, long seq, String kind, String createdAt, String payload,
      Signer signer) {
    byte[] hash = ChainHash.compute(prevHash, seq, kind, createdAt, payload);
    return new JournalEntry(seq, kind, createdAt, payload, prevHash, hash, signer.sign(hash));
  }
}
