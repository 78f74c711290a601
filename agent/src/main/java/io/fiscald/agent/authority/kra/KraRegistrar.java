package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.client.EtimsCallException;
import io.fiscald.agent.authority.kra.client.EtimsEndpoint;
import io.fiscald.agent.authority.kra.client.EtimsResponse;
import io.fiscald.agent.authority.kra.client.GatewayCredentials;
import io.fiscald.agent.authority.kra.client.HttpEtimsClient;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceInitializer;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.tax.TaxRounding;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.store.DataDirLock;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.Secret;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registers a device with KRA eTIMS (sheet §4): initialises it once with {@code selectInitOsdcInfo},
 * seals {@code cmcKey}, {@code sdcId}, {@code mrcNo} and {@code dvcId} at once, pulls the code lists for
 * the rates, creates the fiscald device under the {@code kra} profile and journals the registration.
 * Refuses to initialise an initialised device unless forced: a lost cmcKey cannot be recovered (902
 * returns no key). Resumable: a registration cut short after the key was sealed continues without a
 * second init.
 */
public final class KraRegistrar {
  private KraRegistrar() {}

  /** The outcome, without any secret. */
  public record Registered(String deviceId, String pin, String bhfId, String transport, String environment,
      String sdcId, String mrcNo, String dvcId, String taxpayerName, KraRates rates, boolean initialised) {}

