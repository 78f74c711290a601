package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.sign.PublicKeys;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FDMS Fiscal Device Gateway client (SPEC §4): the public routes without a client certificate and
 * the device routes over mutual TLS with the device certificate and key held in memory. Every call sends
 * {@code DeviceModelName} and the model version header, times out after the configured ≥ 30 s, and turns
 * failures into {@link FiscalException}s: AUTHORITY_UNAVAILABLE (network, timeout, 500/502 — retry
 * later; {@code details.timeout} when the call may have been processed), CERTIFICATE_INVALID (401),
 * AUTHORITY_REFUSED or ACTIVATION_KEY_REJECTED (4xx ProblemDetails, ZIMRA's code in {@code details.zimraCode}).
 */
public final class FdmsClient implements AutoCloseable {
  private volatile Instant lastServerDate;
  private static final Logger log = LoggerFactory.getLogger(FdmsClient.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  /** Wire JSON: fields in insertion order, decimals as plain text (never 1E+3). */
  public static final ObjectMapper WIRE = JsonMapper.builder()
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

  private final ZimraSettings settings;
  private final long deviceId;
  private final OkHttpClient http;
  private final boolean mutualTls;

  private FdmsClient(ZimraSettings settings, long deviceId, OkHttpClient http, boolean mutualTls) {
    this.settings = settings;
    this.deviceId = deviceId;
    this.http = http;
    this.mutualTls = mutualTls;
  }

  /** A client for the {@code /Public/} routes only (verify, register, server certificate). */
  public static FdmsClient publicClient(ZimraSettings settings, long deviceId) {
    return new FdmsClient(settings, deviceId, build(settings, null, null), false);
  }

  /**
   * A client for every route, presenting {@code certificate} with {@code key}. The certificate is
   * checked first: one that is expired, not yet valid, or not issued for this device and key is
   * reported (CERTIFICATE_INVALID) and never used.
   */
  public static FdmsClient deviceClient(ZimraSettings settings, long deviceId, X509Certificate certificate,
      PrivateKey key, PublicKey devicePublicKey, Clock clock) {
    if (settings.plainHttp()) {
      // sandbox test double over plain http: there is no TLS to present a certificate on
      return new FdmsClient(settings, deviceId, build(settings, null, null), false);
    }
    checkCertificate(certificate, deviceId, devicePublicKey, clock.instant());
    return new FdmsClient(settings, deviceId, build(settings, key, List.of(certificate)), true);
  }

  /** Refuses a device certificate that is expired, not yet valid, or issued for another device or key. */
  public static void checkCertificate(X509Certificate cert, long deviceId, PublicKey devicePublicKey, Instant now) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("subject", cert.getSubjectX500Principal().getName());
    details.put("notAfter", cert.getNotAfter().toInstant().toString());
    if (now.isAfter(cert.getNotAfter().toInstant())) {
      throw new FiscalException(ErrorCode.CERTIFICATE_INVALID, "the device certificate expired on "
          + cert.getNotAfter().toInstant() + "; FDMS answers 401 to it. An expired certificate cannot be renewed "
          + "over mutual TLS: re-register the device (fiscalctl device register)", details);
    }
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      throw new FiscalException(ErrorCode.CERTIFICATE_INVALID, "the device certificate is not valid before "
          + cert.getNotBefore().toInstant() + "; check the till's clock", details);
    }
    if (devicePublicKey != null && !java.util.Arrays.equals(cert.getPublicKey().getEncoded(),
        devicePublicKey.getEncoded())) {
      details.put("devicePublicKey", PublicKeys.fingerprint(devicePublicKey));
      throw new FiscalException(ErrorCode.CERTIFICATE_INVALID, "the stored certificate was not issued for this "
          + "device's key; re-register the device", details);
    }
    String subject = cert.getSubjectX500Principal().getName();
    if (!subject.contains(String.format("%010d", deviceId)) && !subject.contains("-" + deviceId)) {
      throw new FiscalException(ErrorCode.CERTIFICATE_INVALID, "the stored certificate (" + subject
          + ") was not issued for device " + deviceId, details);
    }
  }

  private static OkHttpClient build(ZimraSettings settings, PrivateKey key, List<X509Certificate> chain) {
    Duration timeout = Duration.ofSeconds(settings.timeoutSeconds());
    OkHttpClient.Builder b = new OkHttpClient.Builder()
        .connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).callTimeout(timeout.multipliedBy(2))
        // the sync engine decides about retries: it resends the identical receipt itself
        .retryOnConnectionFailure(false)
        .followRedirects(false);
    if (!settings.plainHttp()) {
      X509TrustManager trust = FdmsTls.trustManager(settings.trustedCaPem());
      SSLContext ctx = FdmsTls.context(key, chain, trust);
      b.sslSocketFactory(ctx.getSocketFactory(), trust);
      if (key instanceof SignerTlsKey handle && handle.rsa()) {
        // TLS 1.3 signs CertificateVerify with RSA-PSS only; an RSA device signer does PKCS#1 v1.5
        b.connectionSpecs(List.of(new okhttp3.ConnectionSpec.Builder(okhttp3.ConnectionSpec.MODERN_TLS)
            .tlsVersions(okhttp3.TlsVersion.TLS_1_2).build()));
      }
    }
    return b.build();
  }

  public long deviceId() {
    return deviceId;
  }

  public boolean mutualTls() {
    return mutualTls;
  }

  // ---- Public routes (SPEC §4.1, §4.2, §4.12): no client certificate ----

  public JsonNode verifyTaxpayerInformation(String activationKey, String deviceSerialNo) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("activationKey", activationKey);
    body.put("deviceSerialNo", deviceSerialNo);
    return post("VerifyTaxpayerInformation", "/Public/v1/" + deviceId + "/VerifyTaxpayerInformation", body);
  }

  public JsonNode registerDevice(String csrPem, String activationKey) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("certificateRequest", csrPem);
    body.put("activationKey", activationKey);
    return post("RegisterDevice", "/Public/v1/" + deviceId + "/RegisterDevice", body);
  }

  /** The FDMS signing certificate chain; {@code thumbprint} (SHA-1 hex) selects one, null the current. */
  public JsonNode getServerCertificate(String thumbprint) {
    HttpUrl.Builder url = url("/Public/v1/GetServerCertificate").newBuilder();
    if (thumbprint != null) {
      url.addQueryParameter("thumbprint", thumbprint);
    }
    return execute("GetServerCertificate", request(url.build()).get().build());
  }

  // ---- Device routes (mutual TLS) ----

  public JsonNode issueCertificate(String csrPem) {
    return post("IssueCertificate", device("IssueCertificate"), Map.of("certificateRequest", csrPem));
  }

  public JsonNode getConfig() {
    return get("GetConfig", device("GetConfig"));
  }

  public JsonNode getStatus() {
    return get("GetStatus", device("GetStatus"));
  }

  public JsonNode openDay(Map<String, Object> body) {
    return post("OpenDay", device("OpenDay"), body);
  }

  /** submitReceipt with {@code {"receipt": receipt}}; resending the identical receipt is safe (SPEC §4.7). */
  public JsonNode submitReceipt(Map<String, Object> receipt) {
    return post("SubmitReceipt", device("SubmitReceipt"), Map.of("receipt", receipt));
  }

  /** closeDay is asynchronous: the answer is an accept; poll {@link #getStatus}. */
  public JsonNode closeDay(Map<String, Object> body) {
    return post("CloseDay", device("CloseDay"), body);
  }

  /** FDMS's clock as of the last answer: its HTTP Date header (whole seconds), if it sent one. */
  public java.util.Optional<Instant> lastServerDate() {
    return java.util.Optional.ofNullable(lastServerDate);
  }

  public JsonNode ping() {
    return post("Ping", device("Ping"), Map.of());
  }

  /** submitFile (Offline-mode devices, SPEC §4.9): the Base64 file as a text body or a multipart form. */
  public JsonNode submitFile(String base64File) {
    RequestBody body = settings.submitFileTransport() == ZimraSettings.FileTransport.TEXT
        ? RequestBody.create(base64File, MediaType.get("text/plain; charset=utf-8"))
        : new MultipartBody.Builder().setType(MultipartBody.FORM).addFormDataPart("file", "fiscal-day.json",
            RequestBody.create(base64File, MediaType.get("application/octet-stream"))).build();
    return execute("SubmitFile", request(url(device("SubmitFile"))).post(body).build());
  }

  /** SubmittedFileList (SPEC §4.10) for one operation, or the latest files when {@code operationId} is null. */
  public JsonNode getFileStatus(String operationId, int offset, int limit) {
    return getFileStatus(operationId, offset, limit, null, null);
  }

  /**
   * SubmittedFileList (SPEC §4.10) filtered by operation and upload time (local, {@code yyyy-MM-ddTHH:mm:ss};
   * the span may not exceed 100 days); null filters are left out.
   */
  public JsonNode getFileStatus(String operationId, int offset, int limit, String uploadedFrom, String uploadedTill) {
    HttpUrl.Builder url = url(device("SubmittedFileList")).newBuilder()
        .addQueryParameter("Offset", Integer.toString(offset)).addQueryParameter("Limit", Integer.toString(limit));
    if (operationId != null) {
      url.addQueryParameter("OperationID", operationId);
    }
    if (uploadedFrom != null) {
      url.addQueryParameter("FileUploadedFrom", uploadedFrom);
    }
    if (uploadedTill != null) {
      url.addQueryParameter("FileUploadedTill", uploadedTill);
    }
    return execute("SubmittedFileList", request(url.build()).get().build());
  }

  private String device(String route) {
    return "/Device/v1/" + deviceId + "/" + route;
  }

  private HttpUrl url(String path) {
    HttpUrl url = HttpUrl.parse(settings.baseUrl() + path);
    if (url == null) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "not a usable FDMS URL: " + settings.baseUrl(),
          Map.of("field", "url"));
    }
    return url;
  }

  private Request.Builder request(HttpUrl url) {
    return new Request.Builder().url(url)
        .header("DeviceModelName", settings.deviceModelName())
        .header(settings.versionHeaderName(), settings.deviceModelVersion())
        .header("Accept", "application/json");
  }

  private JsonNode get(String route, String path) {
    return execute(route, request(url(path)).get().build());
  }

  private JsonNode post(String route, String path, Object body) {
    byte[] json;
    try {
      json = WIRE.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new FiscalException(ErrorCode.INTERNAL, "cannot write the " + route + " request: " + e.getMessage());
    }
    return execute(route, request(url(path)).post(RequestBody.create(json, JSON)).build());
  }

  private JsonNode execute(String route, Request request) {
    try (Response response = http.newCall(request).execute()) {
      java.util.Date date = response.headers().getDate("Date");
      if (date != null) {
        lastServerDate = date.toInstant();
      }
      String text = response.body().string();
      JsonNode body = parse(text);
      log.debug("FDMS {} -> {} operationID {}", route, response.code(), body.path("operationID").asText(""));
      if (response.isSuccessful()) {
        return body;
      }
      throw failure(route, response.code(), body, text);
    } catch (IOException e) {
      boolean timeout = e instanceof SocketTimeoutException || e instanceof InterruptedIOException;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("route", route);
      details.put("reason", e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      details.put("timeout", timeout);
      throw new FiscalException(ErrorCode.AUTHORITY_UNAVAILABLE, "FDMS " + route + " did not answer ("
          + details.get("reason") + ")" + (timeout ? "; it may have been processed, so the identical request is retried"
          : ""), details);
    }
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return WIRE.createObjectNode();
    }
    try {
      return WIRE.readTree(text);
    } catch (JsonProcessingException e) {
      return WIRE.createObjectNode().put("detail", text.length() > 300 ? text.substring(0, 300) : text);
    }
  }

  /** ProblemDetails (SPEC §8) to our error shape, ZIMRA's own code carried in details. */
  private static FiscalException failure(String route, int status, JsonNode problem, String text) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("route", route);
    details.put("httpStatus", status);
    String code = problem.path("errorCode").asText(null);
    if (code != null) {
      details.put("zimraCode", code);
    }
    for (String f : new String[] {"title", "detail", "operationID"}) {
      if (problem.hasNonNull(f)) {
        details.put(f, problem.get(f).asText());
      }
    }
    String what = problem.path("detail").asText(problem.path("title").asText("HTTP " + status));
    if (status >= 500) {
      // ZIMRA §8.1: 500 / 502 mean retry later
      return new FiscalException(ErrorCode.AUTHORITY_UNAVAILABLE, "FDMS " + route + " failed with HTTP " + status
          + " (" + what + "); retrying later", details);
    }
    if (status == 401) {
      return new FiscalException(ErrorCode.CERTIFICATE_INVALID, "FDMS refused the device certificate on " + route
          + " (HTTP 401: " + what + "); renew it (fiscalctl device renew-cert) or re-register", details);
    }
    if ("DEV02".equals(code)) {
      return new FiscalException(ErrorCode.ACTIVATION_KEY_REJECTED, "FDMS says the activation key is not correct for"
          + " this device (DEV02); check the deviceID and the 8-character key from the ZIMRA portal", details);
    }
    return new FiscalException(ErrorCode.AUTHORITY_REFUSED, "FDMS refused " + route + (code == null ? "" : " with "
        + code) + ": " + what, details);
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
