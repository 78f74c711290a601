package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.authority.StateTransaction;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the ZIMRA outbox to FDMS (SPEC §2.2, checklist 10–14): receipts one at a time in ascending
 * receiptGlobalNo, never skipping; openDay before a day's first receipt (after a fresh getConfig);
 * closeDay once every receipt of the day is sent, then getStatus until the day is closed or its close
 * failed. A timeout resends the identical receipt (FDMS is idempotent on deviceID + globalNo + hash);
 * network trouble and 500/502 back off; a 4xx refusal is stored on the outbox row, raised as an alert
 * and stops the queue until a technician acts. Server receipt signatures are verified with the FDMS
 * certificate and stored with the answer. Receipts keep being issued meanwhile; {@link #status} says
 * since when the device is offline and how many receipts wait.
 *
 * <p>Not thread-safe: one sync worker per device, on its own state connection (never the journal's).
 */
public final class ZimraSync {
  /** Outbox message type of a receipt for FDMS submitReceipt. */
  public static final String SUBMIT_RECEIPT = "ZIMRA_SUBMIT_RECEIPT";
  private static final Logger log = LoggerFactory.getLogger(ZimraSync.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  /** Receipts read, decoded and handed to the sender at once: bounds the memory of a run. */
  private static final int RUN_SIZE = 200;
  /** Most answers settled in one commit; a commit usually takes whatever arrived during the one before. */
  private static final int MAX_SETTLE_GROUP = 64;

  /** What one {@link #step} did. */
  public enum Step {
    /** Nothing left to send. */
    IDLE,
    /** A message went through (receipt, open or close). */
    PROGRESS,
    /** FDMS is unreachable or failing; the next attempt waits until {@code nextAttemptAt}. */
    BACKOFF,
    /** A day close was accepted and FDMS is still validating it. */
    WAITING,
    /** A refused message or a failed day close needs a technician; nothing more is sent. */
    BLOCKED
  }

  /**
   * What one {@link #sendRun} did: its last step (PROGRESS when every receipt of the run went through) and
   * the outbox rows it settled, in order, and the row whose failure ended it, if any.
   */
  public record Run(Step step, List<Long> settled, Long failed) {}

  /**
   * What {@code status} shows about FDMS.
   *
   * @param offlineFiles the day-file progress of an Offline-mode device ({@link ZimraFileSync#view}), else null
   */
  public record Status(long pending, long rejected, String offlineSince, String lastError, String blockedReason,
      long openedDayOnServer, long closedDayOnServer, String serverDayStatus, String closingErrorCode,
      long lastSentGlobalNo, Map<String, Object> offlineFiles) {}

  /** True when the stored getConfig says FDMS runs this device in Offline mode (sheet §15). */
  public static boolean offlineMode(Connection c) {
    return ZimraState.config(c).map(ZimraConfig::offlineMode).orElse(false);
  }

  private final Connection c;
  private final FdmsClient client;
  private final ZimraSettings settings;
  private final ZimraProfile profile;
  private final Clock clock;
  private final Duration closePollInterval;
  private final int closePollAttempts;
  private final ZimraFileSync files;
  /** FDMS signing certificates by thumbprint key, and a verifier for each: parsed and initialised once. */
  private final Map<String, X509Certificate> serverCertificates = new HashMap<>();
  private final Map<String, PublicKeys.Verifier> verifiers = new HashMap<>();

  /**
   * @param c a state connection (Agent.newStateConnection()); never the fiscal core's writer
   * @param profile the running profile to hand a fresh getConfig to, or null
   */
  public ZimraSync(Connection c, FdmsClient client, ZimraSettings settings, ZimraProfile profile, Clock clock,
      Duration closePollInterval, int closePollAttempts) {
    this.c = c;
    this.client = client;
    this.settings = settings;
    this.profile = profile;
    this.clock = clock;
    this.closePollInterval = closePollInterval;
    this.closePollAttempts = closePollAttempts;
    this.files = new ZimraFileSync(c, client, settings, client.deviceId(), clock, closePollInterval, closePollAttempts,
        () -> refreshConfig(null));
  }

  /**
   * Runs steps until nothing is left or FDMS must be waited for; returns the last step. Receipts of the day
   * FDMS has open go in runs ({@link #sendRun}); each receipt counts as one step.
   */
  public Step drain(int maxSteps) {
    Step last = Step.IDLE;
    int done = 0;
    while (done < maxSteps) {
      Run run = sendRun(maxSteps - done, true);
      if (run == null) {
        last = step(true);
        done++;
      } else {
        last = run.step();
        done += Math.max(1, run.settled().size());
      }
      if (last != Step.PROGRESS) {
        return last;
      }
    }
    return last;
  }

  /**
   * Sends the pending receipts of the fiscal day FDMS has open, up to {@code max}, pipelined: a sender
   * thread submits them strictly in receiptGlobalNo order, one request in flight, while this thread verifies
   * each answer's server signature and settles the answers that have arrived in one commit. The first
   * failure ends the run after everything before it is settled, and is handled as {@link #step} would.
   * Returns null when the head of the queue needs {@link #step} instead (day messages, a block, a back-off,
   * Offline mode, nothing pending).
   */
  public Run sendRun(int max, boolean ignoreBackoff) {
    Map<String, Object> state = ZimraState.map(c, ZimraState.SYNC);
    if (state.get("blockedReason") != null || count(c, "REJECTED") > 0 || offlineMode(c)) {
      return null;
    }
    long openedDay = number(state, "openedDay");
    List<ReceiptSender.Item> items = new ArrayList<>();
    for (OutboxMessage m : Outbox.pending(c, ZimraState.AUTHORITY, Math.min(max, RUN_SIZE))) {
      if (!ignoreBackoff && m.nextAttemptAt() != null && clock.instant().isBefore(Instant.parse(m.nextAttemptAt()))) {
        break;
      }
      FiscalReceipt receipt = ReceiptCodec.receipt(m.payload());
      if (receipt.dayNo() > openedDay) {
        break; // its day must be opened first (and the one before closed): step() does that
      }
      items.add(new ReceiptSender.Item(m, receipt));
    }
    if (items.isEmpty()) {
      return null;
    }
    List<Long> settled = new ArrayList<>();
    List<Settlement> group = new ArrayList<>();
    try (ReceiptSender sender = new ReceiptSender(client, items)) {
      while (true) {
        ReceiptSender.Answer a = group.isEmpty() ? sender.take() : sender.poll();
        if (a == null) {
          settle(state, group, settled); // nothing more has arrived: commit while the next request is out
          continue;
        }
        if (!a.end() && a.body() != null) {
          group.add(settlement(a.item(), a.body()));
          if (group.size() >= MAX_SETTLE_GROUP) {
            settle(state, group, settled);
          }
          continue;
        }
        settle(state, group, settled);
        if (a.end()) {
          return new Run(Step.PROGRESS, settled, null);
        }
        if (a.error() != null) {
          throw a.error();
        }
        return new Run(failed(state, a.failure(), a.item().message()), settled, a.item().message().id());
      }
    } catch (InterruptedException e) {
      // stopping: what arrived is settled; the rest stays pending and is resent identically next time
      Thread.currentThread().interrupt();
      settle(state, group, settled);
      return new Run(settled.isEmpty() ? Step.BACKOFF : Step.PROGRESS, settled, null);
    }
  }

  /** An answer ready to be stored: the outbox row, the receipt's global number, FDMS's answer as stored JSON. */
  private record Settlement(long messageId, long globalNo, String stored) {}

  private Settlement settlement(ReceiptSender.Item item, JsonNode answer) {
    return new Settlement(item.message().id(), item.receipt().globalNo(),
        CanonicalJson.write(answerRecord(item.receipt(), answer)));
  }

  /** Marks the group's rows sent and the sync state online, in one commit (one fsync for many receipts). */
  private void settle(Map<String, Object> state, List<Settlement> group, List<Long> settled) {
    if (group.isEmpty()) {
      return;
    }
    String now = now();
    StateTransaction.run(c, "store FDMS answers", () -> {
      for (Settlement s : group) {
        Outbox.markSent(c, s.messageId(), s.stored(), now);
      }
      state.put("lastSentGlobalNo", group.get(group.size() - 1).globalNo());
      online(state);
    });
    group.forEach(s -> settled.add(s.messageId()));
    group.clear();
  }

  /**
   * One message: the next receipt (after the day messages it depends on), or a pending open or close.
   *
   * @param ignoreBackoff send now even if the last failure asked to wait (a technician's {@code sync --once})
   */
  public Step step(boolean ignoreBackoff) {
    Map<String, Object> state = ZimraState.map(c, ZimraState.SYNC);
    if (state.get("blockedReason") != null) {
      return Step.BLOCKED;
    }
    if (count(c, "REJECTED") > 0) {
      // ZIMRA checklist 13: never skip a receipt; the refused one must be dealt with first
      return Step.BLOCKED;
    }
    if (offlineMode(c)) {
      // sheet §15: an Offline-mode device never calls openDay/submitReceipt/closeDay (DEV01); it sends day files
      return files.step();
    }
    try {
      Optional<OutboxMessage> next = Outbox.nextPending(c, ZimraState.AUTHORITY);
      if (next.isPresent()) {
        OutboxMessage m = next.get();
        if (!ignoreBackoff && m.nextAttemptAt() != null && clock.instant().isBefore(Instant.parse(m.nextAttemptAt()))) {
          return Step.BACKOFF;
        }
        FiscalReceipt receipt = ReceiptCodec.receipt(m.payload());
        Step day = bringServerToDay(state, receipt.dayNo());
        if (day != null) {
          return day;
        }
        return submit(m, receipt);
      }
      Optional<FiscalDayRecord> latest = FiscalDays.latest(c);
      if (latest.isEmpty()) {
        return Step.IDLE;
      }
      FiscalDayRecord day = latest.get();
      if (day.isOpen()) {
        Step s = bringServerToDay(state, day.dayNo());
        return s == null ? Step.IDLE : s;
      }
      if (number(state, "closedDay") >= day.dayNo()) {
        return Step.IDLE;
      }
      Step s = bringServerToDay(state, day.dayNo());
      return s != null ? s : closeDay(state, day);
    } catch (FiscalException e) {
      return failed(state, e, null);
    }
  }

  /** Opens {@code dayNo} on FDMS, closing the day before it first; null when it is open there already. */
  private Step bringServerToDay(Map<String, Object> state, long dayNo) {
    long opened = number(state, "openedDay");
    if (opened >= dayNo) {
      return null;
    }
    if (opened > 0 && number(state, "closedDay") < opened) {
      FiscalDayRecord previous = FiscalDays.get(c, opened).orElseThrow();
      if (previous.isOpen()) {
        return Step.IDLE; // cannot happen: a newer day exists only after this one closed
      }
      return closeDay(state, previous);
    }
    FiscalDayRecord day = FiscalDays.get(c, dayNo).orElseThrow(() -> new FiscalException(ErrorCode.INTERNAL,
        "receipt of unknown fiscal day " + dayNo));
    if (refreshConfig(day.isOpen() ? day.dayNo() : null).offlineMode()) {
      log.info("FDMS now runs this device in Offline mode: fiscal day {} goes as a day file", dayNo);
      return Step.PROGRESS;
    }
    try {
      JsonNode answer = client.openDay(ZimraDays.openDayBody(dayNo, day.openedAt(), settings.zone()));
      log.info("FDMS opened fiscal day {} (operationID {})", dayNo, answer.path("operationID").asText());
    } catch (FiscalException e) {
      if (!"FISC01".equals(e.details().get("zimraCode"))) {
        throw e;
      }
      // FISC01: an earlier openDay may have been processed while its answer was lost
      JsonNode status = client.getStatus();
      if (status.path("lastFiscalDayNo").asLong() != dayNo || !"FiscalDayOpened".equals(
          status.path("fiscalDayStatus").asText()) && !"FiscalDayCloseFailed".equals(status.path("fiscalDayStatus").asText())) {
        throw e;
      }
    }
    state.put("openedDay", dayNo);
    online(state);
    return Step.PROGRESS;
  }

  private Step submit(OutboxMessage m, FiscalReceipt receipt) {
    Map<String, Object> state = ZimraState.map(c, ZimraState.SYNC);
    Map<String, Object> wire = ZimraReceipts.wire(receipt);
    JsonNode answer;
    try {
      answer = client.submitReceipt(wire);
    } catch (FiscalException e) {
      return failed(state, e, m);
    }
    Outbox.markSent(c, m.id(), CanonicalJson.write(answerRecord(receipt, answer)), now());
    state.put("lastSentGlobalNo", receipt.globalNo());
    online(state);
    return Step.PROGRESS;
  }

  /** What is stored of FDMS's answer to a receipt, its server signature checked; alerts for flags and bad signatures. */
  private Map<String, Object> answerRecord(FiscalReceipt receipt, JsonNode answer) {
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("operationID", answer.path("operationID").asText(null));
    stored.put("receiptID", answer.path("receiptID").asLong());
    stored.put("serverDate", answer.path("serverDate").asText(null));
    JsonNode sig = answer.path("receiptServerSignature");
    stored.put("receiptServerSignature", CanonicalJson.mapper().convertValue(sig, Map.class));
    stored.put("serverSignatureVerified", verifyServerSignature(receipt, answer));
    List<Map<String, String>> errors = new ArrayList<>();
    for (JsonNode v : answer.path("validationErrors")) {
      errors.add(Map.of("validationErrorCode", v.path("validationErrorCode").asText(),
          "validationErrorColor", v.path("validationErrorColor").asText()));
    }
    stored.put("validationErrors", errors);
    if (!errors.isEmpty()) {
      // ZIMRA §8.2.1: accepted and signed but flagged; Red or Grey receipts keep the day from closing
      log.warn("ALERT FDMS flagged receipt {} (global {}): {}", receipt.receiptNumber(), receipt.globalNo(), errors);
    }
    if (Boolean.FALSE.equals(stored.get("serverSignatureVerified"))) {
      log.warn("ALERT the FDMS signature on receipt {} does not verify with the FDMS certificate",
          receipt.receiptNumber());
    }
    return stored;
  }

  private Step closeDay(Map<String, Object> state, FiscalDayRecord day) {
    DayReport z = ReceiptCodec.dayReport(day.zReport());
    if (number(state, "closeSentDay") < day.dayNo()) {
      try {
        JsonNode answer = client.closeDay(ZimraDays.closeDayBody(z));
        log.info("FDMS accepted closeDay {} (operationID {})", day.dayNo(), answer.path("operationID").asText());
      } catch (FiscalException e) {
        Object code = e.details().get("zimraCode");
        // FISC03 close in progress / FISC04 no open day: an earlier close went through; its outcome is in getStatus
        if (!"FISC03".equals(code) && !"FISC04".equals(code)) {
          throw e;
        }
      }
      state.put("closeSentDay", day.dayNo());
      save(state);
    }
    for (int attempt = 0; attempt < closePollAttempts; attempt++) {
      JsonNode status = client.getStatus();
      String dayStatus = status.path("fiscalDayStatus").asText();
      state.put("serverDayStatus", dayStatus);
      long serverDay = status.path("lastFiscalDayNo").asLong(day.dayNo());
      if ("FiscalDayClosed".equals(dayStatus) && serverDay >= day.dayNo()) {
        state.put("closedDay", day.dayNo());
        state.put("closingErrorCode", null);
        state.put("dayServerSignature", CanonicalJson.mapper().convertValue(status.path("fiscalDayServerSignature"),
            Map.class));
        online(state);
        log.info("FDMS closed fiscal day {}", day.dayNo());
        return Step.PROGRESS;
      }
      if ("FiscalDayCloseFailed".equals(dayStatus)) {
        String code = status.path("fiscalDayClosingErrorCode").asText(null);
        state.put("closingErrorCode", code);
        state.put("blockedReason", "FDMS could not close fiscal day " + day.dayNo() + " (" + code + ")");
        save(state);
        log.warn("ALERT FDMS failed to close fiscal day {}: {}", day.dayNo(), code);
        return Step.BLOCKED;
      }
      save(state);
      if (attempt + 1 < closePollAttempts) {
        pause();
      }
    }
    return Step.WAITING;
  }

  /** Re-reads getConfig (ZIMRA checklist 2: before opening each day while online) and hands it to the profile. */
  public ZimraConfig refreshConfig(Long openDayNo) {
    ZimraConfig fresh = ZimraConfig.parse(client.getConfig().toString());
    ZimraState.saveConfig(c, fresh, openDayNo, now());
    if (profile != null) {
      profile.updateConfig(fresh);
    }
    return fresh;
  }

  /** Ping (SPEC §4.13); returns the reporting frequency in minutes FDMS asks for. */
  public int ping() {
    int minutes = client.ping().path("reportingFrequency").asInt(5);
    Map<String, Object> state = ZimraState.map(c, ZimraState.SYNC);
    state.put("reportingFrequency", minutes);
    state.put("lastPing", now());
    online(state);
    return minutes;
  }

  /** Lifts a block after a technician dealt with it (a failed close that ZIMRA has now closed, for example). */
  public void clearBlock() {
    Map<String, Object> state = ZimraState.map(c, ZimraState.SYNC);
    if (ZimraState.map(c, ZimraFileSync.STATE).get("errorCode") != null) {
      files.reset(); // the failed day's files are rebuilt and resent (FDMS deduplicates its receipts)
      state.remove("closingErrorCode");
    }
    state.remove("blockedReason");
    state.put("closeSentDay", number(state, "closedDay"));
    save(state);
  }

  public Status status() {
    return status(c);
  }

  /** The sync state for {@code fiscalctl status}, read from the database alone. */
  public static Status status(Connection c) {
    Map<String, Object> s = ZimraState.map(c, ZimraState.SYNC);
    long pending = count(c, "PENDING");
    long rejected = count(c, "REJECTED");
    String blocked = (String) s.get("blockedReason");
    if (blocked == null && rejected > 0) {
      blocked = rejected + " receipt(s) refused by FDMS; the queue waits (see fiscalctl sync)";
    }
    return new Status(pending, rejected, (String) s.get("offlineSince"), (String) s.get("lastError"), blocked,
        number(s, "openedDay"), number(s, "closedDay"), (String) s.get("serverDayStatus"),
        (String) s.get("closingErrorCode"), number(s, "lastSentGlobalNo"),
        offlineMode(c) ? ZimraFileSync.view(c) : null);
  }

  private Step failed(Map<String, Object> state, FiscalException e, OutboxMessage m) {
    state.put("lastError", e.code() + ": " + e.getMessage());
    boolean refusal = e.code() == ErrorCode.AUTHORITY_REFUSED || e.code() == ErrorCode.INVALID_FIELD;
    Object code = e.details().get("zimraCode");
    if (m != null && refusal && !"RCPT01".equals(code) && !String.valueOf(code).startsWith("DEV")) {
      // ZIMRA §8: a refused receipt is kept with FDMS's answer; the queue stops (never skip)
      Outbox.markRejected(c, m.id(), e.getMessage(), CanonicalJson.write(e.details()));
      log.warn("ALERT FDMS refused receipt message {}: {} {}", m.id(), code, e.getMessage());
      save(state);
      return Step.BLOCKED;
    }
    if (e.code() == ErrorCode.AUTHORITY_UNAVAILABLE || e.code() == ErrorCode.CERTIFICATE_INVALID) {
      state.putIfAbsent("offlineSince", now());
      if (state.get("offlineSince") == null) {
        state.put("offlineSince", now());
      }
    }
    if (m != null) {
      Duration wait = backoff(m.attempts());
      Outbox.recordAttempt(c, m.id(), e.getMessage(), Timestamps.format(clock.instant().plus(wait)));
    }
    log.warn("FDMS sync deferred: {}", e.getMessage());
    save(state);
    return Step.BACKOFF;
  }

  /** 2 s, 4 s, 8 s … up to five minutes. */
  static Duration backoff(int attempts) {
    long seconds = 2L << Math.min(attempts, 8);
    return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
  }

  private boolean verifyServerSignature(FiscalReceipt receipt, JsonNode answer) {
    JsonNode sig = answer.path("receiptServerSignature");
    if (sig.isMissingNode() || !sig.hasNonNull("signature")) {
      return false;
    }
    String string = ZimraSignatures.serverReceiptString(receipt.authorityFields().get(ZimraReceipts.SIGNATURE),
        answer.path("receiptID").asLong(), answer.path("serverDate").asText());
    try {
      String thumbprint = sig.path("certificateThumbprint").asText(null);
      PublicKey key = serverCertificate(thumbprint).getPublicKey();
      PublicKeys.Verifier verifier = verifiers.computeIfAbsent(certificateKey(thumbprint), k -> PublicKeys.verifier(key));
      return ZimraSignatures.verify(verifier, key, string, sig.get("signature").asText());
    } catch (FiscalException | IllegalArgumentException e) {
      log.warn("cannot check the FDMS receipt signature: {}", e.getMessage());
      return false;
    }
  }

  /** The FDMS signing certificate by thumbprint, fetched once and kept in {@code authority_state}. */
  private X509Certificate serverCertificate(String thumbprint) {
    String key = certificateKey(thumbprint);
    X509Certificate parsed = serverCertificates.get(key);
    if (parsed != null) {
      return parsed;
    }
    Map<String, Object> known = ZimraState.map(c, ZimraState.SERVER_CERTIFICATES);
    Object pem = known.get(key);
    if (pem == null) {
      JsonNode answer = client.getServerCertificate(thumbprint);
      JsonNode chain = answer.path("certificate");
      String first = chain.isArray() ? chain.path(0).asText() : chain.asText();
      pem = first;
      known.put(key, first);
      ZimraState.put(c, ZimraState.SERVER_CERTIFICATES, known, now());
    }
    X509Certificate cert = FdmsTls.certificates(pem.toString()).get(0);
    serverCertificates.put(key, cert);
    return cert;
  }

  private static String certificateKey(String thumbprint) {
    return thumbprint == null ? "current" : thumbprint.toLowerCase(java.util.Locale.ROOT);
  }

  private void online(Map<String, Object> state) {
    state.put("offlineSince", null);
    state.put("lastError", null);
    state.put("lastContact", now());
    save(state);
  }

  private void save(Map<String, Object> state) {
    ZimraState.put(c, ZimraState.SYNC, state, now());
  }

  private String now() {
    return Timestamps.format(clock.instant());
  }

  private void pause() {
    try {
      Thread.sleep(closePollInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FiscalException(ErrorCode.SHUTTING_DOWN, "interrupted while waiting for FDMS to close the day");
    }
  }

  private static long count(Connection c, String status) {
    try (java.sql.PreparedStatement st = c.prepareStatement(
        "SELECT count(*) FROM outbox WHERE authority = ? AND status = ?")) {
      st.setString(1, ZimraState.AUTHORITY);
      st.setString(2, status);
      try (java.sql.ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (java.sql.SQLException e) {
      throw new io.fiscald.store.StoreException("cannot count the FDMS outbox: " + e.getMessage(), e);
    }
  }

  private static long number(Map<String, Object> state, String key) {
    Object v = state.get(key);
    return v instanceof Number n ? n.longValue() : 0;
  }
}
