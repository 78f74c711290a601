package io.fiscald.sim.zimra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fiscald.sim.zimra.internal.Config;
import io.fiscald.sim.zimra.internal.FdmsService;
import io.fiscald.sim.zimra.internal.Json;
import io.fiscald.sim.zimra.internal.Pki;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ZIMRA FDMS Fiscal Device Gateway stand-in: a real HTTPS server on loopback with its own CA, speaking the
 * gateway's paths, JSON and ProblemDetails errors (ZIMRA sheet §1–2, §14), for tests and for
 * {@code fiscalctl sim zimra}.
 *
 * <p>What it does, to the letter of the sheet: issues device certificates from PKCS#10 CSRs whose subject follows
 * §3; requires that certificate (mutual TLS, issued by its CA, unexpired by the simulator's clock, issued to the
 * {@code deviceID} in the URL) on every {@code /Device/v1/...} route, else 401; keeps taxpayer, device, day and
 * receipt state; recomputes every receipt's device signature string and previous-receipt hash chain (§8) and
 * applies RCPT010…RCPT048 with their colours (§14); answers submitReceipt with a server signature (§10.1) made with
 * its own FDMS key, whose certificate getServerCertificate serves; is idempotent on deviceID + receiptGlobalNo +
 * hash; closes days asynchronously (FiscalDayCloseInitiated, then FiscalDayClosed or FiscalDayCloseFailed with
 * BadCertificateSignature, MissingReceipts, ReceiptsWithValidationErrors or CountersMismatch, §5, §10.2); accepts
 * offline files (§15). It misbehaves on demand through {@link #faults()}.
 *
 * <p>Typical test use:
 * <pre>{@code
 * try (FdmsSimulator sim = FdmsSimulator.start(FdmsSimulator.Options.defaults())) {
 *   sim.addDevice(FdmsDevice.builder(30199, "SN-001", "ABC12345").build());
 *   // client: trust sim.trustStore() (or sim.caCertificatePem()), call sim.baseUrl() + "/Public/v1/30199/..."
 *   sim.faults().failNext(FdmsRoute.SUBMIT_RECEIPT, 2, 500);
 *   ...
 *   sim.awaitDayStatus(30199, 1, FdmsDayView.Status.CLOSED, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class FdmsSimulator implements AutoCloseable {

  /** How ECDSA device signatures must be encoded to verify (sheet §8, §19: DER default). */
  public enum EcdsaEncoding { DER, RAW, EITHER }

  /** Which names SubmittedFileList uses for file processing statuses (sheet §15 [conflict]). */
  public enum FileStatusNaming { SWAGGER, SPEC }

  /** Start-up settings of a simulator; immutable, built with {@link #builder()} or taken as {@link #defaults()}. */
  public static final class Options {
    final String host;
    final int port;
    final Clock clock;
    final Path caDirectory;
    final Path stateFile;
    final FiscalCounterOrder counterOrder;
    final EcdsaEncoding ecdsaEncoding;
    final RoundingMode roundingMode;
    final String csrCommonNameTemplate;
    final List<String> versionHeaderNames;
    final boolean requireModelHeaders;
    final int reportingFrequencyMinutes;
    final int taxPayerDayMaxHrs;
    final int taxpayerDayEndNotificationHrs;
    final String qrUrl;
    final Duration certificateValidity;
    final Duration closeDelay;
    final Duration futureTolerance;
    final String serverKeyAlgorithm;
    final FileStatusNaming fileStatusNaming;
    final int maxFileBytes;

    private Options(Builder b) {
      host = b.host;
      port = b.port;
      clock = b.clock;
      caDirectory = b.caDirectory;
      stateFile = b.stateFile;
      counterOrder = b.counterOrder;
      ecdsaEncoding = b.ecdsaEncoding;
      roundingMode = b.roundingMode;
      csrCommonNameTemplate = b.csrCommonNameTemplate;
      versionHeaderNames = List.copyOf(b.versionHeaderNames);
      requireModelHeaders = b.requireModelHeaders;
      reportingFrequencyMinutes = b.reportingFrequencyMinutes;
      taxPayerDayMaxHrs = b.taxPayerDayMaxHrs;
      taxpayerDayEndNotificationHrs = b.taxpayerDayEndNotificationHrs;
      qrUrl = b.qrUrl;
      certificateValidity = b.certificateValidity;
      closeDelay = b.closeDelay;
      futureTolerance = b.futureTolerance;
      serverKeyAlgorithm = b.serverKeyAlgorithm;
      fileStatusNaming = b.fileStatusNaming;
      maxFileBytes = b.maxFileBytes;
    }

    /** Loopback, an ephemeral port, the system clock, a fresh CA, in-memory state, the sheet's defaults. */
    public static Options defaults() {
      return builder().build();
    }

    public static Builder builder() {
      return new Builder();
    }

    /** Fluent builder of {@link Options}. */
    public static final class Builder {
      private String host = "127.0.0.1";
      private int port;
      private Clock clock = Clock.systemDefaultZone();
      private Path caDirectory;
      private Path stateFile;
      private FiscalCounterOrder counterOrder = FiscalCounterOrder.RECOMMENDED;
      private EcdsaEncoding ecdsaEncoding = EcdsaEncoding.DER;
      private RoundingMode roundingMode = RoundingMode.HALF_UP;
      private String csrCommonNameTemplate = "ZIMRA-{serialNo}-{deviceID10}";
      private List<String> versionHeaderNames = List.of("DeviceModelVersion", "DeviceModelVersionNo");
      private boolean requireModelHeaders = true;
      private int reportingFrequencyMinutes = 5;
      private int taxPayerDayMaxHrs = 24;
      private int taxpayerDayEndNotificationHrs = 2;
      private String qrUrl = "https://fdmstest.zimra.co.zw";
      private Duration certificateValidity = Duration.ofDays(365);
      private Duration closeDelay = Duration.ofMillis(200);
      private Duration futureTolerance = Duration.ofMinutes(5);
      private String serverKeyAlgorithm = "EC";
      private FileStatusNaming fileStatusNaming = FileStatusNaming.SWAGGER;
      private int maxFileBytes = 3 * 1024 * 1024;

      /** Address to listen on (default 127.0.0.1). */
      public Builder host(String v) { host = Objects.requireNonNull(v); return this; }
      /** Port to listen on; 0 (default) picks a free one. */
      public Builder port(int v) { port = v; return this; }
      /** The simulator's clock and zone: certificate validity, serverDate, RCPT031/RCPT041 use it. */
      public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }
      /** Load the CA and FDMS signing key from this directory, creating them there on first use (standalone). */
      public Builder caDirectory(Path v) { caDirectory = v; return this; }
      /** Keep devices, certificates, days and receipts in this JSON file across restarts (standalone). */
      public Builder stateFile(Path v) { stateFile = v; return this; }
      /** Counter order used to rebuild the fiscal-day signature string (sheet §10.2). */
      public Builder counterOrder(FiscalCounterOrder v) { counterOrder = Objects.requireNonNull(v); return this; }
      /** Accepted ECDSA signature encoding (default DER). */
      public Builder ecdsaEncoding(EcdsaEncoding v) { ecdsaEncoding = Objects.requireNonNull(v); return this; }
      /** Rounding of tax amounts when checking RCPT026/RCPT027 (default HALF_UP, sheet §7). */
      public Builder roundingMode(RoundingMode v) { roundingMode = Objects.requireNonNull(v); return this; }
      /** Required CSR CN; placeholders {serialNo}, {deviceID}, {deviceID10} (default ZIMRA-{serialNo}-{deviceID10}). */
      public Builder csrCommonNameTemplate(String v) { csrCommonNameTemplate = Objects.requireNonNull(v); return this; }
      /** Header names accepted for the model version (sheet §1 [conflict]; default both). */
      public Builder versionHeaderNames(List<String> v) { versionHeaderNames = v; return this; }
      /** When true (default) a call without DeviceModelName or a version header is refused with DEV06. */
      public Builder requireModelHeaders(boolean v) { requireModelHeaders = v; return this; }
      public Builder reportingFrequencyMinutes(int v) { reportingFrequencyMinutes = v; return this; }
      public Builder taxPayerDayMaxHrs(int v) { taxPayerDayMaxHrs = v; return this; }
      public Builder taxpayerDayEndNotificationHrs(int v) { taxpayerDayEndNotificationHrs = v; return this; }
      /** getConfig qrUrl (default the test environment's https://fdmstest.zimra.co.zw). */
      public Builder qrUrl(String v) { qrUrl = Objects.requireNonNull(v); return this; }
      /** Lifetime of issued device certificates (default 365 days). */
      public Builder certificateValidity(Duration v) { certificateValidity = Objects.requireNonNull(v); return this; }
      /** How long an accepted closeDay stays FiscalDayCloseInitiated before it is validated (default 200 ms). */
      public Builder closeDelay(Duration v) { closeDelay = Objects.requireNonNull(v); return this; }
      /** How far in the future a receiptDate may be before RCPT031 (default 5 minutes). */
      public Builder futureTolerance(Duration v) { futureTolerance = Objects.requireNonNull(v); return this; }
      /** Key type of the FDMS signing key: "EC" (P-256, default) or "RSA" (2048). */
      public Builder serverKeyAlgorithm(String v) { serverKeyAlgorithm = Objects.requireNonNull(v); return this; }
      public Builder fileStatusNaming(FileStatusNaming v) { fileStatusNaming = Objects.requireNonNull(v); return this; }
      /** Largest accepted offline file as uploaded, the Base64 text (default 3 MB, FILE01). */
      public Builder maxFileBytes(int v) { maxFileBytes = v; return this; }

      public Options build() {
        return new Options(this);
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(FdmsSimulator.class);

  static {
    // The JDK server writes a reply's headers and body separately; with Nagle on, the body waits for the
    // client's delayed ACK (40 ms on Linux loopback) on every call. Read once, when the JDK server first
    // loads, so it is set before any server is created; an explicit -Dsun.net.httpserver.nodelay=false wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Options options;
  private final FdmsFaults faults;
  private final Pki pki;
  private final FdmsService service;
  private final SSLContext serverContext;
  /** The TLS parameters every connection gets, built once: building a context per handshake costs a PKCS#12 load. */
  private final SSLParameters connectionParameters;
  private final ExecutorService executor;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final InetSocketAddress address;
  private final Object serverLock = new Object();
  private HttpsServer server;

  private FdmsSimulator(Options options) throws IOException {
    this.options = options;
    this.faults = new FdmsFaults(this::setRefusing);
    this.pki = options.caDirectory != null
        ? Pki.loadOrCreate(options.caDirectory, options.serverKeyAlgorithm, options.host)
        : Pki.generate(options.serverKeyAlgorithm, options.host);
    Config cfg = new Config(options.clock, options.counterOrder, options.ecdsaEncoding, options.roundingMode,
        options.csrCommonNameTemplate, options.versionHeaderNames, options.requireModelHeaders,
        options.reportingFrequencyMinutes, options.taxPayerDayMaxHrs, options.taxpayerDayEndNotificationHrs,
        options.qrUrl, options.certificateValidity, options.closeDelay, options.futureTolerance,
        options.fileStatusNaming == FileStatusNaming.SPEC, options.maxFileBytes, options.stateFile);
    this.service = new FdmsService(cfg, pki, faults::holdingDayCloses, faults::takeForcedCloseFailure);
    SSLContext good = pki.serverContext();
    this.serverContext = new SwitchingContext(good, pki.rogueServerContext(), faults);
    this.connectionParameters = good.getDefaultSSLParameters();
    // sheet §1: the client certificate is checked per route (401), so it is wanted, not required
    this.connectionParameters.setWantClientAuth(true);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fdms-sim-http");
      t.setDaemon(true);
      return t;
    });
    HttpsServer first = bind(new InetSocketAddress(options.host, options.port));
    this.address = new InetSocketAddress(options.host, first.getAddress().getPort());
    this.server = first;
  }

  /** Starts a simulator with {@link Options#defaults()}. */
  public static FdmsSimulator start() throws IOException {
    return start(Options.defaults());
  }

  /** Generates (or loads) the CA and keys, binds the port and starts serving. */
  public static FdmsSimulator start(Options options) throws IOException {
    FdmsSimulator sim = new FdmsSimulator(Objects.requireNonNull(options));
    LOG.info("FDMS simulator listening on {}", sim.baseUrl());
    return sim;
  }

  private HttpsServer bind(InetSocketAddress at) throws IOException {
    HttpsServer s = HttpsServer.create(at, 50);
    s.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
      @Override
      public void configure(HttpsParameters params) {
        params.setSSLParameters(connectionParameters);
      }
    });
    s.setExecutor(executor);
    s.createContext("/", this::handle);
    s.start();
    return s;
  }

  private void setRefusing(boolean refuse) {
    synchronized (serverLock) {
      if (closed.getCount() == 0) {
        return;
      }
      if (refuse && server != null) {
        server.stop(0);
        server = null;
      } else if (!refuse && server == null) {
        try {
          server = bind(address);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot listen again on " + address, e);
        }
      }
    }
  }

  /** {@code https://HOST:PORT}: the gateway base URL to configure in a client. */
  public String baseUrl() {
    String host = address.getHostString();
    return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** {@code https://HOST:PORT/Public/v1}: the base of the routes that need no client certificate. */
  public String publicUrl() {
    return baseUrl() + "/Public/v1";
  }

  /** {@code https://HOST:PORT/Device/v1/{deviceID}}: the base of a device's mutual-TLS routes. */
  public String deviceUrl(int deviceID) {
    return baseUrl() + "/Device/v1/" + deviceID;
  }

  /** The qrUrl getConfig serves (receipt verification portal base). */
  public String qrUrl() {
    return options.qrUrl;
  }

  /** The port the simulator listens on (stable across {@link FdmsFaults#refuseConnections}). */
  public int port() {
    return address.getPort();
  }

  /** The options the simulator was started with. */
  public Options options() {
    return options;
  }

  /** The simulator CA certificate (issuer of the TLS server certificate and of device certificates), PEM. */
  public String caCertificatePem() {
    return Pki.pem(pki.caCertificate());
  }

  /** The simulator CA certificate. */
  public X509Certificate caCertificate() {
    return pki.caCertificate();
  }

  /** A PKCS#12 trust store (loaded, no password) holding only the CA certificate, alias "fdms-ca". */
  public KeyStore trustStore() {
    return pki.trustStore();
  }

  /** A client SSLContext that trusts the CA and presents no client certificate (for /Public routes). */
  public SSLContext clientSslContext() {
    return pki.clientContext();
  }

  /** The FDMS signing certificate (signs receipts and days, §10), as getServerCertificate serves it. */
  public X509Certificate fdmsCertificate() {
    return pki.fdmsCertificate();
  }

  /** The FDMS signing certificate, PEM. */
  public String fdmsCertificatePem() {
    return Pki.pem(pki.fdmsCertificate());
  }

  /** SHA-1 thumbprint of the FDMS signing certificate, lower-case hex (SignatureDataEx.certificateThumbprint). */
  public String fdmsCertificateThumbprint() {
    return Pki.thumbprint(pki.fdmsCertificate());
  }

  /** The CSR subject CN the simulator requires of this device (sheet §3, from the configured template). */
  public String expectedCommonName(FdmsDevice device) {
    return service.expectedCommonName(device);
  }

  /**
   * Registers a device on the "portal" (before registerDevice), or updates the registration data of a known one
   * (taxes, VAT number, operating mode, activity) keeping its certificates, days and receipts.
   */
  public void addDevice(FdmsDevice device) {
    service.addDevice(Objects.requireNonNull(device));
  }

  /** The registration data of a device, if known. */
  public Optional<FdmsDevice> device(int deviceID) {
    return service.device(deviceID);
  }

  /** Every certificate issued to the device (registerDevice, issueCertificate), oldest first. */
  public List<X509Certificate> deviceCertificates(int deviceID) {
    return service.deviceCertificates(deviceID);
  }

  /** The fault switchboard. */
  public FdmsFaults faults() {
    return faults;
  }

  /**
   * Uploads a day file (Base64, as submitFile takes it) on the self-service portal: processed like submitFile,
   * but absent from the device's file list, so the device's own upload of that day later gets FILE04.
   */
  public String uploadOnPortal(int deviceID, String base64File) {
    return service.uploadOnPortal(deviceID, base64File);
  }

  /** One fiscal day of a device, if opened on the simulator. */
  public Optional<FdmsDayView> day(int deviceID, int fiscalDayNo) {
    return days(deviceID).stream().filter(d -> d.fiscalDayNo() == fiscalDayNo).findFirst();
  }

  /** The device's latest fiscal day, if any. */
  public Optional<FdmsDayView> currentDay(int deviceID) {
    List<FdmsDayView> all = days(deviceID);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Every fiscal day of a device, oldest first. */
  public List<FdmsDayView> days(int deviceID) {
    return service.days(deviceID);
  }

  /** Every receipt received from a device, in arrival order. */
  public List<FdmsReceiptView> receipts(int deviceID) {
    return service.receipts(deviceID, null);
  }

  /** The receipts received for one fiscal day, in receiptCounter order. */
  public List<FdmsReceiptView> receipts(int deviceID, int fiscalDayNo) {
    return service.receipts(deviceID, fiscalDayNo);
  }

  /** How many calls of a route reached the simulator (including failed and faulted ones). */
  public int calls(FdmsRoute route) {
    return service.calls(route);
  }

  /** Waits until the day reaches {@code status}; returns it. Wakes on every state change, never polls blindly. */
  public FdmsDayView awaitDayStatus(int deviceID, int fiscalDayNo, FdmsDayView.Status status, Duration timeout)
      throws InterruptedException, TimeoutException {
    try {
      service.await(() -> day(deviceID, fiscalDayNo).map(d -> d.status() == status).orElse(false), timeout);
    } catch (TimeoutException e) {
      throw new TimeoutException("device " + deviceID + " day " + fiscalDayNo + " did not reach " + status
          + " within " + timeout + "; it is " + day(deviceID, fiscalDayNo).orElse(null));
    }
    return day(deviceID, fiscalDayNo).orElseThrow();
  }

  /** Waits until {@code condition} holds; re-checked after every call and every state change. */
  public void await(BooleanSupplier condition, Duration timeout) throws InterruptedException, TimeoutException {
    service.await(condition, timeout);
  }

  /** Stops listening, ends stalled calls and background closes, saves the state file if any. */
  @Override
  public void close() {
    synchronized (serverLock) {
      closed.countDown();
      if (server != null) {
        server.stop(0);
        server = null;
      }
    }
    service.shutdown();
    executor.shutdownNow();
  }

  // ------------------------------------------------------------------------------------------------ transport

  private void handle(HttpExchange ex) throws IOException {
    try {
      serve(ex);
    } catch (IOException | RuntimeException e) {
      LOG.debug("FDMS simulator: exchange ended early", e);
      ex.close();
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    String[] seg = ex.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
    FdmsRoute route = null;
    Integer deviceID = null;
    boolean publicArea = seg.length >= 2 && seg[0].equalsIgnoreCase("Public") && seg[1].equalsIgnoreCase("v1");
    boolean deviceArea = seg.length >= 2 && seg[0].equalsIgnoreCase("Device") && seg[1].equalsIgnoreCase("v1");
    if (publicArea && seg.length == 3) {
      route = FdmsRoute.ofPathName(seg[2]);
      if (route != FdmsRoute.GET_SERVER_CERTIFICATE) {
        route = null;
      }
    } else if ((publicArea || deviceArea) && seg.length == 4 && seg[2].matches("\\d{1,9}")) {
      route = FdmsRoute.ofPathName(seg[3]);
      deviceID = Integer.valueOf(seg[2]);
      if (route != null && (route.deviceRoute() != deviceArea || route == FdmsRoute.GET_SERVER_CERTIFICATE)) {
        route = null;
      }
    }
    String op = service.newOperationID();
    if (route == null) {
      send(ex, 404, FdmsService.problemBody(404, "Not Found", null,
          "no gateway route " + ex.getRequestURI().getPath(), op));
      return;
    }
    service.countCall(route);
    boolean get = route == FdmsRoute.GET_CONFIG || route == FdmsRoute.GET_STATUS
        || route == FdmsRoute.SUBMITTED_FILE_LIST || route == FdmsRoute.GET_SERVER_CERTIFICATE;
    if (!ex.getRequestMethod().equals(get ? "GET" : "POST")) {
      send(ex, 405, FdmsService.problemBody(405, "Method Not Allowed", null,
          route.pathName() + " takes " + (get ? "GET" : "POST"), op));
      return;
    }
    byte[] body = ex.getRequestBody().readAllBytes();
    X509Certificate client = null;
    if (ex instanceof HttpsExchange https) {
      try {
        Certificate[] peer = https.getSSLSession().getPeerCertificates();
        if (peer.length > 0 && peer[0] instanceof X509Certificate x) {
          client = x;
        }
      } catch (SSLPeerUnverifiedException none) {
        // no client certificate: the device routes answer 401
      }
    }
    Headers headers = ex.getRequestHeaders();
    FdmsService.Call call = new FdmsService.Call(route, ex.getRequestMethod(), deviceID, headers::getFirst,
        query(ex.getRequestURI().getRawQuery()), body, headers.getFirst("Content-Type"), client,
        ex.getRemoteAddress().getAddress().getHostAddress());

    FdmsFaults.Fault fault = faults.take(route);
    if (fault != null) {
      LOG.info("FDMS simulator: fault {} on {}", fault.kind(), route);
    }
    FdmsFaults.Kind kind = fault == null ? null : fault.kind();
    if (kind == FdmsFaults.Kind.FAIL_STATUS) {
      send(ex, fault.status(), FdmsService.problemBody(fault.status(),
          fault.status() == 502 ? "Bad Gateway" : "Server error", null, "simulated fault", op));
      return;
    }
    if (kind == FdmsFaults.Kind.STALL_BEFORE && !pause(fault.stall())) {
      ex.close();
      return;
    }
    FdmsService.Reply reply = service.handle(call);
    if (kind == FdmsFaults.Kind.DUPLICATE) {
      reply = service.handle(call);
    }
    if (kind == FdmsFaults.Kind.DROP_AFTER_COMMIT) {
      // committed; the connection closes without a status line
      ex.close();
      return;
    }
    if (kind == FdmsFaults.Kind.STALL_AFTER_COMMIT && !pause(fault.stall())) {
      ex.close();
      return;
    }
    send(ex, reply.status(), reply.body());
  }

  /** Waits {@code d} unless the simulator closes first; false when it closed. */
  private boolean pause(Duration d) {
    try {
      return !closed.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    boolean problem = status >= 400;
    ex.getResponseHeaders().set("Content-Type",
        (problem ? "application/problem+json" : "application/json") + "; charset=utf-8");
    if (body.hasNonNull("operationID")) {
      ex.getResponseHeaders().set("operationId", body.get("operationID").asText());
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  /** An SSLContext whose engines come from the good context, or from the rogue one while a TLS fault is armed. */
  private static final class SwitchingContext extends SSLContext {
    SwitchingContext(SSLContext good, SSLContext rogue, FdmsFaults faults) {
      super(new SSLContextSpi() {
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
          throw new UnsupportedOperationException("already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
          return good.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
          return good.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
          return (faults.takeTlsFailure() ? rogue : good).createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
          return (faults.takeTlsFailure() ? rogue : good).createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
          return good.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
          return good.getClientSessionContext();
        }
      }, good.getProvider(), good.getProtocol());
    }
  }
}
