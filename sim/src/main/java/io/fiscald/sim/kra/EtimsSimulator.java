package io.fiscald.sim.kra;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A KRA eTIMS server on loopback: OSCU legacy paths, the Apigee gateway with OAuth, and a VSCU path table, all backed
 * by one per-branch ledger that enforces the sheet's rules ({@code /work/shared/protocols/kra-etims.md}).
 *
 * <pre>{@code
 * try (EtimsSimulator sim = EtimsSimulator.start(EtimsSimulator.Options.defaults())) {
 *   sim.registerDevice("P051234567X", "00", "SERIAL-1");          // declared on the "portal"
 *   String oscu = sim.baseUrl(Transport.OSCU);                     // http://127.0.0.1:PORT/etims-api
 *   // … the client calls oscu + "/selectInitOsdcInfo", "/saveItem", "/saveTrnsSalesOsdc" …
 *   sim.faults().timeoutAfterCommit(EtimsEndpoint.SAVE_SALE, 1);
 *   sim.branch("P051234567X", "00").invcNos();                    // [1, 2, 3]
 * }
 * }</pre>
 *
 * <p>Base URLs: {@link #baseUrl(Transport)} gives {@code /etims-api} (OSCU), {@code /etims-oscu/api/v1} (gateway,
 * token at {@link #tokenUrl()}) and {@code /vscu} (VSCU); {@link EtimsEndpoint#path(Transport)} gives each
 * function's path under them. State survives {@link EtimsFaults#refuseConnections(boolean)} but not {@link #close()}.
 */
public final class EtimsSimulator implements AutoCloseable {
  static {
    // The JDK server writes a reply's headers and body separately; with Nagle on, the body waits for the
    // client's delayed ACK (40 ms on Linux loopback) on every call. Read once, when the JDK server first
    // loads, so it is set before any server is created; an explicit -Dsun.net.httpserver.nodelay=false wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Options options;
  private final EtimsLedger ledger;
  private final EtimsFaults faults;
  private final EtimsHttpHandler handler;
  private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService executor;
  private final String host;
  private final int port;
  private HttpServer server;
  private boolean closed;

  private EtimsSimulator(Options options) throws IOException {
    this.options = options.copy();
    this.ledger = new EtimsLedger(this.options);
    this.faults = new EtimsFaults(this::stopListening, this::listen);
    this.handler = new EtimsHttpHandler(this.options, ledger, faults, requests);
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "etims-sim-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.host = this.options.host();
    this.server = bind(new InetSocketAddress(host, this.options.port()));
    this.port = server.getAddress().getPort();
    server.start();
  }

  /** Starts a simulator listening on {@code options.host():options.port()} (port 0: any free port). */
  public static EtimsSimulator start(Options options) throws IOException {
    return new EtimsSimulator(Objects.requireNonNull(options, "options"));
  }

  /** Starts a simulator with {@link Options#defaults()}. */
  public static EtimsSimulator start() throws IOException {
    return start(Options.defaults());
  }

  /** {@code http://HOST:PORT}, without a trailing slash. */
  public String baseUrl() {
    return "http://" + host + ":" + port;
  }

  /** The port actually bound. */
  public int port() {
    return port;
  }

  /** The base URL a client of {@code transport} is configured with; function paths are appended to it. */
  public String baseUrl(Transport transport) {
    switch (transport) {
      case OSCU: return baseUrl() + EtimsHttpHandler.OSCU_PREFIX;
      case GATEWAY: return baseUrl() + EtimsHttpHandler.GATEWAY_PREFIX;
      default: return baseUrl() + EtimsHttpHandler.VSCU_PREFIX;
    }
  }

  /** The full URL of {@code endpoint} on {@code transport}. */
  public String url(Transport transport, EtimsEndpoint endpoint) {
    String path = endpoint.path(transport);
    if (path == null) {
      throw new IllegalArgumentException(endpoint + " is not served on " + transport);
    }
    return baseUrl(transport) + path;
  }

  /** The gateway's OAuth token URL: {@code GET …/v1/token/generate?grant_type=client_credentials}, Basic auth. */
  public String tokenUrl() {
    return baseUrl() + EtimsHttpHandler.TOKEN_PATH;
  }

  /** The options this simulator runs with (a copy; changing it has no effect). */
  public Options options() {
    return options.copy();
  }

  /**
   * Declares a device serial for a PIN (11 characters) and branch (2 characters), as a taxpayer does on the eTIMS
   * portal; the first {@code selectInitOsdcInfo} for it then succeeds, later ones answer 902 (sheet §4). Returns
   * the identity init will hand out. Declaring again is harmless.
   */
  public DeviceInfo registerDevice(String tin, String bhfId, String dvcSrlNo) {
    return ledger.declareDevice(tin, bhfId, dvcSrlNo);
  }

  /**
   * Declares and initialises a device in one go, as if {@code selectInitOsdcInfo} had already been answered; the
   * returned {@code cmcKey} is accepted on every call. For tests that start from a registered device.
   */
  public DeviceInfo registerInitialisedDevice(String tin, String bhfId, String dvcSrlNo) {
    return ledger.initialiseDirectly(tin, bhfId, dvcSrlNo);
  }

  /** Names a taxpayer (shown by init and found by {@code selectCustomer}); creates it when unknown. */
  public void registerTaxpayer(String tin, String name) {
    ledger.nameTaxpayer(tin, name);
  }

  /** Changes a band's rate in code class 04; clients see it at their next {@code selectCodeList} (not 001). */
  public void setTaxRate(String band, BigDecimal rate) {
    ledger.setTaxRate(band, rate);
  }

  /** The band rates of code class 04 now in force. */
  public Map<String, BigDecimal> taxRates() {
    return ledger.taxRates();
  }

  /** Publishes a notice, returned by the next {@code selectNoticeList}. */
  public void addNotice(String title, String content) {
    ledger.addNotice(title, content);
  }

  /** The fault switchboard. */
  public EtimsFaults faults() {
    return faults;
  }

  /** Makes every token issued so far expired (the gateway then answers 401 "Access Token expired"). */
  public void expireTokens() {
    handler.expireTokens();
  }

  /** A snapshot of one branch's state (empty when the branch is unknown). */
  public BranchSnapshot branch(String tin, String bhfId) {
    return ledger.snapshot(tin, bhfId);
  }

  /** The accepted sales and credit notes of a branch, in invcNo order. */
  public List<AcceptedInvoice> invoices(String tin, String bhfId) {
    return branch(tin, bhfId).invoices();
  }

  /** Every request seen so far, in arrival order (a copy). */
  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Stops listening, releases held calls and ends the worker threads. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    faults.close();
    if (server != null) {
      server.stop(0);
      server = null;
    }
    executor.shutdownNow();
  }

  private HttpServer bind(InetSocketAddress address) throws IOException {
    HttpServer s = HttpServer.create(address, 64);
    s.createContext("/", handler);
    s.setExecutor(executor);
    return s;
  }

  private synchronized void stopListening() {
    if (server != null && !closed) {
      server.stop(0);
      server = null;
    }
  }

  private synchronized void listen() {
    if (server == null && !closed) {
      try {
        server = bind(new InetSocketAddress(host, port));
        server.start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not listen again on " + host + ":" + port, e);
      }
    }
  }

  /**
   * How a simulator behaves; {@link #defaults()} follows the sheet's recommended choices, and each conflict the
   * sheet marks is a setting here. Fluent and mutable until passed to {@link #start(Options)}, which copies it.
   */
  public static final class Options {
    private String host = "127.0.0.1";
    private int port;
    private String clientId = "fiscald-sim-client";
    private String clientSecret = "fiscald-sim-secret";
    private String apigeeAppId = "fiscald-sim-app";
    private Duration tokenTtl = Duration.ofHours(1);
    private Clock clock = Clock.system(EtimsLedger.NAIROBI);
    private String seed = "fiscald-etims-sim";
    private final Map<Transport, ResponseShape> shapes = new EnumMap<>(Transport.class);
    private final Map<Transport, RejectionStyle> rejections = new EnumMap<>(Transport.class);
    private final Map<Transport, String> successCodes = new EnumMap<>(Transport.class);
    private String successMessage = "It is succeeded";
    private boolean countersAsStrings = true;
    private boolean gatewayNestedEnvelope;
    private SequenceMessage sequenceMessage = SequenceMessage.EXPECTED_FOUND;
    private Map<String, BigDecimal> taxRates = new LinkedHashMap<>();
    private Map<String, String> paymentCodes = CodeTables.specPaymentCodes();
    private boolean requireCmcKey = true;
    private boolean acceptAnySerial;
    private boolean requireStockForGoods = true;
    private boolean checkCumulativeCredits;
    private boolean rejectDuplicateTrdInvcNo = true;
    private Duration maxStall = Duration.ofMinutes(2);

    private Options() {
      for (Transport t : Transport.values()) {
        successCodes.put(t, ResultCodes.OK);
      }
      shapes.put(Transport.OSCU, ResponseShape.OSCU);
      shapes.put(Transport.GATEWAY, ResponseShape.OSCU);
      shapes.put(Transport.VSCU, ResponseShape.VSCU);
      rejections.put(Transport.OSCU, RejectionStyle.ENVELOPE_200);
      rejections.put(Transport.GATEWAY, RejectionStyle.ENVELOPE_400);
      rejections.put(Transport.VSCU, RejectionStyle.ENVELOPE_200);
      taxRates.put("A", new BigDecimal("0"));
      taxRates.put("B", new BigDecimal("16"));
      taxRates.put("C", new BigDecimal("0"));
      taxRates.put("D", new BigDecimal("0"));
      taxRates.put("E", new BigDecimal("8"));
    }

    /**
     * Loopback, any free port; rates A 0, B 16, C 0, D 0, E 8 (SPEC class 04; the sandbox's E 0 is
     * {@code taxRate("E", 0)}); OSCU and gateway answer the OSCU shape, VSCU the VSCU shape; validation rejections
     * as HTTP 200 envelopes (resultCd 910) except on the gateway (HTTP 400 envelope); counters as strings;
     * cmcKey required; goods need stock; trader invoice numbers unique.
     */
    public static Options defaults() {
      return new Options();
    }

    Options copy() {
      Options o = new Options();
      o.host = host;
      o.port = port;
      o.clientId = clientId;
      o.clientSecret = clientSecret;
      o.apigeeAppId = apigeeAppId;
      o.tokenTtl = tokenTtl;
      o.clock = clock;
      o.seed = seed;
      o.shapes.putAll(shapes);
      o.rejections.putAll(rejections);
      o.successCodes.putAll(successCodes);
      o.successMessage = successMessage;
      o.countersAsStrings = countersAsStrings;
      o.gatewayNestedEnvelope = gatewayNestedEnvelope;
      o.sequenceMessage = sequenceMessage;
      o.taxRates = new LinkedHashMap<>(taxRates);
      o.paymentCodes = new LinkedHashMap<>(paymentCodes);
      o.requireCmcKey = requireCmcKey;
      o.acceptAnySerial = acceptAnySerial;
      o.requireStockForGoods = requireStockForGoods;
      o.checkCumulativeCredits = checkCumulativeCredits;
      o.rejectDuplicateTrdInvcNo = rejectDuplicateTrdInvcNo;
      o.maxStall = maxStall;
      return o;
    }

    /** Address to bind (default {@code 127.0.0.1}). */
    public Options host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** Port to bind; 0 (default) picks a free one. */
    public Options port(int port) {
      this.port = port;
      return this;
    }

    /** Gateway OAuth consumer key and secret checked by the token endpoint. */
    public Options clientCredentials(String clientId, String clientSecret) {
      this.clientId = Objects.requireNonNull(clientId);
      this.clientSecret = Objects.requireNonNull(clientSecret);
      return this;
    }

    /** The {@code apigee_app_id} header value the gateway requires. */
    public Options apigeeAppId(String apigeeAppId) {
      this.apigeeAppId = Objects.requireNonNull(apigeeAppId);
      return this;
    }

    /** Lifetime of gateway tokens (default one hour), measured on {@link #clock(Clock)}. */
    public Options tokenTtl(Duration ttl) {
      this.tokenTtl = Objects.requireNonNull(ttl);
      return this;
    }

    /** Clock for sdcDateTime, resultDt, lastReqDt comparisons and token expiry (shown in Africa/Nairobi). */
    public Options clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Seed of the deterministic cmcKeys, internal data and signatures. */
    public Options seed(String seed) {
      this.seed = Objects.requireNonNull(seed);
      return this;
    }

    /** Sale answer field names on {@code transport} (sheet §10 vs §15.2). */
    public Options responseShape(Transport transport, ResponseShape shape) {
      shapes.put(transport, Objects.requireNonNull(shape));
      return this;
    }

    /** How validation rejections travel on {@code transport} (sheet §1.2). */
    public Options rejectionStyle(Transport transport, RejectionStyle style) {
      rejections.put(transport, Objects.requireNonNull(style));
      return this;
    }

    /** The success resultCd on {@code transport}: {@code 000} by default; TX claims {@code 00} on some VSCUs. */
    public Options successCode(Transport transport, String code) {
      successCodes.put(transport, Objects.requireNonNull(code));
      return this;
    }

    /** The success resultMsg: {@code It is succeeded} (SPEC) or {@code Successful} (live sandbox). */
    public Options successMessage(String message) {
      this.successMessage = Objects.requireNonNull(message);
      return this;
    }

    /** Sale counters as JSON strings {@code "1"} (SPEC, default) or numbers (ODOO mocks), sheet §10. */
    public Options countersAsStrings(boolean asStrings) {
      this.countersAsStrings = asStrings;
      return this;
    }

    /** Gateway answers wrapped as {@code {responseHeader, responseBody}} (sheet §1.2); off by default. */
    public Options gatewayNestedEnvelope(boolean nested) {
      this.gatewayNestedEnvelope = nested;
      return this;
    }

    /** Which live wording an invcNo sequence rejection uses (sheet §13). */
    public Options sequenceMessage(SequenceMessage message) {
      this.sequenceMessage = Objects.requireNonNull(message);
      return this;
    }

    /** Sets one band's rate in percent (class 04, {@code userDfnCd1}). */
    public Options taxRate(String band, BigDecimal percent) {
      if (!EtimsLedger.BANDS.contains(band)) {
        throw new IllegalArgumentException("band must be one of A–E, was " + band);
      }
      taxRates.put(band, Objects.requireNonNull(percent));
      return this;
    }

    /** Replaces the payment codes of class 07 (code → name), e.g. the live list of eight (sheet §7). */
    public Options paymentCodes(Map<String, String> codes) {
      this.paymentCodes = new LinkedHashMap<>(codes);
      return this;
    }

    /** Whether calls other than init must carry an initialised device's cmcKey (header or body); default yes. */
    public Options requireCmcKey(boolean require) {
      this.requireCmcKey = require;
      return this;
    }

    /** Whether init accepts any serial for a known branch without {@link EtimsSimulator#registerDevice}; default no. */
    public Options acceptAnySerial(boolean accept) {
      this.acceptAnySerial = accept;
      return this;
    }

    /** Whether goods (item types 1, 2) need a stock movement before a sale (sheet §14); default yes. */
    public Options requireStockForGoods(boolean require) {
      this.requireStockForGoods = require;
      return this;
    }

    /** Whether credit notes are limited by earlier credits too; KRA does not (sheet §15.1), so default no. */
    public Options checkCumulativeCredits(boolean check) {
      this.checkCumulativeCredits = check;
      return this;
    }

    /** Whether a trdInvcNo accepted once is refused (994) under another invcNo; default yes. */
    public Options rejectDuplicateTrdInvcNo(boolean reject) {
      this.rejectDuplicateTrdInvcNo = reject;
      return this;
    }

    /** Longest time a stalled or timed-out call is held before it is let go (default two minutes). */
    public Options maxStall(Duration max) {
      this.maxStall = Objects.requireNonNull(max);
      return this;
    }

    public String host() {
      return host;
    }

    public int port() {
      return port;
    }

    public String clientId() {
      return clientId;
    }

    public String clientSecret() {
      return clientSecret;
    }

    public String apigeeAppId() {
      return apigeeAppId;
    }

    public Duration tokenTtl() {
      return tokenTtl;
    }

    public Clock clock() {
      return clock;
    }

    String seed() {
      return seed;
    }

    public ResponseShape responseShape(Transport transport) {
      return shapes.get(transport);
    }

    public RejectionStyle rejectionStyle(Transport transport) {
      return rejections.get(transport);
    }

    public String successCode(Transport transport) {
      return successCodes.get(transport);
    }

    public String successMessage() {
      return successMessage;
    }

    public boolean countersAsStrings() {
      return countersAsStrings;
    }

    public boolean gatewayNestedEnvelope() {
      return gatewayNestedEnvelope;
    }

    public SequenceMessage sequenceMessage() {
      return sequenceMessage;
    }

    public Map<String, BigDecimal> taxRates() {
      return Collections.unmodifiableMap(taxRates);
    }

    public Map<String, String> paymentCodes() {
      return Collections.unmodifiableMap(paymentCodes);
    }

    public boolean requireCmcKey() {
      return requireCmcKey;
    }

    public boolean acceptAnySerial() {
      return acceptAnySerial;
    }

    public boolean requireStockForGoods() {
      return requireStockForGoods;
    }

    public boolean checkCumulativeCredits() {
      return checkCumulativeCredits;
    }

    public boolean rejectDuplicateTrdInvcNo() {
      return rejectDuplicateTrdInvcNo;
    }

    public Duration maxStall() {
      return maxStall;
    }
  }
}
