package io.fiscald.agent.core.internal;

import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.profile.AuthorityContext;
import io.fiscald.agent.profile.AuthorityProfile;
import io.fiscald.store.DeviceRecord;
import java.util.Optional;
import io.fiscald.hal.sign.Signer;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.ChainHash;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.store.Counters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.Executor;

/** What a write command may use: the writer's connection and state, the device key and profile. */
final class WriteContext implements AuthorityContext {
  final Connection connection;
  final ChainState state;
  final String deviceId;
  private final DeviceRecord device;
  final DeviceSettings settings;
  final AuthorityProfile profile;
  private final Signer signer;
  private final Clock clock;
  private final Executor signers; // null: every entry is signed on the writer as it is appended
  private final List<PendingEntry> pending = new ArrayList<>();
  private final Set<ReceiptType> advancedCounters = EnumSet.noneOf(ReceiptType.class);
  private boolean signInline;

  WriteContext(Connection connection, ChainState state, DeviceRecord device, DeviceSettings settings,
      AuthorityProfile profile, Signer signer, Clock clock, Executor signers) {
    this.signers = signers;
    this.signInline = signers == null;
    this.connection = connection;
    this.state = state;
    this.device = device;
    this.deviceId = device.deviceId();
    this.settings = settings;
    this.profile = profile;
    this.signer = signer;
    this.clock = clock;
  }

  @Override
  public DeviceRecord device() {
    return device;
  }

  @Override
  public Signer signer() {
    return signer;
  }

  @Override
  public Optional<FiscalReceipt> previousReceiptOfDay() {
    return Optional.ofNullable(state.lastReceiptOfDay);
  }

  Instant now() {
    return clock.instant();
  }

  static String format(Instant instant) {
    return Timestamps.format(instant);
  }

  /**
   * Chains and inserts one journal entry and advances the in-memory head. The hash is made here, in
   * order; the signature is made by the signing pool meanwhile (or here, when signing inline) and
   * written into the row by {@link #writePending} before COMMIT.
   */
  PendingEntry append(String kind, String createdAt, String payload) {
    long seq = state.lastSeq + 1;
    byte[] hash = ChainHash.compute(state.lastHash, seq, kind, createdAt, payload);
    PendingEntry entry = new PendingEntry(seq, kind, createdAt, payload, state.lastHash, hash, signer);
    if (signInline) {
      entry.entry(); // a signer that refuses refuses this command, inside its savepoint
    } else {
      signers.execute(entry.signing());
    }
    Journal.insertAwaitingSignature(connection, seq, kind, createdAt, payload, state.lastHash, hash);
    pending.add(entry);
    state.lastSeq = seq;
    state.lastHash = hash;
    return entry;
  }

  /** Whether this batch signs on the pool; false also when there is no pool. */
  boolean signInParallel(boolean parallel) {
    signInline = !parallel || signers == null;
    return !signInline;
  }

  int pendingMark() {
    return pending.size();
  }

  /** Forgets the entries appended since {@code mark}: their command was rolled back. */
  void dropPendingFrom(int mark) {
    while (pending.size() > mark) {
      pending.remove(pending.size() - 1).cancel();
    }
  }

  /** Waits for (or makes) the batch's signatures, in order; rethrows the first signing failure. */
  List<JournalEntry> signPending() {
    List<JournalEntry> signed = new ArrayList<>(pending.size());
    for (PendingEntry p : pending) {
      signed.add(p.entry());
    }
    return signed;
  }

  /**
   * Notes that a receipt of {@code type} advanced the global and that type's invoice counter; {@link
   * #writePending} stores them once per batch from the in-memory state, which a refused command has
   * already restored, so the rows always hold the numbers of the last receipt that stays.
   */
  void countersAdvanced(ReceiptType type) {
    advancedCounters.add(type);
  }

  /** Writes the batch's signatures, the chain head and the counters, then starts the next batch afresh. */
  void writePending(List<JournalEntry> signed) {
    Journal.completeSignatures(connection, signed);
    if (!advancedCounters.isEmpty()) {
      Counters.set(connection, Counters.GLOBAL_NO, state.globalNo);
      for (ReceiptType type : advancedCounters) {
        Counters.set(connection, Counters.invoiceCounter(type.name()), state.invoiceNo.get(type));
      }
      advancedCounters.clear();
    }
    pending.clear();
  }
}
