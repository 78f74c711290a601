package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.store.AuthorityState;
import io.fiscald.store.CanonicalJson;
import java.sql.Connection;
import java.util.Map;
import java.util.Optional;

/** What fiscald keeps about FDMS in {@code authority_state}: settings, the getConfig answer, sync progress. */
public final class ZimraState {
  public static final String AUTHORITY = ZimraProfile.NAME;
  public static final String SETTINGS = "settings";
  public static final String CONFIG = "config";
  public static final String CERTIFICATE = "certificate";
  public static final String SYNC = "sync";
  public static final String STATUS = "status";
  /** The fiscal day during which the taxpayer became a VAT payer: receipts stay blocked until it is closed. */
  public static final String VAT_BLOCKED_DAY = "vatBlockedDay";
  public static final String SERVER_CERTIFICATES = "serverCertificates";

  private ZimraState() {}

  public static Optional<ZimraSettings> settings(Connection c) {
    return AuthorityState.get(c, AUTHORITY, SETTINGS).map(json -> read(json, ZimraSettings.class));
  }

  public static ZimraSettings requireSettings(Connection c) {
    return settings(c).orElseThrow(() -> new FiscalException(ErrorCode.DEVICE_NOT_REGISTERED,
        "this device has no FDMS settings yet; register it: fiscalctl device register --authority zimra ..."));
  }

  public static void saveSettings(Connection c, ZimraSettings settings, String now) {
    AuthorityState.put(c, AUTHORITY, SETTINGS, CanonicalJson.write(settings), now);
  }

  public static Optional<ZimraConfig> config(Connection c) {
    return AuthorityState.get(c, AUTHORITY, CONFIG).map(ZimraConfig::parse);
  }

  /**
   * Stores a getConfig answer. If the taxpayer has just become a VAT payer while a day is open, that day
   * is blocked (ZIMRA §4.4, checklist 9): receipts are refused until it is closed and a new one opened.
   */
  public static void saveConfig(Connection c, ZimraConfig config, Long openDayNo, String now) {
    Optional<ZimraConfig> before = config(c);
    if (openDayNo != null && before.isPresent() && !before.get().vatPayer() && config.vatPayer()) {
      AuthorityState.put(c, AUTHORITY, VAT_BLOCKED_DAY, Long.toString(openDayNo), now);
    }
    AuthorityState.put(c, AUTHORITY, CONFIG, config.raw(), now);
  }

  public static long vatBlockedDay(Connection c) {
    return AuthorityState.get(c, AUTHORITY, VAT_BLOCKED_DAY).map(Long::parseLong).orElse(0L);
  }

  public static Optional<String> get(Connection c, String key) {
    return AuthorityState.get(c, AUTHORITY, key);
  }

  public static void put(Connection c, String key, Object value, String now) {
    AuthorityState.put(c, AUTHORITY, key, value instanceof String s ? s : CanonicalJson.write(value), now);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Connection c, String key) {
    return get(c, key).map(json -> (Map<String, Object>) read(json, Map.class)).orElseGet(java.util.LinkedHashMap::new);
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return CanonicalJson.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "stored FDMS " + type.getSimpleName()
          + " is not readable: " + e.getOriginalMessage());
    }
  }
}
