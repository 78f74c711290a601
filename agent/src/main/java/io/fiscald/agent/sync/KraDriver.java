package io.fiscald.agent.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.KraClients;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraDates;
import io.fiscald.agent.authority.kra.KraProfile;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.authority.kra.KraSync;
import io.fiscald.agent.authority.kra.client.EtimsClient;
import io.fiscald.agent.authority.kra.client.EtimsEndpoint;
import io.fiscald.agent.authority.kra.client.EtimsResponse;
import io.fiscald.agent.authority.kra.client.EtimsTransport;
import io.fiscald.agent.authority.kra.client.HttpEtimsClient;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * KRA eTIMS for the {@link SyncWorker}: {@link KraSync} one message at a time, in order (the device is
 * one PIN and branch, so its outbox is that branch's FIFO), on the worker's own state connection. The
 * offline time and last error are kept in {@code authority_state (kra, sync)} for {@code fiscalctl
 * status}; the clock drift comes from the {@code resultDt} of eTIMS's answers.
 */
final class KraDriver implements SyncDriver {
  /** {@code authority_state} key of what the worker saw last: offlineSince, lastError. */
  static final String SYNC_STATE = "sync";

  private final Connection c;
  private final Clock clock;
  private final HttpEtimsClient http;
  private final KraSync sync;
  private volatile Duration clockDrift;
  private Instant offlineSince;
  private String lastError;

  KraDriver(Agent agent, Clock clock) {
    this.clock = clock;
    this.c = agent.newStateConnection();
    try {
      KraConfig config = KraState.requireConfig(c);
      this.http = KraClients.create(config, c, agent.secrets(), agent.config().testMode(), clock);
      this.sync = new KraSync(c, agent.secrets(), new Observed(), config, clock);
      JsonNode saved = KraState.document(c, SYNC_STATE).orElse(null);
      if (saved != null) {
        String since = saved.path("offlineSince").asText(null);
        offlineSince = since == null ? null : Instant.parse(since);
        lastError = saved.path("lastError").asText(null);
      }
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  @Override
  public String authority() {
    return KraProfile.NAME;
  }

  @Override
  public Outcome sendOne() {
    OutboxMessage head = Outbox.nextPending(c, KraProfile.NAME).orElse(null);
    if (head == null) {
      return Outcome.of(Kind.IDLE, false);
    }
    KraSync.Result r = sync.drain(1, true);
    OutboxMessage after = Outbox.get(c, head.id()).orElse(null);
    List<Event> events = new ArrayList<>();
    Event e = SyncEvents.of(authority(), after);
    if (e != null) {
      events.add(e);
    }
    if (r.sent() > 0) {
      remember(null, null);
      return new Outcome(Kind.PROGRESS, true, events);
    }
    if (r.rejected() > 0) {
      remember(null, r.lastError());
      return new Outcome(Kind.REJECTED, true, events);
    }
    remember(offlineSince == null ? clock.instant() : offlineSince, r.lastError());
    return new Outcome(Kind.UNAVAILABLE, true, events);
  }

  /** Keeps the offline time and last error, written only when they change. */
  private void remember(Instant since, String error) {
    if (Objects.equals(since, offlineSince) && Objects.equals(error, lastError)) {
      return;
    }
    offlineSince = since;
    lastError = error;
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("offlineSince", since == null ? null : Timestamps.format(since));
    doc.put("lastError", error);
    KraState.putDocument(c, SYNC_STATE, doc, Timestamps.format(clock.instant()));
  }

  @Override
  public Instant periodic(Instant now) {
    return Instant.MAX;
  }

  @Override
  public View view() {
    return new View(offlineSince, lastError, null, clockDrift, null);
  }

  @Override
  public void close() {
    http.close();
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      c.close();
    } catch (SQLException ignored) {
      // stopping
    }
  }

  /** The device's client, noting the drift from each answer's resultDt (eTIMS answers in Nairobi time). */
  private final class Observed implements EtimsClient {
    @Override
    public EtimsResponse call(EtimsEndpoint endpoint, Map<String, ?> body) {
      EtimsResponse r = http.call(endpoint, body);
      Instant local = clock.instant();
      KraDates.parse(r.resultDt()).ifPresent(t -> clockDrift = Duration.between(t.atZone(KraDates.NAIROBI)
          .toInstant(), local));
      return r;
    }

    @Override
    public EtimsTransport transport() {
      return http.transport();
    }

    @Override
    public void close() {
      http.close();
    }
  }
}
