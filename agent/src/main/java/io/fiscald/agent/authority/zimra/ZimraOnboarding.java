package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceInitializer;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.device.SignerSetup;
import io.fiscald.agent.tax.TaxRate;
import io.fiscald.agent.tax.TaxRounding;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.DataDirLock;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.Secret;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A technician's onboarding of a ZIMRA device (SPEC §2.1, §4.1–4.4): check the activation key with
 * verifyTaxpayerInformation before anything is created, create the device and its key, send a CSR made
 * on the device to registerDevice, keep the certificate (journalled as DEVICE_REGISTERED), then getConfig;
 * and the certificate renewal through issueCertificate (CERTIFICATE_CHANGED).
 */
public final class ZimraOnboarding {
  private ZimraOnboarding() {}

  /**
   * What the technician typed.
   *
   * @param baseUrl null for ZIMRA's own gateway of the environment
   * @param trustedCaPem an extra CA for a test gateway's TLS certificate, or null
   * @param timeZone null for Africa/Harare
   */
  public record Request(long deviceId, String serialNo, Secret activationKey, String environment, String baseUrl,
      String trustedCaPem, KeyAlgorithm keyAlgorithm, String currency, String timeZone, SignerSetup signer) {
    /** A device whose key is made in software and sealed with the master key. */
    public Request(long deviceId, String serialNo, Secret activationKey, String environment, String baseUrl,
        String trustedCaPem, KeyAlgorithm keyAlgorithm, String currency, String timeZone) {
      this(deviceId, serialNo, activationKey, environment, baseUrl, trustedCaPem, keyAlgorithm, currency, timeZone,
          null);
    }

    @Override
    public String toString() {
      return "Request[deviceId=" + deviceId + ", serialNo=" + serialNo + ", activationKey=[REDACTED], environment="
          + environment + ", baseUrl=" + baseUrl + "]";
    }
  }

  /** The outcome: the device, who FDMS says it belongs to, its certificate and configuration, and FDMS's status. */
  public record Registration(DeviceRecord device, Map<String, Object> taxpayer, Map<String, Object> certificate,
      ZimraConfig config, Map<String, Object> status) {}

