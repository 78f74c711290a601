package io.fiscald.agent.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.authority.kra.KraProfile;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.authority.zimra.ZimraSync;
import io.fiscald.store.Outbox;
import io.fiscald.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sync state of a ZIMRA or KRA device as stored in its database, for {@code fiscalctl status}:
 * read-only, so it works beside a running daemon.
 */
public final class SyncState {
  private SyncState() {}

  /** When the authority last accepted one of this device's messages, or null. */
  public static Instant lastSyncAt(Connection c, String authority) {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT max(sent_at) FROM outbox WHERE authority = ? AND status = 'SENT'")) {
      ps.setString(1, authority);
      try (ResultSet rs = ps.executeQuery()) {
        String at = rs.next() ? rs.getString(1) : null;
        return at == null ? null : Instant.parse(at);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the outbox: " + e.getMessage(), e);
    }
  }

  private static long count(Connection c, String authority, String status) {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE authority = ? AND status = ?")) {
      ps.setString(1, authority);
      ps.setString(2, status);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot count the outbox: " + e.getMessage(), e);
    }
  }

  /** The day-file progress of an Offline-mode ZIMRA device (sheet §15), or null for any other device. */
  public static Map<String, Object> offlineFiles(Connection c, String authority) {
    return ZimraProfile.NAME.equals(authority) ? ZimraSync.status(c).offlineFiles() : null;
  }

  /**
   * {@code authority}, {@code pending}, {@code rejected}, {@code offlineSince}, {@code lastSyncAt},
   * {@code lastError} and the authority's own fields; null for a device whose profile submits nothing.
   */
  public static Map<String, Object> view(Connection c, String authority) {
    Map<String, Object> v = new LinkedHashMap<>();
    Instant last = lastSyncAt(c, authority);
    if (ZimraProfile.NAME.equals(authority)) {
      ZimraSync.Status s = ZimraSync.status(c);
      v.put("authority", authority);
      v.put("pending", s.pending());
      v.put("rejected", s.rejected());
      v.put("offlineSince", s.offlineSince());
      v.put("lastSyncAt", last == null ? null : last.toString());
      v.put("lastError", s.lastError());
      v.put("blocked", s.blockedReason());
      v.put("serverDayStatus", s.serverDayStatus());
      v.put("openedDayOnServer", s.openedDayOnServer());
      v.put("closedDayOnServer", s.closedDayOnServer());
      if (s.offlineFiles() != null) {
        v.put("operatingMode", "Offline");
        v.put("offlineFiles", s.offlineFiles());
      }
      v.put("certificateExpiresAt", ZimraDevice.certificate(c).map(x -> x.getNotAfter().toInstant().toString())
          .orElse(null));
      return v;
    }
    if (KraProfile.NAME.equals(authority)) {
      JsonNode saved = KraState.document(c, KraDriver.SYNC_STATE).orElse(null);
      String lastError = saved == null ? null : saved.path("lastError").asText(null);
      if (lastError == null) {
        lastError = Outbox.nextPending(c, authority).map(m -> m.lastError()).orElse(null);
      }
      v.put("authority", authority);
      v.put("pending", count(c, authority, "PENDING"));
      v.put("rejected", count(c, authority, "REJECTED"));
      v.put("offlineSince", saved == null ? null : saved.path("offlineSince").asText(null));
      v.put("lastSyncAt", last == null ? null : last.toString());
      v.put("lastError", lastError);
      return v;
    }
    return null;
  }
}
