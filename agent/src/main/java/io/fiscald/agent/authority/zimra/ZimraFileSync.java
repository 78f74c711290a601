package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.authority.StateTransaction;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.Outbox;
import io.fiscald.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync of an Offline-mode device (sheet §15): never openDay, submitReceipt or closeDay (FDMS answers DEV01);
 * each closed day goes as its {@link ZimraDayFile} parts, one by one in fileSequence order through submitFile,
 * each polled with getFileStatus until FDMS has processed it. Every transition is committed to
 * {@code authority_state (zimra, offlineFiles)} before the next call, so a kill between submitFile and
 * getFileStatus neither loses a file nor sends it twice unknowingly: a file whose submit outcome is unknown
 * is first looked up in FDMS's file list (by day and sequence), and resent only if FDMS never saw it —
 * which is safe, FDMS deduplicates receipts on deviceID, fiscalDayNo, receiptGlobalNo and hash.
 *
 * <p>Not thread-safe; driven by {@link ZimraSync} on the sync worker's state connection.
 */
public final class ZimraFileSync {
  /** {@code authority_state} key of the offline file progress. */
  public static final String STATE = "offlineFiles";
  /** FDMS's answer to an upload for a day it has already closed. */
  public static final String CLOSED_ELSEWHERE = "FILE04";
  private static final Logger log = LoggerFactory.getLogger(ZimraFileSync.class);
  // sheet §15 [conflict]: SPEC and SWAGGER name the file states differently; both are accepted
  private static final Set<String> SUCCESS = Set.of("FileProcessingIsSuccessful", "CompleteSuccessful");
  private static final Set<String> FAILURE = Set.of("FileProcessingWithErrors", "FailedWithErrors");

  /** Where one file of the day stands. */
  enum FileState {
    /** Built, not sent yet. */
    READY,
    /** submitFile was started; whether FDMS got it is unknown until it answers or the file list says so. */
    SUBMITTING,
    /** FDMS accepted the upload (operationID known) and is processing it. */
    SUBMITTED,
    /** FDMS processed it successfully. */
    DONE,
    /** FDMS refused it or processed it with errors; a technician must act. */
    FAILED
  }

  private final Connection c;
  private final FdmsClient client;
  private final ZimraSettings settings;
  private final long deviceId;
  private final Clock clock;
  private final Duration pollInterval;
  private final int pollAttempts;
  private final java.util.function.Supplier<ZimraConfig> refreshConfig;
  private long partsDay;
  private List<ZimraDayFile.Part> parts;

  /** @param refreshConfig fetches and stores getConfig (allowed for Offline devices) before each day is sent */
  public ZimraFileSync(Connection c, FdmsClient client, ZimraSettings settings, long deviceId, Clock clock,
      Duration pollInterval, int pollAttempts, java.util.function.Supplier<ZimraConfig> refreshConfig) {
    this.refreshConfig = refreshConfig;
    this.c = c;
    this.client = client;
    this.settings = settings;
    this.deviceId = deviceId;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.pollAttempts = pollAttempts;
  }

  /** One call's worth of work for the oldest closed day FDMS has not accepted yet. */
  public ZimraSync.Step step() {
    Map<String, Object> off = ZimraState.map(c, STATE);
    Map<String, Object> sync = ZimraState.map(c, ZimraState.SYNC);
    long accepted = Math.max(number(off, "acceptedDay"), number(sync, "closedDay"));
    FiscalDayRecord day = FiscalDays.get(c, accepted + 1).orElse(null);
    if (day == null || day.isOpen()) {
      return ZimraSync.Step.IDLE; // SPEC §2.4: only closed days are sent
    }
    try {
      if (number(off, "dayNo") != day.dayNo()) {
        if (refreshConfig != null && !refreshConfig.get().offlineMode()) {
          log.info("FDMS now runs this device in Online mode: day {} goes through submitReceipt", day.dayNo());
          return ZimraSync.Step.PROGRESS;
        }
        plan(off, day.dayNo());
      }
      List<Map<String, Object>> files = files(off);
      for (Map<String, Object> f : files) {
        FileState state = FileState.valueOf((String) f.get("state"));
        switch (state) {
          case DONE:
            continue;
          case FAILED:
            return ZimraSync.Step.BLOCKED;
          case SUBMITTING:
            if (!reconcile(off, f)) {
              return submit(off, f, sync);
            }
            return poll(off, f, sync);
          case READY:
            return submit(off, f, sync);
          case SUBMITTED:
            return poll(off, f, sync);
          default:
            throw new IllegalStateException(state.name());
        }
      }
      return accepted(off, sync, day.dayNo());
    } catch (FiscalException e) {
      return unavailable(sync, e);
    }
  }

