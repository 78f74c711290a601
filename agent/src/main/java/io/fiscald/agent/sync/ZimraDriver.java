package io.fiscald.agent.sync;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.zimra.FdmsClient;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraOnboarding;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.authority.zimra.ZimraSettings;
import io.fiscald.agent.authority.zimra.ZimraState;
import io.fiscald.agent.authority.zimra.ZimraSync;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZIMRA FDMS for the {@link SyncWorker}: {@link ZimraSync} steps on the worker's own state connection,
 * a ping at FDMS's reportingFrequency, {@link ZimraOnboarding#renewIfDue} at the renewal interval (the
 * client is rebuilt with the new certificate), and the clock drift from the last receipt's serverDate.
 */
final class ZimraDriver implements SyncDriver {
  private static final Logger log = LoggerFactory.getLogger(ZimraDriver.class);
  /** Receipts per pipelined run: the worker publishes their events and refreshes status between runs. */
  private static final int RUN_SIZE = 200;

  private final Agent agent;
  private final Connection c;
  private final Clock clock;
  private final SyncWorker.Settings pacing;
  private final ZimraSettings settings;
  private FdmsClient client;
  private ZimraSync sync;
  private Instant nextPing = Instant.MIN;
  private Instant nextRenewalCheck = Instant.MIN;
  private Duration clockDrift;

  ZimraDriver(Agent agent, Clock clock, SyncWorker.Settings pacing) {
    this.agent = agent;
    this.clock = clock;
    this.pacing = pacing;
    this.c = agent.newStateConnection();
    try {
      this.settings = ZimraState.requireSettings(c);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  @Override
  public String authority() {
    return ZimraProfile.NAME;
  }

  /** The client and sync, built on first use and after a certificate renewal. */
  private ZimraSync sync() {
    if (sync == null) {
      client = ZimraDevice.client(c, agent.secrets(), agent.device(), agent.signer(), agent.config().testMode(), clock);
      ZimraProfile profile = agent.core().profile() instanceof ZimraProfile p ? p : null;
      sync = new ZimraSync(c, client, settings, profile, clock, Duration.ofMillis(500), 10);
    }
    return sync;
  }

  private void dropClient() {
    if (client != null) {
      client.close();
    }
    client = null;
    sync = null;
  }

  @Override
  public Outcome sendOne() {
    ZimraSync s;
    try {
      s = sync();
    } catch (FiscalException e) {
      offline(e);
      return Outcome.of(Kind.UNAVAILABLE, false);
    }
    ZimraSync.Run run = s.sendRun(RUN_SIZE, true);
    if (run != null) {
      return outcome(run);
    }
    OutboxMessage head = Outbox.nextPending(c, ZimraState.AUTHORITY).orElse(null);
    ZimraSync.Step step = s.step(true);
    OutboxMessage after = head == null ? null : Outbox.get(c, head.id()).orElse(null);
    List<Event> events = new ArrayList<>();
    SyncDriver.Event e = SyncEvents.of(authority(), after);
    if (e != null) {
      events.add(e);
    }
    if (after != null && "SENT".equals(after.status())) {
      driftFrom(after);
    }
    return switch (step) {
      case IDLE -> Outcome.of(Kind.IDLE, false);
      case PROGRESS -> new Outcome(Kind.PROGRESS, true, events);
      case BACKOFF -> new Outcome(Kind.UNAVAILABLE, true, events);
      case WAITING -> new Outcome(Kind.WAITING, true, events);
      case BLOCKED -> new Outcome(e != null ? Kind.REJECTED : Kind.BLOCKED, e != null, events);
    };
  }

  /** A pipelined run of receipts: an event for each row it settled and for the refused one that ended it. */
  private Outcome outcome(ZimraSync.Run run) {
    List<Event> events = new ArrayList<>();
    OutboxMessage last = null;
    for (long id : run.settled()) {
      OutboxMessage row = Outbox.get(c, id).orElse(null);
      SyncDriver.Event e = SyncEvents.of(authority(), row);
      if (e != null) {
        events.add(e);
      }
      last = row;
    }
    if (last != null) {
      driftFrom(last);
    }
    SyncDriver.Event refused = run.failed() == null ? null
        : SyncEvents.of(authority(), Outbox.get(c, run.failed()).orElse(null));
    if (refused != null) {
      events.add(refused);
    }
    int accepted = run.settled().size();
    return switch (run.step()) {
      case IDLE, PROGRESS -> new Outcome(Kind.PROGRESS, true, events, accepted);
      case BACKOFF -> new Outcome(Kind.UNAVAILABLE, true, events, accepted);
      case WAITING -> new Outcome(Kind.WAITING, true, events, accepted);
      case BLOCKED -> new Outcome(refused != null ? Kind.REJECTED : Kind.BLOCKED, true, events, accepted);
    };
  }

  /** Device clock minus FDMS's: when the receipt was marked sent against FDMS's serverDate (its local time). */
  private void driftFrom(OutboxMessage sent) {
    try {
      String serverDate = CanonicalJson.read(sent.response()).path("serverDate").asText(null);
      if (serverDate != null && sent.sentAt() != null) {
        Instant server = LocalDateTime.parse(serverDate).atZone(settings.zone()).toInstant();
        clockDrift = Duration.between(server, Instant.parse(sent.sentAt()));
      }
    } catch (RuntimeException e) {
      log.debug("no clock drift from FDMS answer: {}", e.getMessage());
    }
  }

  @Override
  public Instant periodic(Instant now) {
    if (!now.isBefore(nextRenewalCheck)) {
      nextRenewalCheck = now.plus(pacing.renewalCheckInterval());
      try {
        Optional<Map<String, Object>> renewed = ZimraOnboarding.renewIfDue(agent, clock);
        if (renewed.isPresent()) {
          log.info("FDMS certificate renewed, valid until {}", renewed.get().get("notAfter"));
          dropClient(); // the next call presents the new certificate
        }
      } catch (RuntimeException e) {
        log.warn("FDMS certificate renewal failed (retried in {}): {}", pacing.renewalCheckInterval(), e.getMessage());
        nextRenewalCheck = now.plus(pacing.maxBackoff());
      }
    }
    if (!now.isBefore(nextPing)) {
      int minutes = 5;
      try {
        minutes = Math.max(1, sync().ping());
      } catch (FiscalException e) {
        offline(e);
        log.warn("FDMS ping failed: {}", e.getMessage());
      }
      nextPing = now.plus(Duration.ofMinutes(minutes));
    }
    return nextPing.isBefore(nextRenewalCheck) ? nextPing : nextRenewalCheck;
  }

  /** A failed contact outside a sync step (ping, client set-up): offline from now unless already. */
  private void offline(FiscalException e) {
    Map<String, Object> state = ZimraState.map(c, ZimraState.SYNC);
    state.put("lastError", e.code() + ": " + e.getMessage());
    if (state.get("offlineSince") == null) {
      state.put("offlineSince", Timestamps.format(clock.instant()));
    }
    ZimraState.put(c, ZimraState.SYNC, state, Timestamps.format(clock.instant()));
  }

  @Override
  public View view() {
    ZimraSync.Status s = ZimraSync.status(c);
    Instant expires = ZimraDevice.certificate(c).map(cert -> cert.getNotAfter().toInstant()).orElse(null);
    String error = s.blockedReason() != null ? s.blockedReason() : s.lastError();
    return new View(s.offlineSince() == null ? null : Instant.parse(s.offlineSince()), error, expires, clockDrift,
        null);
  }

  @Override
  public void close() {
    dropClient();
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      c.close();
    } catch (SQLException ignored) {
      // stopping
    }
  }
}
