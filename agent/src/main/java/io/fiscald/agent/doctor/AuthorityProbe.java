package io.fiscald.agent.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.authority.kra.KraClients;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraDates;
import io.fiscald.agent.authority.kra.KraProfile;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.authority.kra.client.EtimsClient;
import io.fiscald.agent.authority.kra.client.EtimsEndpoint;
import io.fiscald.agent.authority.kra.client.EtimsResponse;
import io.fiscald.agent.authority.zimra.FdmsClient;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.authority.zimra.ZimraSettings;
import io.fiscald.agent.authority.zimra.ZimraState;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.secret.SecretStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One cheap call to the device's authority (ZIMRA getStatus, KRA a notice-list query for "now"), timed,
 * with a short timeout; what it answered, and the clock drift where the answer carries the authority's
 * time (KRA resultDt; for ZIMRA the serverDate of the last accepted receipt).
 *
 * @param authority local, zimra or kra
 * @param reachable whether an answer came
 * @param latencyMillis how long the answer took, or -1
 * @param error why there was no answer, or null
 * @param drift till clock minus the authority's, or null when unknown
 * @param driftSource where the drift comes from, or null
 * @param answer a few fields of the answer (ZIMRA: lastReceiptGlobalNo, lastFiscalDayNo, fiscalDayStatus)
 */
public record AuthorityProbe(String authority, boolean reachable, long latencyMillis, String error, Duration drift,
    String driftSource, Map<String, Object> answer) {

  static AuthorityProbe none(String authority) {
    return new AuthorityProbe(authority, true, -1, null, null, null, Map.of());
  }

  static AuthorityProbe run(DoctorContext ctx) throws Exception {
    Optional<DeviceRecord> device = ctx.device();
    if (device.isEmpty()) {
      return none("none");
    }
    String authority = device.get().authority();
    if (!ZimraProfile.NAME.equals(authority) && !KraProfile.NAME.equals(authority)) {
      return none(authority);
    }
    Optional<SecretStore> secrets = ctx.secrets();
    if (secrets.isEmpty()) {
      return new AuthorityProbe(authority, false, -1, "the master key is not available, so the credentials "
          + "cannot be unsealed", null, null, Map.of());
    }
    try (Connection c = ctx.readOnly()) {
      return ZimraProfile.NAME.equals(authority) ? zimra(ctx, c, secrets.get(), device.get())
          : kra(ctx, c, secrets.get());
    }
  }

  private static AuthorityProbe zimra(DoctorContext ctx, Connection c, SecretStore secrets, DeviceRecord device)
      throws Exception {
    ZimraSettings settings = ZimraState.requireSettings(c);
    Duration drift = null;
    String source = null;
    Map<String, Object> last = lastSent(c, ZimraProfile.NAME);
    if (last != null) {
      String serverDate = CanonicalJson.read((String) last.get("response")).path("serverDate").asText(null);
      if (serverDate != null) {
        Instant server = LocalDateTime.parse(serverDate).atZone(settings.zone()).toInstant();
        drift = Duration.between(server, Instant.parse((String) last.get("sentAt")));
        source = "the last receipt FDMS accepted (" + last.get("sentAt") + ")";
      }
    }
    long started = System.nanoTime();
    try (FdmsClient client = ZimraDevice.client(c, secrets, device, ctx.testMode(), ctx.clock())) {
      JsonNode status = within(ctx.limits().authorityTimeout(), client::getStatus);
      long millis = (System.nanoTime() - started) / 1_000_000;
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("fiscalDayStatus", status.path("fiscalDayStatus").asText(null));
      answer.put("lastFiscalDayNo", status.path("lastFiscalDayNo").isMissingNode() ? null
          : status.path("lastFiscalDayNo").asLong());
      answer.put("lastReceiptGlobalNo", status.path("lastReceiptGlobalNo").isMissingNode() ? null
          : status.path("lastReceiptGlobalNo").asLong());
      return new AuthorityProbe(ZimraProfile.NAME, true, millis, null, drift, source, answer);
    } catch (RuntimeException e) {
      return new AuthorityProbe(ZimraProfile.NAME, false, -1, e.getMessage(), drift, source, Map.of());
    }
  }

  private static AuthorityProbe kra(DoctorContext ctx, Connection c, SecretStore secrets) throws Exception {
    KraConfig config = KraState.requireConfig(c);
    long started = System.nanoTime();
    try (EtimsClient client = KraClients.create(config, c, secrets, ctx.testMode(), ctx.clock())) {
      Instant sentAt = ctx.clock().instant();
      EtimsResponse r = within(ctx.limits().authorityTimeout(), () -> client.call(EtimsEndpoint.NOTICE_LIST,
          Map.of("lastReqDt", KraDates.stamp(sentAt))));
      long millis = (System.nanoTime() - started) / 1_000_000;
      Duration drift = KraDates.parse(r.resultDt())
          .map(t -> Duration.between(t.atZone(KraDates.NAIROBI).toInstant(), sentAt)).orElse(null);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("resultCd", r.resultCd());
      answer.put("httpStatus", r.httpStatus());
      return new AuthorityProbe(KraProfile.NAME, true, millis, null, drift, drift == null ? null
          : "eTIMS resultDt of this call", answer);
    } catch (RuntimeException e) {
      return new AuthorityProbe(KraProfile.NAME, false, -1, e.getMessage(), null, null, Map.of());
    }
  }

  /** The newest accepted outbox row of {@code authority}: its sentAt and response, or null. */
  private static Map<String, Object> lastSent(Connection c, String authority) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT sent_at, response FROM outbox WHERE authority = ? AND "
        + "status = 'SENT' AND response IS NOT NULL ORDER BY sent_at DESC LIMIT 1")) {
      ps.setString(1, authority);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sentAt", rs.getString(1));
        m.put("response", rs.getString(2));
        return m;
      }
    }
  }

  /** Runs {@code call}, giving up after {@code timeout} (an authority that hangs counts as unreachable). */
  private static <T> T within(Duration timeout, java.util.function.Supplier<T> call) throws InterruptedException {
    CompletableFuture<T> f = CompletableFuture.supplyAsync(call);
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new IllegalStateException("no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    }
  }
}
