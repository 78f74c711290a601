package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/**
 * How this device talks to FDMS: where, as which model, and every point the protocol sheet marks
 * unconfirmed or in conflict (sheet §19), each with the recommended default. Stored as JSON in
 * {@code authority_state (zimra, settings)}.
 *
 * @param baseUrl gateway base, e.g. {@code https://fdmsapitest.zimra.co.zw}; {@code http://} only for sandbox test doubles
 * @param deviceSerialNo the serial registered with ZIMRA (printed, and in the CSR CN)
 * @param versionHeaderName {@code DeviceModelVersion} (SWAGGER, default) or {@code DeviceModelVersionNo} (SPEC §4)
 * @param csrCommonNameTemplate placeholders {serialNo}, {deviceID}, {deviceID10}
 * @param csrOptionalSubject add C=ZW, O=Zimbabwe Revenue Authority, ST=Zimbabwe to the CSR subject
 * @param roundingMode decimal amounts to cents (signature debugger); fiscald's own amounts are already cents
 * @param timeZone the local time of receiptDate and fiscalDayOpened (no zone on the wire)
 * @param trustedCaPem extra trust anchors for the gateway's TLS certificate (a test gateway's own CA), or null
 * @param renewBeforeDays renew the certificate this many days before certificateValidTill
 * @param offlineFileMaxBytes the largest offline day file (Base64 text) sent with submitFile; 3 MB (SPEC §4.9)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ZimraSettings(
    String baseUrl,
    String environment,
    String deviceSerialNo,
    String deviceModelName,
    String deviceModelVersion,
    String versionHeaderName,
    String csrCommonNameTemplate,
    boolean csrOptionalSubject,
    EcdsaEncoding ecdsaEncoding,
    RoundingMode roundingMode,
    CounterOrder counterOrder,
    QrDataSource qrDataSource,
    FileTransport submitFileTransport,
    int timeoutSeconds,
    String timeZone,
    String trustedCaPem,
    int renewBeforeDays,
    int offlineFileMaxBytes) {

  public static final String TEST_URL = "https://fdmsapitest.zimra.co.zw";
  public static final String PRODUCTION_URL = "https://fdmsapi.zimra.co.zw";
  /** ZIMRA §7.4: every synchronous call may take up to 30 s. */
  public static final int MIN_TIMEOUT_SECONDS = 30;

  /** submitFile body: SWAGGER's text body or SPEC's multipart form (sheet §15 [conflict]). */
  public enum FileTransport { TEXT, MULTIPART }

  public ZimraSettings {
    environment = environment == null ? "sandbox" : environment;
    baseUrl = baseUrl == null ? ("production".equals(environment) ? PRODUCTION_URL : TEST_URL) : stripSlash(baseUrl);
    deviceModelName = blank(deviceModelName) ? "fiscald" : deviceModelName;
    deviceModelVersion = blank(deviceModelVersion) ? "0.1.0" : deviceModelVersion;
    versionHeaderName = blank(versionHeaderName) ? "DeviceModelVersion" : versionHeaderName;
    csrCommonNameTemplate = blank(csrCommonNameTemplate) ? "ZIMRA-{serialNo}-{deviceID10}" : csrCommonNameTemplate;
    ecdsaEncoding = ecdsaEncoding == null ? EcdsaEncoding.DER : ecdsaEncoding;
    roundingMode = roundingMode == null ? RoundingMode.HALF_UP : roundingMode;
    counterOrder = counterOrder == null ? CounterOrder.RECOMMENDED : counterOrder;
    qrDataSource = qrDataSource == null ? QrDataSource.RAW_SIGNATURE : qrDataSource;
    submitFileTransport = submitFileTransport == null ? FileTransport.TEXT : submitFileTransport;
    timeoutSeconds = timeoutSeconds <= 0 ? MIN_TIMEOUT_SECONDS : timeoutSeconds;
    timeZone = blank(timeZone) ? "Africa/Harare" : timeZone;
    renewBeforeDays = renewBeforeDays <= 0 ? 30 : renewBeforeDays;
    offlineFileMaxBytes = offlineFileMaxBytes <= 0 ? ZimraDayFile.MAX_FILE_BYTES : offlineFileMaxBytes;
  }

  /** The recommended settings for a device in {@code environment}, talking to {@code baseUrl} (null: ZIMRA's own). */
  public static ZimraSettings defaults(String environment, String baseUrl, String deviceSerialNo) {
    return new ZimraSettings(baseUrl, environment, deviceSerialNo, null, null, null, null, false, null, null, null,
        null, null, 0, null, null, 0, 0);
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }

  /** A copy talking to another gateway with extra trust anchors (re-registration, tests). */
  public ZimraSettings withBaseUrl(String url, String caPem) {
    return new ZimraSettings(url, environment, deviceSerialNo, deviceModelName, deviceModelVersion, versionHeaderName,
        csrCommonNameTemplate, csrOptionalSubject, ecdsaEncoding, roundingMode, counterOrder, qrDataSource,
        submitFileTransport, timeoutSeconds, timeZone, caPem, renewBeforeDays, offlineFileMaxBytes);
  }

  /** A copy with another receipt/day time zone. */
  public ZimraSettings withTimeZone(String zone) {
    return new ZimraSettings(baseUrl, environment, deviceSerialNo, deviceModelName, deviceModelVersion,
        versionHeaderName, csrCommonNameTemplate, csrOptionalSubject, ecdsaEncoding, roundingMode, counterOrder,
        qrDataSource, submitFileTransport, timeoutSeconds, zone, trustedCaPem, renewBeforeDays, offlineFileMaxBytes);
  }

  /** A copy with another offline file transport and size limit (sheet §15 [conflict]; small limits in tests). */
  public ZimraSettings withOfflineFiles(FileTransport transport, int maxBytes) {
    return new ZimraSettings(baseUrl, environment, deviceSerialNo, deviceModelName, deviceModelVersion,
        versionHeaderName, csrCommonNameTemplate, csrOptionalSubject, ecdsaEncoding, roundingMode, counterOrder,
        qrDataSource, transport, timeoutSeconds, timeZone, trustedCaPem, renewBeforeDays, maxBytes);
  }

  /**
   * Refuses settings that must never run: plain http in production, a timeout under ZIMRA's 30 s, an
   * unknown time zone.
   */
  public ZimraSettings check() {
    String scheme = baseUrl.toLowerCase(Locale.ROOT);
    if (!scheme.startsWith("https://") && !scheme.startsWith("http://")) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the FDMS URL must start with https:// (got " + baseUrl
          + ")", Map.of("field", "url"));
    }
    if (scheme.startsWith("http://") && !"sandbox".equals(environment)) {
      // ZIMRA §7.1: HTTPS only; plain http exists for sandbox test doubles, never for production
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "a production device must talk to FDMS over https:// "
          + "with its client certificate; plain http:// is allowed for sandbox test doubles only",
          Map.of("field", "url", "environment", environment));
    }
    if (timeoutSeconds < MIN_TIMEOUT_SECONDS) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the FDMS timeout must be at least 30 s (ZIMRA §7.4), got "
          + timeoutSeconds + " s", Map.of("field", "timeoutSeconds"));
    }
    if (offlineFileMaxBytes > ZimraDayFile.MAX_FILE_BYTES) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "offline files may be at most 3 MB (SPEC §4.9), got "
          + offlineFileMaxBytes + " bytes", Map.of("field", "offlineFileMaxBytes"));
    }
    try {
      zone();
    } catch (RuntimeException e) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "unknown time zone '" + timeZone + "'",
          Map.of("field", "timeZone"));
    }
    return this;
  }

  /** True for a plain-http sandbox test double: no client certificate is presented. */
  public boolean plainHttp() {
    return baseUrl.toLowerCase(Locale.ROOT).startsWith("http://");
  }

  /** The CSR common name for this device (sheet §3 [conflict]: a template, recommended ZIMRA-{serial}-{id10}). */
  public String csrCommonName(long deviceId) {
    return csrCommonNameTemplate.replace("{serialNo}", deviceSerialNo == null ? "" : deviceSerialNo)
        .replace("{deviceID10}", String.format("%010d", deviceId))
        .replace("{deviceID}", Long.toString(deviceId));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String stripSlash(String url) {
    String u = url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
