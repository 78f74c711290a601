package io.fiscald.agent.authority.zimra;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.JournalKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code fiscalctl zimra accept-day}: a technician takes an offline day FDMS closed by other means (FILE04) as
 * accepted, so the queue moves on. The decision is journalled (AUTHORITY_DAY_ACCEPTED, with the reason) before
 * the queue changes; the day must be the one FDMS refused with FILE04, nothing else can be waved through.
 */
public final class ZimraDayAcceptance {
  private static final int MAX_REASON = 500;

  private ZimraDayAcceptance() {}

  /** Returns the day, the receipts that left the queue, the reason and the journal entry's seq. */
  public static Map<String, Object> accept(Agent agent, long dayNo, String reason, Clock clock) {
    if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "give the reason (1 to " + MAX_REASON + " characters),"
          + " e.g. the portal upload's reference", Map.of("field", "reason"));
    }
    if (!ZimraProfile.NAME.equals(agent.device().authority())) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "device " + agent.device().deviceId() + " uses the '"
          + agent.device().authority() + "' profile; accept-day is for ZIMRA devices", Map.of("field", "authority"));
    }
    try (Connection c = agent.newStateConnection()) {
      ZimraFileSync.requireClosedElsewhere(c, dayNo); // refused before anything is journalled
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("authority", ZimraProfile.NAME);
      event.put("fiscalDayNo", dayNo);
      event.put("zimraCode", ZimraFileSync.CLOSED_ELSEWHERE);
      event.put("reason", reason.strip());
      long seq = agent.core().recordEvent(JournalKind.AUTHORITY_DAY_ACCEPTED, event).seq();
      ZimraSettings settings = ZimraState.requireSettings(c);
      int receipts = new ZimraFileSync(c, null, settings, ZimraProfile.deviceIdOf(agent.device()), clock,
          Duration.ZERO, 0, null).acceptClosedElsewhere(dayNo, reason.strip());
      Map<String, Object> out = new LinkedHashMap<>(event);
      out.put("receipts", receipts);
      out.put("journalSeq", seq);
      return out;
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close the state connection: " + e.getMessage());
    }
  }
}