  /** The parts of {@code dayNo} are built and their fingerprints committed before anything is sent. */
  private void plan(Map<String, Object> off, long dayNo) {
    List<ZimraDayFile.Part> built = parts(dayNo);
    List<Map<String, Object>> files = new ArrayList<>();
    for (ZimraDayFile.Part p : built) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("fileSequence", p.fileSequence());
      f.put("receipts", p.receipts());
      f.put("firstGlobalNo", p.firstGlobalNo());
      f.put("lastGlobalNo", p.lastGlobalNo());
      f.put("footer", p.footer());
      f.put("bytes", p.bytes());
      f.put("sha256", p.sha256());
      f.put("state", FileState.READY.name());
      files.add(f);
    }
    off.put("dayNo", dayNo);
    off.put("files", files);
    off.put("errorCode", null);
    save(off);
    log.info("FDMS offline day {}: {} file(s) to send", dayNo, files.size());
  }

  private List<ZimraDayFile.Part> parts(long dayNo) {
    if (parts == null || partsDay != dayNo) {
      parts = ZimraDayFile.build(c, settings, deviceId, dayNo, settings.offlineFileMaxBytes());
      partsDay = dayNo;
    }
    return parts;
  }

  private ZimraDayFile.Part part(Map<String, Object> off, Map<String, Object> f) {
    int sequence = (int) number(f, "fileSequence");
    List<ZimraDayFile.Part> built = parts(number(off, "dayNo"));
    ZimraDayFile.Part p = sequence <= built.size() ? built.get(sequence - 1) : null;
    if (p == null || !p.sha256().equals(f.get("sha256"))) {
      // the journal is append-only and the day closed: a different file means the settings changed mid-way
      throw new FiscalException(ErrorCode.INTERNAL, "file " + sequence + " of offline day " + off.get("dayNo")
          + " no longer rebuilds identically (were the offline file settings changed?); run fiscalctl sync "
          + "--retry-rejected to rebuild and resend the day", Map.of("day", off.get("dayNo")));
    }
    return p;
  }

  private ZimraSync.Step submit(Map<String, Object> off, Map<String, Object> f, Map<String, Object> sync) {
    ZimraDayFile.Part p = part(off, f);
    f.put("state", FileState.SUBMITTING.name());
    f.put("submittedAt", now());
    f.put("attempts", number(f, "attempts") + 1);
    save(off); // committed before the call: after a kill, the file list is checked before any resend
    JsonNode answer;
    try {
      answer = client.submitFile(p.base64());
    } catch (FiscalException e) {
      Object code = e.details().get("zimraCode");
      if (e.code() == ErrorCode.AUTHORITY_REFUSED && CLOSED_ELSEWHERE.equals(code) && reconcile(off, f)) {
        return poll(off, f, sync); // an earlier upload of this very file closed the day
      }
      if (e.code() == ErrorCode.AUTHORITY_REFUSED || e.code() == ErrorCode.INVALID_FIELD) {
        return failed(off, f, sync, code == null ? e.code().name() : code.toString(), e.getMessage(), List.of());
      }
      throw e;
    }
    f.put("operationID", answer.path("operationID").asText(null));
    f.put("state", FileState.SUBMITTED.name());
    save(off);
    online(sync);
    log.info("FDMS took offline file {} of day {} (operationID {})", f.get("fileSequence"), off.get("dayNo"),
        f.get("operationID"));
    return ZimraSync.Step.PROGRESS;
  }

  /**
   * After a submit with an unknown outcome: finds this day's file with this sequence in FDMS's recent
   * list; true (and the file SUBMITTED under that operationID) when FDMS has it.
   */
  private boolean reconcile(Map<String, Object> off, Map<String, Object> f) {
    LocalDateTime since = ZimraReceipts.localTime((String) f.get("submittedAt"), settings.zone()).minusHours(1);
    LocalDateTime till = ZimraReceipts.localTime(now(), settings.zone()).plusHours(1);
    JsonNode list = client.getFileStatus(null, 0, 100, ZimraSignatures.RECEIPT_DATE.format(since),
        ZimraSignatures.RECEIPT_DATE.format(till));
    JsonNode best = null;
    for (JsonNode row : list.path("rows")) {
      if (row.path("dayNo").asLong() == number(off, "dayNo")
          && row.path("fileSequence").asLong() == number(f, "fileSequence")
          && (best == null || !FAILURE.contains(row.path("fileProcessingStatus").asText()))) {
        best = row; // a successful or running copy wins over a failed duplicate
      }
    }
    if (best == null) {
      f.put("state", FileState.READY.name());
      save(off);
      return false;
    }
    f.put("operationID", best.path("operationId").asText(best.path("operationID").asText(null)));
    f.put("state", FileState.SUBMITTED.name());
    save(off);
    log.info("FDMS already has offline file {} of day {} (operationID {})", f.get("fileSequence"), off.get("dayNo"),
        f.get("operationID"));
    return true;
  }

  private ZimraSync.Step poll(Map<String, Object> off, Map<String, Object> f, Map<String, Object> sync) {
    for (int attempt = 0; attempt < pollAttempts; attempt++) {
      JsonNode rows = client.getFileStatus((String) f.get("operationID"), 0, 10).path("rows");
      JsonNode row = rows.isArray() && rows.size() > 0 ? rows.get(0) : null;
      if (row == null) {
        // FDMS does not know the operation (lost upload): send the identical file again
        f.put("state", FileState.READY.name());
        save(off);
        return ZimraSync.Step.PROGRESS;
      }
      String status = row.path("fileProcessingStatus").asText();
      f.put("fileProcessingStatus", status);
      List<Map<String, Object>> invalid = invalidReceipts(row);
      if (SUCCESS.contains(status)) {
        return done(off, f, sync, invalid);
      }
      if (FAILURE.contains(status)) {
        String error = row.path("fileProcessingError").asText("FailedWithErrors");
        return failed(off, f, sync, error, "FDMS processed file " + f.get("fileSequence") + " of offline day "
            + off.get("dayNo") + " with errors (" + error + ")", invalid);
      }
      save(off);
      if (attempt + 1 < pollAttempts) {
        pause();
      }
    }
    online(sync);
    return ZimraSync.Step.WAITING;
  }

  private ZimraSync.Step done(Map<String, Object> off, Map<String, Object> f, Map<String, Object> sync,
      List<Map<String, Object>> invalid) {
    f.put("state", FileState.DONE.name());
    f.put("validationErrors", invalid);
    f.put("processedAt", now());
    if (!invalid.isEmpty()) {
      log.warn("ALERT FDMS flagged receipts in offline file {} of day {}: {}", f.get("fileSequence"),
          off.get("dayNo"), invalid);
    }
    markReceiptsSent(off, f, invalid);
    save(off);
    online(sync);
    return ZimraSync.Step.PROGRESS;
  }

  /** Every file of the day is processed: the day is closed on FDMS. */
  private ZimraSync.Step accepted(Map<String, Object> off, Map<String, Object> sync, long dayNo) {
    markAccepted(off, sync, dayNo);
    online(sync);
    log.info("FDMS accepted offline day {}", dayNo);
    return ZimraSync.Step.PROGRESS;
  }

  private void markAccepted(Map<String, Object> off, Map<String, Object> sync, long dayNo) {
    off.put("acceptedDay", dayNo);
    off.put("lastAcceptedAt", now());
    save(off);
    sync.put("closedDay", dayNo);
    sync.put("serverDayStatus", "FiscalDayClosed");
    sync.put("closingErrorCode", null);
  }

  private ZimraSync.Step failed(Map<String, Object> off, Map<String, Object> f, Map<String, Object> sync,
      String code, String message, List<Map<String, Object>> invalid) {
    f.put("state", FileState.FAILED.name());
    f.put("error", code);
    f.put("validationErrors", invalid);
    off.put("errorCode", code);
    save(off);
    for (Map<String, Object> r : invalid) {
      noteOnReceipt(((Number) r.get("receiptGlobalNo")).longValue(), "FDMS offline file " + f.get("fileSequence")
          + " of day " + off.get("dayNo") + ": " + r.get("validationErrors"));
    }
    sync.put("closingErrorCode", code);
    sync.put("blockedReason", CLOSED_ELSEWHERE.equals(code)
        ? "FDMS says fiscal day " + off.get("dayNo") + " is already closed (" + code + "), e.g. by an upload on its "
            + "portal; check the portal, then fiscalctl zimra accept-day --day " + off.get("dayNo") + " --reason TEXT"
        : "FDMS could not process offline file " + f.get("fileSequence") + " of fiscal day " + off.get("dayNo")
            + " (" + code + "); fix the cause, then fiscalctl sync --retry-rejected");
    sync.put("lastError", ErrorCode.AUTHORITY_REFUSED + ": " + message);
    sync.put("lastContact", now());
    ZimraState.put(c, ZimraState.SYNC, sync, now());
    log.warn("ALERT {}", sync.get("blockedReason"));
    return ZimraSync.Step.BLOCKED;
  }

  private ZimraSync.Step unavailable(Map<String, Object> sync, FiscalException e) {
    sync.put("lastError", e.code() + ": " + e.getMessage());
    if (e.code() == ErrorCode.AUTHORITY_UNAVAILABLE && sync.get("offlineSince") == null) {
      sync.put("offlineSince", now());
    }
    ZimraState.put(c, ZimraState.SYNC, sync, now());
    log.warn("FDMS offline file sync deferred: {}", e.getMessage());
    return ZimraSync.Step.BACKOFF;
  }

  /** After a technician dealt with a failed file: the day is rebuilt and resent from its first file. */
  public void reset() {
    Map<String, Object> off = ZimraState.map(c, STATE);
    off.remove("dayNo");
    off.remove("files");
    off.put("errorCode", null);
    parts = null;
    save(off);
  }

  /** The offline upload state, refused unless {@code dayNo} is the day blocked by FILE04. */
  public static Map<String, Object> requireClosedElsewhere(Connection c, long dayNo) {
    Map<String, Object> off = ZimraState.map(c, STATE);
    if (!CLOSED_ELSEWHERE.equals(off.get("errorCode")) || number(off, "dayNo") != dayNo) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "fiscal day " + dayNo + " is not blocked by "
          + CLOSED_ELSEWHERE + " (FDMS saying the day is already closed); the offline upload stands at day "
          + (off.containsKey("dayNo") ? number(off, "dayNo") : "none") + " with error " + off.get("errorCode")
          + ". Only such a day can be accepted by hand; see fiscalctl sync for what blocks the queue",
          Map.of("field", "day"));
    }
    return off;
  }

  /**
   * The way out of FILE04 ("file sent for an already closed day"): FDMS closed {@code dayNo} by other means,
   * a manual upload on its portal, so our upload is refused for good and the queue would stay blocked. On a
   * technician's word, checked against what FDMS answered (the day's upload must have failed with FILE04),
   * the day is taken as accepted: its waiting receipts leave the queue marked as accepted by hand with the
   * reason, and the next closed day goes next. Needs no FDMS client. The caller journals the decision first.
   *
   * @return how many receipts left the queue
   */
  public int acceptClosedElsewhere(long dayNo, String reason) {
    Map<String, Object> off = requireClosedElsewhere(c, dayNo);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("fiscalDayNo", dayNo);
    answer.put("acceptedBy", "technician");
    answer.put("reason", reason);
    answer.put("zimraCode", CLOSED_ELSEWHERE);
    String answerJson = CanonicalJson.write(answer);
    int[] moved = new int[1];
    // the queue, the files and the day move together or not at all
    StateTransaction.run(c, "accept fiscal day " + dayNo, () -> {
      List<long[]> rows = pendingRows(dayNo, 0, Long.MAX_VALUE);
      for (long[] row : rows) {
        Outbox.markSent(c, row[0], answerJson, now());
      }
      for (Map<String, Object> f : files(off)) {
        if (!FileState.DONE.name().equals(f.get("state"))) {
          f.put("state", FileState.DONE.name());
          f.put("acceptedBy", "technician");
        }
      }
      off.put("errorCode", null);
      Map<String, Object> sync = ZimraState.map(c, ZimraState.SYNC);
      sync.remove("blockedReason");
      markAccepted(off, sync, dayNo);
      ZimraState.put(c, ZimraState.SYNC, sync, now());
      moved[0] = rows.size();
    });
    log.warn("fiscal day {} taken as accepted by a technician (FDMS closed it elsewhere: {}): {} receipt(s) left "
        + "the queue", dayNo, CLOSED_ELSEWHERE, moved[0]);
    return moved[0];
  }

  /** {@code invoiceWithValidationErrors} of a file row, as stored and shown. */
  private static List<Map<String, Object>> invalidReceipts(JsonNode row) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode inv : row.path("invoiceWithValidationErrors")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("receiptGlobalNo", inv.path("receiptGlobalNo").asLong());
      m.put("receiptCounter", inv.path("receiptCounter").asLong());
      List<Map<String, String>> errors = new ArrayList<>();
      for (JsonNode v : inv.path("validationErrors")) {
        errors.add(Map.of("validationErrorCode", v.path("validationErrorCode").asText(),
            "validationErrorColor", v.path("validationErrorColor").asText()));
      }
      m.put("validationErrors", errors);
      out.add(m);
    }
    return out;
  }

  /** The outbox rows of the file's receipts leave PENDING with FDMS's answer (nothing else sends them). */
  private void markReceiptsSent(Map<String, Object> off, Map<String, Object> f, List<Map<String, Object>> invalid) {
    if (number(f, "receipts") == 0) {
      return;
    }
    for (long[] row : pendingRows(number(off, "dayNo"), number(f, "firstGlobalNo"), number(f, "lastGlobalNo"))) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("operationID", f.get("operationID"));
      answer.put("fiscalDayNo", off.get("dayNo"));
      answer.put("fileSequence", f.get("fileSequence"));
      List<Object> errors = new ArrayList<>();
      for (Map<String, Object> inv : invalid) {
        if (((Number) inv.get("receiptGlobalNo")).longValue() == row[1]) {
          errors.addAll((List<?>) inv.get("validationErrors"));
        }
      }
      answer.put("validationErrors", errors);
      Outbox.markSent(c, row[0], CanonicalJson.write(answer), now());
    }
  }

  private void noteOnReceipt(long globalNo, String error) {
    for (long[] row : pendingRows(number(ZimraState.map(c, STATE), "dayNo"), globalNo, globalNo)) {
      Outbox.recordAttempt(c, row[0], error, null);
    }
  }

  /** {outbox id, receiptGlobalNo} of the PENDING FDMS rows of {@code dayNo} between two global numbers. */
  private List<long[]> pendingRows(long dayNo, long fromGlobal, long toGlobal) {
    List<long[]> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT o.id, r.global_no FROM outbox o JOIN receipts r"
        + " ON r.id = o.receipt_id WHERE o.authority = ? AND o.status = 'PENDING' AND r.day_no = ?"
        + " AND r.global_no BETWEEN ? AND ? ORDER BY r.global_no")) {
      st.setString(1, ZimraState.AUTHORITY);
      st.setLong(2, dayNo);
      st.setLong(3, fromGlobal);
      st.setLong(4, toGlobal);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new long[] {rs.getLong(1), rs.getLong(2)});
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the FDMS outbox of day " + dayNo + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The offline file progress for status: the day being sent, its files and their state, the last accepted day. */
  public static Map<String, Object> view(Connection c) {
    Map<String, Object> off = ZimraState.map(c, STATE);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("acceptedDay", number(off, "acceptedDay"));
    v.put("lastAcceptedAt", off.get("lastAcceptedAt"));
    v.put("dayNo", off.containsKey("dayNo") ? number(off, "dayNo") : null);
    v.put("errorCode", off.get("errorCode"));
    List<Map<String, Object>> files = new ArrayList<>();
    for (Map<String, Object> f : files(off)) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String k : List.of("fileSequence", "state", "receipts", "footer", "bytes", "operationID",
          "fileProcessingStatus", "error", "validationErrors")) {
        if (f.get(k) != null) {
          m.put(k, f.get(k));
        }
      }
      files.add(m);
    }
    v.put("files", files);
    return v;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> files(Map<String, Object> off) {
    Object files = off.get("files");
    return files instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  private void online(Map<String, Object> sync) {
    sync.put("offlineSince", null);
    sync.put("lastError", null);
    sync.put("lastContact", now());
    ZimraState.put(c, ZimraState.SYNC, sync, now());
  }

  private void save(Map<String, Object> off) {
    ZimraState.put(c, STATE, off, now());
  }

  private String now() {
    return Timestamps.format(clock.instant());
  }

  private void pause() {
    try {
      Thread.sleep(pollInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FiscalException(ErrorCode.SHUTTING_DOWN, "interrupted while waiting for FDMS to process a file");
    }
  }

  private static long number(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.longValue() : 0;
  }
}
