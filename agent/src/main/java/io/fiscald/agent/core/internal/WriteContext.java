package io.fiscald.agent.core.internal;

import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.profile.AuthorityContext;
import io.fiscald.agent.profile.AuthorityProfile;
import io.fiscald.store.DeviceRecord;
import java.util.Optional;
import io.fiscald.hal.sign.Signer;
import io.fiscald.agent.core.JournalSealer;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;

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

  WriteContext(Connection connection, ChainState state, DeviceRecord device, DeviceSettings settings,
      AuthorityProfile profile, Signer signer, Clock clock) {
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

  /** Chains, signs and appends one journal entry, and advances the in-memory head. */
  JournalEntry append(String kind, String createdAt, String payload) {
    JournalEntry entry = JournalSealer.seal(state.lastHash, state.lastSeq + 1, kind, createdAt, payload, signer);
    Journal.append(connection, entry);
    state.lastSeq = entry.seq();
    state.lastHash = entry.hash();
    return entry;
  }
}