  public static Registered register(DataDirectory dir, Map<String, String> env, KraRegistration reg, Clock clock) {
    KraConfig config = reg.config();
    boolean testMode = io.fiscald.agent.config.FiscaldConfig.load(dir, env).testMode();
    // refused before anything is written: production material never goes to a sandbox URL or the reverse
    io.fiscald.agent.device.EnvironmentGuard.check(KraProfile.NAME, config.environment(), config.baseUrl(), testMode);
    JsonNode info;
    KraRates rates;
    boolean initialised;
    DeviceRecord device;
    try (DataDirLock lock = DataDirLock.acquire(dir.root());
        Connection c = Database.openForWriting(dir.database())) {
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(env), env)));
      Optional<DeviceRecord> existing = Devices.find(c);
      if (existing.isPresent() && !KraProfile.NAME.equals(existing.get().authority())) {
        throw new FiscalException(ErrorCode.DEVICE_ALREADY_INITIALISED, "this data directory holds device "
            + existing.get().deviceId() + " of authority " + existing.get().authority()
            + "; register a KRA device in another --data-dir", Map.of("deviceId", existing.get().deviceId()));
      }
      boolean hasKey = secrets.exists(c, KraState.CMC_KEY);
      if (hasKey && existing.isPresent() && !reg.force()) {
        throw new FiscalException(ErrorCode.DEVICE_ALREADY_INITIALISED, "device " + existing.get().deviceId()
            + " is already initialised with KRA eTIMS (SCU " + KraState.sdcId(c, secrets).orElse("?")
            + "); initialising again answers 902 without a key and has corrupted sandbox devices; add --force only"
            + " if KRA told you to re-initialise", Map.of("deviceId", existing.get().deviceId()));
      }
      String now = Timestamps.format(clock.instant());
      if (reg.consumerKey() != null) {
        secrets.put(c, KraState.GATEWAY_KEY, Secret.ofUtf8(reg.consumerKey()));
      }
      if (reg.consumerSecret() != null) {
        secrets.put(c, KraState.GATEWAY_SECRET, reg.consumerSecret());
      }
      if (reg.apigeeAppId() != null) {
        secrets.put(c, KraState.GATEWAY_APP_ID, Secret.ofUtf8(reg.apigeeAppId()));
      }
      KraState.putConfig(c, config, now);
      if (!hasKey || reg.force()) {
        info = initialise(c, secrets, config, testMode, clock);
        initialised = true;
      } else {
        // Resuming: the key is sealed already, so no second init (sheet §4).
        info = KraState.document(c, KraState.DEVICE).orElseThrow(() -> new FiscalException(ErrorCode.STORAGE_ERROR,
            "a cmcKey is stored but the taxpayer data of its init is missing"));
        initialised = false;
      }
      try (HttpEtimsClient client = KraClients.create(config, c, secrets, testMode, clock)) {
        KraCodes.Result codes = KraCodes.refresh(c, client, clock);
        rates = KraState.rates(c, config);
        if (codes.codes().rates().isEmpty() && config.rateOverrides().isEmpty()) {
          throw new FiscalException(ErrorCode.AUTHORITY_REFUSED, "the eTIMS code list has no tax rates (class 04)");
        }
      }
      if (existing.isEmpty()) {
        DeviceSettings settings = new DeviceSettings(info.path("taxprNm").asText("KRA taxpayer " + config.pin()),
            config.pin(), info.path("bhfNm").asText(null), info.path("locDesc").asText(null), "KES",
            DeviceSettings.DEFAULT_MAX_DAY_HOURS, TaxRounding.PER_LINE, rates.toTaxTable().rates());
        String id = reg.deviceId() != null ? reg.deviceId() : "KRA-" + config.pin() + "-" + config.bhfId();
        device = DeviceInitializer.init(c, secrets, KraProfile.NAME, id, config.environment(), KeyAlgorithm.EC_P256,
            settings, clock);
      } else {
        device = existing.get();
      }
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close database: " + e.getMessage());
    }

    Registered result = new Registered(device.deviceId(), config.pin(), config.bhfId(), config.transport(),
        config.environment(), info.path("sdcId").asText(null), info.path("mrcNo").asText(null),
        info.path("dvcId").asText(null), info.path("taxprNm").asText(null), rates, initialised);
    if (initialised) {
      try (Agent agent = Agent.open(dir, env, clock)) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("authority", KraProfile.NAME);
        event.put("pin", config.pin());
        event.put("bhfId", config.bhfId());
        event.put("deviceSerial", config.deviceSerial());
        event.put("transport", config.transport());
        event.put("environment", config.environment());
        event.put("baseUrl", config.baseUrl());
        event.put("sdcId", result.sdcId());
        event.put("mrcNo", result.mrcNo());
        event.put("dvcId", result.dvcId());
        event.put("taxRates", rates.toString());
        event.put("reinitialised", reg.force());
        agent.core().recordEvent(JournalKind.DEVICE_REGISTERED, event);
      }
    }
    return result;
  }

  /** One {@code selectInitOsdcInfo}; the key is sealed in the same breath, before anything else can fail. */
  private static JsonNode initialise(Connection c, SecretStore secrets, KraConfig config, boolean testMode,
      Clock clock) {
    EtimsResponse r;
    GatewayCredentials gateway = null;
    if (config.transportKind().needsToken()) {
      gateway = new GatewayCredentials(config.tokenUrl(),
          secrets.get(c, KraState.GATEWAY_KEY).map(Secret::revealUtf8).orElseThrow(KraRegistrar::noGateway),
          secrets.get(c, KraState.GATEWAY_SECRET).orElseThrow(KraRegistrar::noGateway),
          secrets.get(c, KraState.GATEWAY_APP_ID).map(Secret::revealUtf8).orElseThrow(KraRegistrar::noGateway));
    }
    try (HttpEtimsClient client = KraClients.create(config, Optional::empty, gateway, testMode, clock)) {
      r = client.call(EtimsEndpoint.INIT, Map.of("dvcSrlNo", config.deviceSerial()));
    } catch (EtimsCallException e) {
      throw new FiscalException(ErrorCode.AUTHORITY_UNAVAILABLE, "eTIMS did not answer the device initialisation: "
          + e.getMessage(), Map.of("endpoint", "INIT"), e);
    }
    if (!r.succeeded()) {
      String hint = switch (String.valueOf(r.resultCd())) {
        case "901" -> "; the serial is not approved for this PIN and branch, or registered elsewhere: declare it on"
            + " the eTIMS portal";
        case "902" -> "; KRA says this device is already installed and does not hand out its key again";
        case "903" -> "; KRA only verifies OSCU devices on this host";
        default -> "";
      };
      throw new FiscalException(r.transientFailure() && !"902".equals(r.resultCd()) && !"901".equals(r.resultCd())
          ? ErrorCode.AUTHORITY_UNAVAILABLE : ErrorCode.AUTHORITY_REFUSED,
          "eTIMS refused to initialise serial " + config.deviceSerial() + ": " + r.describe() + hint,
          Map.of("resultCd", String.valueOf(r.resultCd()), "resultMsg", String.valueOf(r.resultMsg())));
    }
    JsonNode info = r.data().path("info");
    String cmcKey = info.path("cmcKey").asText("");
    if (cmcKey.isBlank()) {
      throw new FiscalException(ErrorCode.AUTHORITY_REFUSED, "eTIMS initialised serial " + config.deviceSerial()
          + " but returned no cmcKey", Map.of("resultCd", String.valueOf(r.resultCd())));
    }
    try (var st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        secrets.put(c, KraState.CMC_KEY, Secret.ofUtf8(cmcKey));
        secrets.put(c, KraState.SDC_ID, Secret.ofUtf8(info.path("sdcId").asText()));
        secrets.put(c, KraState.MRC_NO, Secret.ofUtf8(info.path("mrcNo").asText()));
        secrets.put(c, KraState.DVC_ID, Secret.ofUtf8(info.path("dvcId").asText()));
        com.fasterxml.jackson.databind.node.ObjectNode open = info.deepCopy();
        open.remove("cmcKey"); // the rest is not secret; the key lives only in the sealed store
        KraState.putDocument(c, KraState.DEVICE, open, Timestamps.format(clock.instant()));
        st.execute("COMMIT");
        return open;
      } catch (RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "the cmcKey could not be stored: " + e.getMessage());
    }
  }

  private static FiscalException noGateway() {
    return new FiscalException(ErrorCode.INVALID_ARGUMENT, "the oscu-gateway transport needs --consumer-key,"
        + " --consumer-secret and --apigee-app-id");
  }
}
