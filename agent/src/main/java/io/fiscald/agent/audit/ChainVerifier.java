package io.fiscald.agent.audit;

import io.fiscald.agent.core.JournalKind;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.ChainHash;
import io.fiscald.store.JournalEntry;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Checks the links of a journal in order — numbering, chaining, hash and signature — with nothing
 * but the entries and the device's public key. Shared by the database audit and the verifier of
 * exported journals, so an auditor's tool and the agent agree on what a valid chain is.
 */
public final class ChainVerifier {
  private final PublicKey publicKey;
  private PublicKeys.Verifier verifier; // made on first use: one initialised Signature for the whole chain
  private SignatureCheck fastSignatures; // null: the verifier above
  private long expectedSeq;
  private byte[] prevHash;

  public ChainVerifier(PublicKey publicKey) {
    this(publicKey, 1, ChainHash.genesis());
  }

  /** Picks the chain up at {@code nextSeq}, whose prev_hash must be {@code prevHash}. */
  ChainVerifier(PublicKey publicKey, long nextSeq, byte[] prevHash) {
    this.publicKey = publicKey;
    this.expectedSeq = nextSeq;
    this.prevHash = prevHash.clone();
  }

  /** Checks the next entry; returns the problem, or null when it is a valid next link. */
  public AuditFinding next(JournalEntry e) {
    return next(e, true);
  }

  /**
   * As {@link #next(JournalEntry)} but leaves the signature to the caller, who checks it with
   * {@link #signatureValid} (on other threads: signatures are independent of each other, while the
   * links must be followed in order).
   */
  public AuditFinding nextDeferringSignature(JournalEntry e) {
    return next(e, false);
  }

  /** Whether the entry's signature verifies with the device key (what {@link #next} checks). */
  public static boolean signatureValid(PublicKeys.Verifier verifier, JournalEntry e) {
    return verifier.verify(e.hash(), e.signature());
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  private AuditFinding next(JournalEntry e, boolean checkSignature) {
    if (e.seq() != expectedSeq) {
      return e.seq() > expectedSeq
          ? new AuditFinding(expectedSeq, "entry is missing: the journal jumps from seq " + (expectedSeq - 1)
              + " to seq " + e.seq() + " (entries deleted)")
          : new AuditFinding(e.seq(), "entry is out of order: expected seq " + expectedSeq);
    }
    if (!Arrays.equals(e.prevHash(), prevHash)) {
      return new AuditFinding(e.seq(), "prev_hash does not match the hash of entry " + (e.seq() - 1)
          + " (an entry was inserted, removed or reordered before it)");
    }
    if (!e.hashMatches()) {
      return new AuditFinding(e.seq(), "hash does not match the entry's contents (kind, time or payload edited)");
    }
    if (checkSignature && !signatureValid(e)) {
      return new AuditFinding(e.seq(), "signature does not verify with the device's public key");
    }
    if (e.seq() == 1) {
      AuditFinding first = checkGenesis(e);
      if (first != null) {
        return first;
      }
    }
    expectedSeq++;
    prevHash = e.hash();
    return null;
  }

  /** Checks the signatures of a long chain by a P-256 key with {@link P256Tables} (the same answers, faster). */
  ChainVerifier withTables() {
    if (PublicKeys.algorithmOf(publicKey) == io.fiscald.hal.sign.KeyAlgorithm.EC_P256) {
      fastSignatures = new SignatureCheck(publicKey, P256Tables.of((java.security.interfaces.ECPublicKey) publicKey));
    }
    return this;
  }

  private boolean signatureValid(JournalEntry e) {
    if (fastSignatures != null) {
      return fastSignatures.valid(e.hash(), e.signature());
    }
    if (verifier == null) {
      verifier = PublicKeys.verifier(publicKey);
    }
    return verifier.verify(e.hash(), e.signature());
  }

  /** The first entry must introduce exactly the key everything is verified with. */
  private AuditFinding checkGenesis(JournalEntry e) {
    if (!JournalKind.DEVICE_INITIALISED.equals(e.kind())) {
      return new AuditFinding(1, "the first entry must be " + JournalKind.DEVICE_INITIALISED + ", found " + e.kind());
    }
    String key = CanonicalJson.read(e.payload()).path("publicKey").asText("");
    if (!Arrays.equals(Base64.getDecoder().decode(key), publicKey.getEncoded())) {
      return new AuditFinding(1, "the device key recorded at initialisation is not the key being verified with");
    }
    return null;
  }

  /** Number of valid entries so far. */
  public long verified() {
    return expectedSeq - 1;
  }

  /** Hash of the last valid entry (genesis before any). */
  public byte[] lastHash() {
    return prevHash.clone();
  }
}
