package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.store.AuthorityState;
import io.fiscald.store.Counters;
import io.fiscald.store.secret.Secret;
import io.fiscald.store.secret.SecretStore;
import java.sql.Connection;
import java.util.Optional;

/**
 * Where the KRA profile keeps its state beside the journal: configuration, code lists, items, the
 * in-flight sale in {@code authority_state}; the branch's invoice, item and stock counters in
 * {@code counters}; the cmcKey and control-unit ids sealed in {@code secrets} (sheet §4: never lose the key).
 */
public final class KraState {
  public static final String AUTHORITY = KraProfile.NAME;
  public static final String CONFIG = "config";
  public static final String CODES = "codes";
  public static final String ITEMS = "items";
  public static final String DEVICE = "device";
  public static final String INFLIGHT = "inflight";
  public static final String ITEM_CLASSES = "itemClasses";
  public static final String NOTICES = "notices";
  public static final String BRANCHES = "branches";

  public static final String CMC_KEY = "kra.cmcKey";
  public static final String SDC_ID = "kra.sdcId";
  public static final String MRC_NO = "kra.mrcNo";
  public static final String DVC_ID = "kra.dvcId";
  public static final String GATEWAY_KEY = "kra.gateway.consumerKey";
  public static final String GATEWAY_SECRET = "kra.gateway.consumerSecret";
  public static final String GATEWAY_APP_ID = "kra.gateway.apigeeAppId";

  private static final ObjectMapper JSON = new ObjectMapper();

  private KraState() {}

  /** Last invoice number eTIMS accepted from this PIN and branch (sheet §13); the next sale takes +1. */
  public static String invoiceCounter(String pin, String bhfId) {
    return "kra.invcNo." + pin + "." + bhfId;
  }

  /** Last item sequence used in an itemCd of this PIN (sheet §3). */
  public static String itemCounter(String pin) {
    return "kra.itemSeq." + pin;
  }

  /** Last stock in/out number ({@code sarNo}) of this PIN and branch (sheet §13). */
  public static String stockCounter(String pin, String bhfId) {
    return "kra.sarNo." + pin + "." + bhfId;
  }

  public static Optional<KraConfig> config(Connection c) {
    return AuthorityState.get(c, AUTHORITY, CONFIG).map(json -> {
      try {
        return JSON.readValue(json, KraConfig.class);
      } catch (Exception e) {
        throw new FiscalException(ErrorCode.STORAGE_ERROR, "the stored KRA configuration is not readable: "
            + e.getMessage());
      }
    });
  }

  public static KraConfig requireConfig(Connection c) {
    return config(c).orElseThrow(() -> new FiscalException(ErrorCode.DEVICE_NOT_REGISTERED,
        "this device is not registered with KRA eTIMS; register it with: fiscalctl device register --authority kra"
            + " --pin P --branch 00 --serial S"));
  }

  public static void putConfig(Connection c, KraConfig config, String now) {
    AuthorityState.put(c, AUTHORITY, CONFIG, write(config), now);
  }

  public static KraCodeLists codes(Connection c) {
    return AuthorityState.get(c, AUTHORITY, CODES).map(KraCodeLists::fromJson).orElse(KraCodeLists.empty());
  }

  public static void putCodes(Connection c, KraCodeLists codes, String now) {
    AuthorityState.put(c, AUTHORITY, CODES, codes.toJson(), now);
  }

  /** A stored document such as the init answer's taxpayer data, or empty. */
  public static Optional<JsonNode> document(Connection c, String key) {
    return AuthorityState.get(c, AUTHORITY, key).map(json -> {
      try {
        return JSON.readTree(json);
      } catch (Exception e) {
        throw new FiscalException(ErrorCode.STORAGE_ERROR, "stored KRA " + key + " is not readable: " + e.getMessage());
      }
    });
  }

  public static void putDocument(Connection c, String key, Object value, String now) {
    AuthorityState.put(c, AUTHORITY, key, write(value), now);
  }

  /** The rates to charge: the code list's class 04, with the device's overrides on top. */
  public static KraRates rates(Connection c, KraConfig config) {
    KraCodeLists codes = codes(c);
    java.util.Map<KraBand, java.math.BigDecimal> rates = new java.util.EnumMap<>(KraBand.class);
    codes.rates().ifPresent(r -> rates.putAll(r.asMap()));
    config.rateOverrides().forEach((band, rate) -> KraBand.of(band).ifPresent(b -> rates.put(b, rate)));
    return KraRates.of(rates);
  }

  public static long lastInvoiceNo(Connection c, KraConfig config) {
    return Counters.get(c, invoiceCounter(config.pin(), config.bhfId()));
  }

  /** The sealed control-unit id printed as SCU ID, or empty before initialisation. */
  public static Optional<String> sdcId(Connection c, SecretStore secrets) {
    return secrets.get(c, SDC_ID).map(Secret::revealUtf8);
  }

  public static Optional<String> mrcNo(Connection c, SecretStore secrets) {
    return secrets.get(c, MRC_NO).map(Secret::revealUtf8);
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException("not serialisable: " + e.getMessage(), e);
    }
  }
}