  public static Registration register(DataDirectory dir, Map<String, String> env, Request req, Clock clock) {
    ZimraSettings settings = ZimraSettings.defaults(req.environment(), req.baseUrl(), req.serialNo())
        .withBaseUrl(req.baseUrl() == null ? ZimraSettings.defaults(req.environment(), null, null).baseUrl()
            : req.baseUrl(), req.trustedCaPem());
    if (req.timeZone() != null) {
      settings = settings.withTimeZone(req.timeZone());
    }
    settings.check();
    io.fiscald.agent.device.EnvironmentGuard.check(ZimraProfile.NAME, req.environment(), settings.baseUrl(),
        io.fiscald.agent.config.FiscaldConfig.load(dir, env).testMode());
    String key = req.activationKey().revealUtf8();
    JsonNode taxpayer;
    try (FdmsClient open = FdmsClient.publicClient(settings, req.deviceId())) {
      // SPEC §4.1: a wrong key (DEV02) or serial is refused here, before anything is created on the till
      taxpayer = open.verifyTaxpayerInformation(key, req.serialNo());
    }
    ensureDevice(dir, env, req, taxpayer, clock);
    try (Agent agent = Agent.open(dir, env, clock);
        Connection state = agent.newStateConnection()) {
      ZimraState.saveSettings(state, settings, now(clock));
      String csr = DeviceCsr.pem(agent.signer(), settings.csrCommonName(req.deviceId()), settings.csrOptionalSubject());
      X509Certificate cert;
      try (FdmsClient open = FdmsClient.publicClient(settings, req.deviceId())) {
        JsonNode answer = open.registerDevice(csr, key);
        cert = FdmsTls.certificates(answer.path("certificate").asText()).get(0);
      }
      FdmsClient.checkCertificate(cert, req.deviceId(), agent.signer().publicKey(), clock.instant());
      ZimraDevice.storeCertificate(state, agent.device().deviceId(), cert, now(clock));
      Map<String, Object> event = new LinkedHashMap<>(ZimraDevice.describe(cert));
      event.put("authority", ZimraProfile.NAME);
      event.put("environment", req.environment());
      event.put("deviceSerialNo", req.serialNo());
      event.put("certificatePem", FdmsTls.pem(cert));
      agent.core().recordEvent(JournalKind.DEVICE_REGISTERED, event);

      try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), agent.signer(),
          agent.config().testMode(), clock)) {
        ZimraConfig config = ZimraConfig.parse(client.getConfig().toString());
        ZimraState.saveConfig(state, config, null, now(clock));
        // sheet §15: an Offline-mode device gets DEV01 on getStatus; it has no server day to look at
        JsonNode status = config.offlineMode()
            ? FdmsClient.WIRE.createObjectNode().put("deviceOperatingMode", config.deviceOperatingMode())
            : client.getStatus();
        ZimraState.put(state, ZimraState.STATUS, status.toString(), now(clock));
        @SuppressWarnings("unchecked")
        Map<String, Object> statusMap = CanonicalJson.mapper().convertValue(status, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> taxpayerMap = CanonicalJson.mapper().convertValue(taxpayer, Map.class);
        return new Registration(Devices.find(state).orElseThrow(), taxpayerMap, ZimraDevice.describe(cert), config,
            statusMap);
      }
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close the state connection: " + e.getMessage());
    }
  }

  /** Creates the ZIMRA device, or accepts the existing one if it is the same ZIMRA device (re-registration). */
  private static void ensureDevice(DataDirectory dir, Map<String, String> env, Request req, JsonNode taxpayer,
      Clock clock) {
    String id = Long.toString(req.deviceId());
    if (Files.exists(dir.database())) {
      try (Connection c = Database.openReadOnly(dir.database())) {
        Optional<DeviceRecord> existing = Devices.find(c);
        if (existing.isPresent()) {
          DeviceRecord d = existing.get();
          if (!ZimraProfile.NAME.equals(d.authority()) || !id.equals(d.deviceId())
              || !d.environment().equals(req.environment())) {
            throw new FiscalException(ErrorCode.DEVICE_ALREADY_INITIALISED, "this data directory holds device "
                + d.deviceId() + " (" + d.authority() + ", " + d.environment() + "); use another --data-dir",
                Map.of("deviceId", d.deviceId()));
          }
          return;
        }
      } catch (SQLException e) {
        throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot read the data directory: " + e.getMessage());
      }
    }
    String address = taxpayer.path("deviceBranchAddress").isObject()
        ? new ZimraConfig.Address(taxpayer.path("deviceBranchAddress").path("province").asText(null),
            taxpayer.path("deviceBranchAddress").path("city").asText(null),
            taxpayer.path("deviceBranchAddress").path("street").asText(null),
            taxpayer.path("deviceBranchAddress").path("houseNo").asText(null), null).printable()
        : null;
    // ZIMRA taxes come from getConfig (ZimraProfile); the device settings keep exempt only, for the record
    DeviceSettings settings = new DeviceSettings(taxpayer.path("taxPayerName").asText("ZIMRA taxpayer"),
        taxpayer.path("taxPayerTIN").asText(null), taxpayer.path("deviceBranchName").asText(null), address,
        req.currency() == null ? "USD" : req.currency(), DeviceSettings.DEFAULT_MAX_DAY_HOURS, TaxRounding.PER_GROUP,
        List.of(new TaxRate("1", "Exempt (ZIMRA taxes come from getConfig)", BigDecimal.ZERO, true)));
    try (DataDirLock lock = DataDirLock.acquire(dir.root());
        Connection c = Database.openForWriting(dir.database())) {
      SecretStore secrets = new SecretStore(new SecretBox(MasterKey.resolve(dir.masterKeyFile(env), env)));
      DeviceInitializer.init(c, secrets, ZimraProfile.NAME, id, req.environment(),
          req.keyAlgorithm() == null ? KeyAlgorithm.EC_P256 : req.keyAlgorithm(), settings,
          req.signer() == null ? SignerSetup.software() : req.signer(), env, clock);
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close database: " + e.getMessage());
    }
  }

  /**
   * Renews the device certificate with issueCertificate over mutual TLS with the current one (SPEC §4.3),
   * journalled as CERTIFICATE_CHANGED; returns the new certificate's description.
   */
  public static Map<String, Object> renewCertificate(Agent agent, Clock clock) {
    long deviceId = ZimraProfile.deviceIdOf(agent.device());
    try (Connection state = agent.newStateConnection()) {
      ZimraSettings settings = ZimraState.requireSettings(state);
      X509Certificate old = ZimraDevice.certificate(state).orElseThrow(() -> new FiscalException(
          ErrorCode.DEVICE_NOT_REGISTERED, "device " + deviceId + " has no certificate to renew; register it"));
      String csr = DeviceCsr.pem(agent.signer(), settings.csrCommonName(deviceId), settings.csrOptionalSubject());
      X509Certificate fresh;
      try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), agent.signer(),
          agent.config().testMode(), clock)) {
        fresh = FdmsTls.certificates(client.issueCertificate(csr).path("certificate").asText()).get(0);
      }
      FdmsClient.checkCertificate(fresh, deviceId, agent.signer().publicKey(), clock.instant());
      ZimraDevice.storeCertificate(state, agent.device().deviceId(), fresh, now(clock));
      Map<String, Object> event = new LinkedHashMap<>(ZimraDevice.describe(fresh));
      event.put("previousThumbprint", ZimraDevice.thumbprint(old));
      event.put("certificatePem", FdmsTls.pem(fresh));
      agent.core().recordEvent(JournalKind.CERTIFICATE_CHANGED, event);
      return ZimraDevice.describe(fresh);
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close the state connection: " + e.getMessage());
    }
  }

  /** Renews when the certificate ends within the settings' renewBeforeDays (ZIMRA suggests about a month). */
  public static Optional<Map<String, Object>> renewIfDue(Agent agent, Clock clock) {
    try (Connection state = agent.newStateConnection()) {
      ZimraSettings settings = ZimraState.requireSettings(state);
      Optional<X509Certificate> cert = ZimraDevice.certificate(state);
      if (cert.isEmpty() || settings.plainHttp()) {
        return Optional.empty();
      }
      Duration left = Duration.between(clock.instant(), cert.get().getNotAfter().toInstant());
      if (left.compareTo(Duration.ofDays(settings.renewBeforeDays())) > 0) {
        return Optional.empty();
      }
    } catch (SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close the state connection: " + e.getMessage());
    }
    return Optional.of(renewCertificate(agent, clock));
  }

  /** Public key fingerprint of the device, for the technician's records. */
  public static String fingerprint(DeviceRecord device) {
    return PublicKeys.fingerprint(PublicKeys.fromDer(device.publicKey()));
  }

  private static String now(Clock clock) {
    return Timestamps.format(clock.instant());
  }
}
