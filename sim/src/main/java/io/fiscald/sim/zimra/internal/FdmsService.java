package io.fiscald.sim.zimra.internal;

import static io.fiscald.sim.zimra.FdmsValidationError.GREY;
import static io.fiscald.sim.zimra.FdmsValidationError.RED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.sim.zimra.FdmsDayView;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsReceiptView;
import io.fiscald.sim.zimra.FdmsRoute;
import io.fiscald.sim.zimra.FdmsTax;
import io.fiscald.sim.zimra.FdmsValidationError;
import io.fiscald.sim.zimra.internal.State.DayState;
import io.fiscald.sim.zimra.internal.State.DeviceState;
import io.fiscald.sim.zimra.internal.State.FileState;
import io.fiscald.sim.zimra.internal.State.ReceiptState;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's behaviour behind the transport: taxpayer/device/day/receipt state and every route of sheet §2,
 * with the checks of §3, §5, §8, §10, §14 and §15. All state changes happen under this object's monitor.
 */
public final class FdmsService {
  private static final Logger LOG = LoggerFactory.getLogger(FdmsService.class);
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  /** A call as the transport hands it over. */
  public record Call(FdmsRoute route, String method, Integer deviceID, Function<String, String> header,
      Map<String, String> query, byte[] body, String contentType, X509Certificate clientCertificate,
      String remoteAddress) { }

  /** An answer: HTTP status and JSON body (ProblemDetails when {@code problem}). */
  public record Reply(int status, ObjectNode body, boolean problem) { }

  private final Config cfg;
  private final Pki pki;
  private final State state;
  private final BooleanSupplier holdCloses;
  private final Supplier<String> forcedCloseFailure;
  private final ReceiptValidator validator;
  private final ScheduledExecutorService background;
  private final Map<Integer, List<X509Certificate>> certCache = new HashMap<>();
  private final Map<FdmsRoute, Integer> calls = new HashMap<>();
  private final AtomicLong operations = new AtomicLong();
  private final String operationPrefix;
  private final ZoneId zone;

  public FdmsService(Config cfg, Pki pki, BooleanSupplier holdCloses, Supplier<String> forcedCloseFailure)
      throws IOException {
    this.cfg = cfg;
    this.pki = pki;
    this.holdCloses = holdCloses;
    this.forcedCloseFailure = forcedCloseFailure;
    this.zone = cfg.clock().getZone();
    this.validator = new ReceiptValidator(cfg.ecdsa(), cfg.rounding(), cfg.taxPayerDayMaxHrs(),
        cfg.futureTolerance());
    this.state = loadState(cfg.stateFile());
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fdms-sim-close");
      t.setDaemon(true);
      return t;
    });
    this.operationPrefix = "0SIM" + Long.toString(System.nanoTime() & 0xFFFFFFL, 36).toUpperCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------- transport side

  /** A fresh operationID in the gateway's shape ({@code PREFIX:00000001}). */
  public String newOperationID() {
    return String.format("%s:%08d", operationPrefix, operations.incrementAndGet());
  }

  /** Counts a call of {@code route} (faulted or not). */
  public synchronized void countCall(FdmsRoute route) {
    calls.merge(route, 1, Integer::sum);
    notifyAll();
  }

  public synchronized int calls(FdmsRoute route) {
    return calls.getOrDefault(route, 0);
  }

  /** Handles one call; never throws for protocol problems (they become ProblemDetails replies). */
  public Reply handle(Call call) {
    String op = newOperationID();
    try {
      synchronized (this) {
        try {
          ObjectNode body = dispatch(call, op);
          return new Reply(200, body, false);
        } finally {
          changed();
        }
      }
    } catch (FdmsProblem p) {
      return new Reply(p.status(), problemBody(p.status(), p.title(), p.errorCode(), p.detail(), op), true);
    } catch (RuntimeException e) {
      LOG.warn("FDMS simulator: {} failed", call.route(), e);
      return new Reply(500, problemBody(500, "Server error", null, e.toString(), op), true);
    }
  }

  /** RFC 7807 ProblemDetails with the gateway's extra fields (sheet §1, SWAGGER ApiProblemDetails). */
  public static ObjectNode problemBody(int status, String title, String errorCode, String detail, String op) {
    ObjectNode n = Json.object();
    n.put("type", "https://httpstatuses.io/" + status);
    n.put("title", title);
    n.put("status", status);
    if (detail != null) {
      n.put("detail", detail);
    }
    if (errorCode != null) {
      n.put("errorCode", errorCode);
    }
    n.put("operationID", op);
    return n;
  }

  private ObjectNode dispatch(Call call, String op) {
    if (call.route() == FdmsRoute.GET_SERVER_CERTIFICATE) {
      return getServerCertificate(call, op);
    }
    DeviceState ds = state.devices.get(call.deviceID());
    if (call.route().deviceRoute()) {
      authenticate(call, ds);
    }
    checkDevice(call, ds);
    ObjectNode out;
    switch (call.route()) {
      case VERIFY_TAXPAYER_INFORMATION -> out = verifyTaxpayerInformation(call, ds, op);
      case REGISTER_DEVICE -> out = registerDevice(call, ds, op);
      case ISSUE_CERTIFICATE -> out = issueCertificate(call, ds, op);
      case GET_CONFIG -> out = getConfig(call, ds, op);
      case GET_STATUS -> out = getStatus(ds, op);
      case OPEN_DAY -> out = openDay(call, ds, op);
      case SUBMIT_RECEIPT -> out = submitReceipt(call, ds, op);
      case CLOSE_DAY -> out = closeDay(call, ds, op);
      case PING -> {
        out = Json.object().put("operationID", op).put("reportingFrequency", cfg.reportingFrequencyMinutes());
      }
      case SUBMIT_FILE -> out = submitFile(call, ds, op);
      case SUBMITTED_FILE_LIST -> out = submittedFileList(call, ds, op);
      default -> throw new FdmsProblem(404, "Not Found", null, "no such route");
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------- checks

  /** Sheet §1: issued by FDMS, not expired, issued to the deviceID in the URL; otherwise 401. */
  private void authenticate(Call call, DeviceState ds) {
    X509Certificate c = call.clientCertificate();
    if (c == null) {
      throw FdmsProblem.unauthorized("Device certificate required",
          "no client certificate was presented on a /Device/v1 route");
    }
    if (!pki.issuedByCa(c)) {
      throw FdmsProblem.unauthorized("Device certificate not issued by FDMS",
          "certificate " + c.getSubjectX500Principal() + " was not issued by this FDMS");
    }
    Instant now = cfg.clock().instant();
    if (now.isAfter(c.getNotAfter().toInstant()) || now.isBefore(c.getNotBefore().toInstant())) {
      throw FdmsProblem.unauthorized("Device certificate expired.",
          "certificate valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant()
              + ", simulator time " + now);
    }
    String serial = c.getSerialNumber().toString(16);
    if (ds == null || !ds.certificateSerials.contains(serial)) {
      throw FdmsProblem.unauthorized("Device certificate not issued to this device",
          "certificate " + c.getSubjectX500Principal() + " was not issued to device " + call.deviceID());
    }
  }

  /** Sheet §1, §14: DEV01, DEV04, DEV05, DEV06 on any call naming a device. */
  private void checkDevice(Call call, DeviceState ds) {
    if (ds == null || !ds.device.deviceActive()) {
      throw FdmsProblem.unprocessable("DEV01", "Device not found or not active",
          "device " + call.deviceID() + (ds == null ? " is unknown" : " is not active"));
    }
    FdmsDevice d = ds.device;
    if (d.modelBlacklisted()) {
      throw FdmsProblem.unprocessable("DEV04", "Device model is blacklisted", null);
    }
    if (!d.taxpayerActive()) {
      throw FdmsProblem.unprocessable("DEV05", "Taxpayer is not active", null);
    }
    String name = call.header().apply("DeviceModelName");
    String version = null;
    for (String h : cfg.versionHeaderNames()) {
      if (version == null) {
        version = call.header().apply(h);
      }
    }
    if (cfg.requireModelHeaders() && (name == null || version == null)) {
      throw FdmsProblem.unprocessable("DEV06", "Device model and version is not registered in FDMS",
          "headers DeviceModelName and " + String.join(" or ", cfg.versionHeaderNames()) + " are required");
    }
    if ((d.deviceModelName() != null && !d.deviceModelName().equals(name))
        || (d.deviceModelVersion() != null && !d.deviceModelVersion().equals(version))) {
      throw FdmsProblem.unprocessable("DEV06", "Device model and version is not registered in FDMS",
          "registered " + d.deviceModelName() + "/" + d.deviceModelVersion() + ", sent " + name + "/" + version);
    }
  }

  private static void onlineOnly(DeviceState ds) {
    if (FdmsDevice.OFFLINE.equals(ds.device.operatingMode())) {
      throw FdmsProblem.unprocessable("DEV01", "Device not found or not active",
          "device " + ds.device.deviceID() + " operates in Offline mode: use SubmitFile (sheet §15)");
    }
  }

  private static JsonNode body(Call call) {
    if (call.body() == null || call.body().length == 0) {
      throw FdmsProblem.badRequest("a JSON body is required");
    }
    try {
      JsonNode n = Json.MAPPER.readTree(call.body());
      if (n == null || !n.isObject()) {
        throw FdmsProblem.badRequest("the body must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw FdmsProblem.badRequest("malformed JSON: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------- public routes

  private ObjectNode verifyTaxpayerInformation(Call call, DeviceState ds, String op) {
    JsonNode b = body(call);
    FdmsDevice d = ds.device;
    if (!d.activationKeyMatches(Json.text(b, "activationKey"))) {
      throw FdmsProblem.unprocessable("DEV02", "Activation key is incorrect", null);
    }
    if (!d.deviceSerialNo().equals(Json.text(b, "deviceSerialNo"))) {
      throw FdmsProblem.unprocessable("DEV01", "Device not found or not active",
          "device " + d.deviceID() + " has another serial number");
    }
    ObjectNode out = Json.object().put("operationID", op).put("taxPayerName", d.taxPayerName())
        .put("taxPayerTIN", d.taxPayerTIN());
    if (d.vatPayer()) {
      out.put("vatNumber", d.vatNumber());
    }
    out.put("deviceBranchName", d.deviceBranchName());
    out.set("deviceBranchAddress", address(d));
    if (d.phoneNo() != null || d.email() != null) {
      out.set("deviceBranchContacts", contacts(d));
    }
    return out;
  }

  private ObjectNode registerDevice(Call call, DeviceState ds, String op) {
    JsonNode b = body(call);
    if (!ds.device.activationKeyMatches(Json.text(b, "activationKey"))) {
      throw FdmsProblem.unprocessable("DEV02", "Activation key is incorrect", null);
    }
    X509Certificate cert = issue(ds, Json.text(b, "certificateRequest"));
    return Json.object().put("operationID", op).put("certificate", Pki.pem(cert));
  }

  private ObjectNode getServerCertificate(Call call, String op) {
    String thumb = call.query().get("thumbprint");
    String mine = Pki.thumbprint(pki.fdmsCertificate());
    if (thumb != null && !thumb.isBlank() && !thumb.equalsIgnoreCase(mine)) {
      throw new FdmsProblem(404, "Certificate not found", null, "no FDMS certificate with thumbprint " + thumb);
    }
    ObjectNode out = Json.object().put("operationID", op);
    ArrayNode chain = out.putArray("certificate");
    for (X509Certificate c : pki.fdmsChain()) {
      chain.add(Pki.pem(c));
    }
    out.put("certificateValidTill", local(pki.fdmsCertificate().getNotAfter().toInstant()));
    return out;
  }

  // ---------------------------------------------------------------------------------------------- certificates

  private ObjectNode issueCertificate(Call call, DeviceState ds, String op) {
    X509Certificate cert = issue(ds, Json.text(body(call), "certificateRequest"));
    return Json.object().put("operationID", op).put("certificate", Pki.pem(cert));
  }

  /** Checks a CSR (sheet §3: PKCS#10, valid signature, P-256 or RSA 2048, CN template, only C/O/S) and issues. */
  private X509Certificate issue(DeviceState ds, String csrPem) {
    PKCS10CertificationRequest csr = Pki.readCsr(csrPem);
    if (csr == null) {
      throw dev03("certificateRequest is not a PEM PKCS#10 certificate request");
    }
    try {
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
      PublicKey key = jca.getPublicKey();
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw dev03("the CSR signature does not verify");
      }
      if (key instanceof ECPublicKey ec) {
        if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
          throw dev03("EC keys must be on secp256r1 (P-256)");
        }
      } else if (key instanceof RSAPublicKey rsa) {
        if (rsa.getModulus().bitLength() != 2048) {
          throw dev03("RSA keys must be 2048-bit");
        }
      } else {
        throw dev03("key must be ECC P-256 or RSA 2048");
      }
    } catch (FdmsProblem p) {
      throw p;
    } catch (Exception e) {
      throw dev03("cannot read the CSR: " + e.getMessage());
    }
    String expectedCn = expectedCommonName(ds.device);
    boolean cnSeen = false;
    for (RDN rdn : csr.getSubject().getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        ASN1ObjectIdentifier t = atv.getType();
        String v = IETFUtils.valueToString(atv.getValue());
        if (t.equals(BCStyle.CN)) {
          if (!v.equals(expectedCn)) {
            throw dev03("subject CN must be " + expectedCn + ", not " + v);
          }
          cnSeen = true;
        } else if (t.equals(BCStyle.C)) {
          requireValue("C", v, "ZW");
        } else if (t.equals(BCStyle.O)) {
          requireValue("O", v, "Zimbabwe Revenue Authority");
        } else if (t.equals(BCStyle.ST)) {
          requireValue("S", v, "Zimbabwe");
        } else {
          throw dev03("subject may hold only CN, C, O and S; found " + BCStyle.INSTANCE.oidToDisplayName(t));
        }
      }
    }
    if (!cnSeen) {
      throw dev03("subject CN " + expectedCn + " is missing");
    }
    try {
      Instant now = cfg.clock().instant();
      X509Certificate cert = pki.issueDeviceCertificate(csr, now.minus(Duration.ofMinutes(5)),
          now.plus(cfg.certificateValidity()));
      ds.certificateSerials.add(cert.getSerialNumber().toString(16));
      ds.certificatesPem.add(Pki.pem(cert));
      certCache.remove(ds.device.deviceID());
      return cert;
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a certificate", e);
    }
  }

  private static void requireValue(String field, String value, String expected) {
    if (!expected.equals(value)) {
      throw dev03("subject " + field + " must be exactly \"" + expected + "\" when present, not \"" + value + "\"");
    }
  }

  private static FdmsProblem dev03(String detail) {
    return FdmsProblem.unprocessable("DEV03", "Certificate request is invalid", detail);
  }

  /** The CN the CSR must carry (sheet §3 [conflict], template configurable). */
  public String expectedCommonName(FdmsDevice d) {
    return cfg.csrCommonNameTemplate().replace("{serialNo}", d.deviceSerialNo())
        .replace("{deviceID10}", String.format("%010d", d.deviceID()))
        .replace("{deviceID}", Integer.toString(d.deviceID()));
  }

  private List<X509Certificate> certificates(DeviceState ds) {
    return certCache.computeIfAbsent(ds.device.deviceID(), id -> {
      List<X509Certificate> list = new ArrayList<>();
      for (String pem : ds.certificatesPem) {
        try {
          list.add(Pki.readCertificate(pem));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
      return list;
    });
  }

  // ---------------------------------------------------------------------------------------------- config, status

  private ObjectNode getConfig(Call call, DeviceState ds, String op) {
    FdmsDevice d = ds.device;
    ObjectNode out = Json.object().put("operationID", op).put("taxPayerName", d.taxPayerName())
        .put("taxPayerTIN", d.taxPayerTIN());
    if (d.vatPayer()) {
      out.put("vatNumber", d.vatNumber());
    }
    out.put("deviceSerialNo", d.deviceSerialNo()).put("deviceBranchName", d.deviceBranchName());
    out.set("deviceBranchAddress", address(d));
    if (d.phoneNo() != null || d.email() != null) {
      out.set("deviceBranchContacts", contacts(d));
    }
    out.put("deviceOperatingMode", d.operatingMode());
    out.put("taxPayerDayMaxHrs", cfg.taxPayerDayMaxHrs());
    out.put("taxpayerDayEndNotificationHrs", cfg.taxpayerDayEndNotificationHrs());
    ArrayNode taxes = out.putArray("applicableTaxes");
    for (FdmsTax t : d.applicableTaxes()) {
      ObjectNode tn = taxes.addObject().put("taxID", t.taxID());
      if (t.taxPercent() != null) {
        tn.put("taxPercent", t.taxPercent());
      }
      tn.put("taxName", t.taxName()).put("validFrom", LOCAL.format(t.validFrom()));
      if (t.validTill() != null) {
        tn.put("validTill", LOCAL.format(t.validTill()));
      }
    }
    out.put("certificateValidTill", local(call.clientCertificate().getNotAfter().toInstant()));
    out.put("qrUrl", cfg.qrUrl());
    return out;
  }

  private static ObjectNode address(FdmsDevice d) {
    ObjectNode a = Json.object().put("province", d.province()).put("city", d.city()).put("street", d.street())
        .put("houseNo", d.houseNo());
    if (d.district() != null) {
      a.put("district", d.district());
    }
    return a;
  }

  private static ObjectNode contacts(FdmsDevice d) {
    ObjectNode c = Json.object();
    if (d.phoneNo() != null) {
      c.put("phoneNo", d.phoneNo());
    }
    if (d.email() != null) {
      c.put("email", d.email());
    }
    return c;
  }

  private ObjectNode getStatus(DeviceState ds, String op) {
    onlineOnly(ds);
    ObjectNode out = Json.object().put("operationID", op);
    DayState day = ds.lastDay();
    if (day == null) {
      out.put("fiscalDayStatus", FdmsDayView.Status.CLOSED.wire());
      return out;
    }
    out.put("fiscalDayStatus", day.status);
    if (day.reconciliationMode != null) {
      out.put("fiscalDayReconciliationMode", day.reconciliationMode);
    }
    if (day.serverSignature != null) {
      out.set("fiscalDayServerSignature", day.serverSignature);
    }
    if (day.closed != null) {
      out.put("fiscalDayClosed", day.closed);
    }
    if (day.closingErrorCode != null) {
      out.put("fiscalDayClosingErrorCode", day.closingErrorCode);
    }
    if (day.status.equals(FdmsDayView.Status.CLOSED.wire()) && day.closeRequest != null) {
      // SWAGGER name; the SPEC's fiscalDayCounters is the [conflict] alternative (sheet §4)
      out.set("fiscalDayCounter", day.closeRequest.path("fiscalDayCounters"));
    }
    Integer lastGlobal = lastReceiptGlobalNo(ds);
    if (lastGlobal != null) {
      out.put("lastReceiptGlobalNo", lastGlobal);
    }
    out.put("lastFiscalDayNo", day.fiscalDayNo);
    return out;
  }

  private static Integer lastReceiptGlobalNo(DeviceState ds) {
    ReceiptState last = null;
    for (DayState d : ds.days) {
      for (ReceiptState r : d.receipts) {
        if (last == null || r.receiptID > last.receiptID) {
          last = r;
        }
      }
    }
    return last == null ? null : last.receiptGlobalNo;
  }

  // ---------------------------------------------------------------------------------------------- fiscal day

  private ObjectNode openDay(Call call, DeviceState ds, String op) {
    onlineOnly(ds);
    JsonNode b = body(call);
    String opened = Json.text(b, "fiscalDayOpened");
    if (opened == null || !opened.matches(ReceiptValidator.DATE_PATTERN)) {
      throw FdmsProblem.badRequest("fiscalDayOpened must be local time yyyy-MM-ddTHH:mm:ss (no zone)");
    }
    LocalDateTime.parse(opened);
    DayState last = ds.lastDay();
    if (last != null && !last.status.equals(FdmsDayView.Status.CLOSED.wire())) {
      throw FdmsProblem.unprocessable("FISC01", "Open day is not allowed",
          "fiscal day " + last.fiscalDayNo + " is " + last.status);
    }
    int expected = last == null ? 1 : last.fiscalDayNo + 1;
    int dayNo = expected;
    if (b.hasNonNull("fiscalDayNo")) {
      dayNo = b.path("fiscalDayNo").asInt();
      if (dayNo != expected) {
        throw FdmsProblem.unprocessable("FISC01", "Open day is not allowed",
            "fiscalDayNo must be " + expected + " (last closed + 1), not " + dayNo);
      }
    }
    DayState day = new DayState();
    day.fiscalDayNo = dayNo;
    day.status = FdmsDayView.Status.OPENED.wire();
    day.opened = opened;
    ds.days.add(day);
    return Json.object().put("operationID", op).put("fiscalDayNo", dayNo);
  }

  private ObjectNode submitReceipt(Call call, DeviceState ds, String op) {
    onlineOnly(ds);
    JsonNode receipt = body(call).get("receipt");
    DayState day = ds.lastDay();
    if (day == null || day.status.equals(FdmsDayView.Status.CLOSED.wire())
        || day.status.equals(FdmsDayView.Status.CLOSE_INITIATED.wire())) {
      throw FdmsProblem.unprocessable("RCPT01", "Submitting receipt is not allowed",
          day == null ? "no fiscal day was opened" : "fiscal day " + day.fiscalDayNo + " is " + day.status);
    }
    String problem = ReceiptValidator.structureProblem(receipt);
    if (problem != null) {
      throw FdmsProblem.unprocessable("RCPT02", "Receipt structure is invalid", problem);
    }
    int globalNo = receipt.path("receiptGlobalNo").asInt();
    String hash = receipt.path("receiptDeviceSignature").path("hash").asText();
    ReceiptState existing = day.byGlobalNo(globalNo);
    if (existing != null) {
      // sheet §6: idempotent on deviceID + receiptGlobalNo + hash
      if (existing.hash.equals(hash)) {
        return receiptAnswer(existing, op);
      }
      throw FdmsProblem.unprocessable("RCPT012", "Receipt global number already used",
          "receiptGlobalNo " + globalNo + " of fiscal day " + day.fiscalDayNo
              + " was already received with hash " + existing.hash + "; this one has " + hash);
    }
    ReceiptState r = store(ds, day, receipt, true);
    return receiptAnswer(r, op);
  }

  private ReceiptState store(DeviceState ds, DayState day, JsonNode receipt, boolean online) {
    LocalDateTime now = LocalDateTime.now(cfg.clock());
    ReceiptState r = new ReceiptState();
    r.receiptID = state.nextReceiptID++;
    r.deviceID = ds.device.deviceID();
    r.fiscalDayNo = day.fiscalDayNo;
    r.receiptGlobalNo = receipt.path("receiptGlobalNo").asInt();
    r.receiptCounter = receipt.path("receiptCounter").asInt();
    r.receiptType = receipt.path("receiptType").asText();
    r.invoiceNo = receipt.path("invoiceNo").asText();
    r.receiptDate = receipt.path("receiptDate").asText();
    r.currency = receipt.path("receiptCurrency").asText();
    r.hash = receipt.path("receiptDeviceSignature").path("hash").asText();
    r.signature = receipt.path("receiptDeviceSignature").path("signature").asText();
    r.receivedAt = LOCAL.format(now);
    r.receipt = receipt;
    day.receipts.add(r);
    r.validationErrors = validate(ds, day, r);
    if (online) {
      // sheet §10.1: signature ‖ receiptID ‖ serverDate, signed with the FDMS key; online receipts only
      r.serverDate = LOCAL.format(now);
      String s = Signatures.serverReceiptString(r.signature, r.receiptID, r.serverDate);
      r.serverSignature = signatureEx(s);
    }
    revalidateGreys(ds, day);
    return r;
  }

  private List<FdmsValidationError> validate(DeviceState ds, DayState day, ReceiptState r) {
    return validator.validate(new ReceiptValidator.Context(ds.device, certificates(ds), state, ds, day, r,
        LocalDateTime.parse(r.receivedAt)));
  }

  /** Sheet §14: Grey receipts are revalidated when the missing receipt arrives. */
  private void revalidateGreys(DeviceState ds, DayState day) {
    if (day.receipts.stream().noneMatch(o -> o.has(GREY))) {
      return; // the usual case: no copy and sort of the whole day per receipt
    }
    List<ReceiptState> sorted = new ArrayList<>(day.receipts);
    sorted.sort((a, b) -> Integer.compare(a.receiptCounter, b.receiptCounter));
    for (ReceiptState o : sorted) {
      if (o.has(GREY)) {
        o.validationErrors = validate(ds, day, o);
      }
    }
  }

  private ObjectNode signatureEx(String s) {
    return Json.object().put("hash", Signatures.sha256Base64(s))
        .put("signature", Signatures.sign(pki.fdmsPrivateKey(), s))
        .put("certificateThumbprint", Pki.thumbprint(pki.fdmsCertificate()));
  }

  private static ObjectNode receiptAnswer(ReceiptState r, String op) {
    ObjectNode out = Json.object().put("operationID", op).put("receiptID", r.receiptID)
        .put("serverDate", r.serverDate);
    out.set("receiptServerSignature", r.serverSignature);
    if (!r.validationErrors.isEmpty()) {
      ArrayNode errs = out.putArray("validationErrors");
      for (FdmsValidationError e : r.validationErrors) {
        errs.addObject().put("validationErrorCode", e.validationErrorCode())
            .put("validationErrorColor", e.validationErrorColor());
      }
    }
    return out;
  }

  private ObjectNode closeDay(Call call, DeviceState ds, String op) {
    onlineOnly(ds);
    JsonNode b = body(call);
    if (!Json.isInt(b.get("fiscalDayNo")) || !Json.isInt(b.get("receiptCounter"))
        || !b.path("fiscalDayCounters").isArray() || Json.text(b.get("fiscalDayDeviceSignature"), "hash") == null
        || Json.text(b.get("fiscalDayDeviceSignature"), "signature") == null) {
      throw FdmsProblem.badRequest(
          "closeDay needs fiscalDayNo, fiscalDayCounters[], fiscalDayDeviceSignature {hash, signature}, receiptCounter");
    }
    DayState day = ds.lastDay();
    if (day != null && day.status.equals(FdmsDayView.Status.CLOSE_INITIATED.wire())) {
      throw FdmsProblem.unprocessable("FISC03", "Closing day is not allowed: close in progress",
          "fiscal day " + day.fiscalDayNo + " is being closed");
    }
    if (day == null || day.status.equals(FdmsDayView.Status.CLOSED.wire())) {
      throw FdmsProblem.unprocessable("FISC04", "Closing day is not allowed: fiscal day not opened", null);
    }
    int dayNo = b.path("fiscalDayNo").asInt();
    if (dayNo != day.fiscalDayNo) {
      throw FdmsProblem.unprocessable("FISC04", "Closing day is not allowed: fiscal day not opened",
          "the open fiscal day is " + day.fiscalDayNo + ", not " + dayNo);
    }
    day.status = FdmsDayView.Status.CLOSE_INITIATED.wire();
    day.closingErrorCode = null;
    day.closeRequest = b;
    int deviceID = ds.device.deviceID();
    background.schedule(() -> finishClose(deviceID, dayNo), cfg.closeDelay().toMillis(), TimeUnit.MILLISECONDS);
    return Json.object().put("operationID", op);
  }

  /** The asynchronous half of closeDay (sheet §5): checks in the gateway's order, then closed or failed. */
  private void finishClose(int deviceID, int dayNo) {
    if (holdCloses.getAsBoolean()) {
      background.schedule(() -> finishClose(deviceID, dayNo), 20, TimeUnit.MILLISECONDS);
      return;
    }
    synchronized (this) {
      try {
        DeviceState ds = state.devices.get(deviceID);
        DayState day = ds == null ? null : ds.day(dayNo);
        if (day == null || !day.status.equals(FdmsDayView.Status.CLOSE_INITIATED.wire())) {
          return;
        }
        String forced = forcedCloseFailure.get();
        String code = forced != null ? forced : closeProblem(ds, day, day.closeRequest);
        if (code == null) {
          markClosed(ds, day, LocalDateTime.now(cfg.clock()));
        } else {
          day.status = FdmsDayView.Status.CLOSE_FAILED.wire();
          day.closingErrorCode = code;
          LOG.info("FDMS simulator: device {} day {} close failed: {}", deviceID, dayNo, code);
        }
      } catch (RuntimeException e) {
        LOG.warn("FDMS simulator: close of day {} failed", dayNo, e);
      } finally {
        changed();
      }
    }
  }

  private void markClosed(DeviceState ds, DayState day, LocalDateTime when) {
    day.status = FdmsDayView.Status.CLOSED.wire();
    day.closingErrorCode = null;
    day.closed = LOCAL.format(when);
    day.reconciliationMode = "Auto";
    List<Signatures.Counter> counters = parseCounters(day.closeRequest.path("fiscalDayCounters"));
    String s = Signatures.serverDayString(ds.device.deviceID(), day.fiscalDayNo, day.opened.substring(0, 10),
        day.closed, "AUTO", counters, cfg.counterOrder(),
        day.closeRequest.path("fiscalDayDeviceSignature").path("signature").asText());
    day.serverSignature = signatureEx(s);
  }

  /**
   * Null when the day may close, else the closing error code, checked in the sheet's order: BadCertificateSignature,
   * MissingReceipts, ReceiptsWithValidationErrors, CountersMismatch (§5, §10.2).
   */
  private String closeProblem(DeviceState ds, DayState day, JsonNode close) {
    List<Signatures.Counter> submitted = parseCounters(close.path("fiscalDayCounters"));
    String s = Signatures.dayString(ds.device.deviceID(), day.fiscalDayNo, day.opened.substring(0, 10), submitted,
        cfg.counterOrder());
    JsonNode sig = close.path("fiscalDayDeviceSignature");
    boolean signed = Signatures.sha256Base64(s).equals(sig.path("hash").asText());
    if (signed) {
      signed = false;
      for (X509Certificate c : certificates(ds)) {
        signed |= Signatures.verify(c.getPublicKey(), s, sig.path("signature").asText(), cfg.ecdsa());
      }
    }
    if (!signed) {
      LOG.info("FDMS simulator: day signature string did not verify: {}", s);
      return "BadCertificateSignature";
    }
    int lastCounter = close.path("receiptCounter").asInt();
    for (int c = 1; c <= lastCounter; c++) {
      if (day.byCounter(c) == null) {
        return "MissingReceipts";
      }
    }
    for (ReceiptState r : day.receipts) {
      if (r.has(GREY)) {
        return "MissingReceipts";
      }
    }
    for (ReceiptState r : day.receipts) {
      if (r.has(RED)) {
        return "ReceiptsWithValidationErrors";
      }
    }
    for (ReceiptState r : day.receipts) {
      if (r.receiptCounter > lastCounter) {
        return "CountersMismatch";
      }
    }
    Map<String, BigDecimal> expected = new LinkedHashMap<>();
    for (Signatures.Counter c : computeCounters(day)) {
      expected.put(counterKey(c), c.value());
    }
    Map<String, BigDecimal> sent = new LinkedHashMap<>();
    for (Signatures.Counter c : submitted) {
      if (sent.put(counterKey(c), c.value()) != null) {
        return "CountersMismatch";
      }
    }
    if (!expected.keySet().equals(sent.keySet())) {
      return "CountersMismatch";
    }
    for (Map.Entry<String, BigDecimal> e : expected.entrySet()) {
      if (e.getValue().compareTo(sent.get(e.getKey())) != 0) {
        return "CountersMismatch";
      }
    }
    return null;
  }

  private static String counterKey(Signatures.Counter c) {
    return c.type().toUpperCase(Locale.ROOT) + "|" + c.currency().toUpperCase(Locale.ROOT) + "|"
        + (c.moneyType() != null ? c.moneyType().toUpperCase(Locale.ROOT)
            : c.taxID() + "|" + (c.taxPercent() == null ? "-" : c.taxPercent().stripTrailingZeros().toPlainString()));
  }

  private static List<Signatures.Counter> parseCounters(JsonNode arr) {
    List<Signatures.Counter> out = new ArrayList<>();
    for (JsonNode c : arr) {
      JsonNode taxID = c.get("fiscalCounterTaxID");
      out.add(new Signatures.Counter(c.path("fiscalCounterType").asText(), c.path("fiscalCounterCurrency").asText(),
          taxID == null || taxID.isNull() ? null : taxID.asInt(), Json.decimal(c.get("fiscalCounterTaxPercent")),
          Json.text(c, "fiscalCounterMoneyType"), Json.decimalOrZero(c.get("fiscalCounterValue"))));
    }
    return out;
  }

  /** The day's counters from its receipts (sheet §11), zero counters dropped, in the recommended order. */
  public static List<Signatures.Counter> computeCounters(DayState day) {
    Map<String, Signatures.Counter> acc = new LinkedHashMap<>();
    for (ReceiptState r : day.receipts) {
      String prefix = switch (r.receiptType) {
        case "CreditNote" -> "CreditNote";
        case "DebitNote" -> "DebitNote";
        default -> "Sale";
      };
      for (JsonNode t : r.receipt.path("receiptTaxes")) {
        int taxID = t.path("taxID").asInt();
        BigDecimal pct = Json.decimal(t.get("taxPercent"));
        add(acc, new Signatures.Counter(prefix + "ByTax", r.currency, taxID, pct, null,
            Json.decimalOrZero(t.get("salesAmountWithTax"))));
        add(acc, new Signatures.Counter(prefix + "TaxByTax", r.currency, taxID, pct, null,
            Json.decimalOrZero(t.get("taxAmount"))));
      }
      for (JsonNode p : r.receipt.path("receiptPayments")) {
        add(acc, new Signatures.Counter("BalanceByMoneyType", r.currency, null, null,
            p.path("moneyTypeCode").asText(), Json.decimalOrZero(p.get("paymentAmount"))));
      }
    }
    List<Signatures.Counter> out = new ArrayList<>();
    for (Signatures.Counter c : acc.values()) {
      if (c.value().signum() != 0) {
        out.add(c);
      }
    }
    out.sort(Signatures.recommendedOrder());
    return out;
  }

  private static void add(Map<String, Signatures.Counter> acc, Signatures.Counter c) {
    acc.merge(counterKey(c), c, (a, b) -> new Signatures.Counter(a.type(), a.currency(), a.taxID(), a.taxPercent(),
        a.moneyType(), a.value().add(b.value())));
  }

  // ---------------------------------------------------------------------------------------------- offline files

  private ObjectNode submitFile(Call call, DeviceState ds, String op) {
    if (!FdmsDevice.OFFLINE.equals(ds.device.operatingMode())) {
      throw FdmsProblem.unprocessable("FILE03", "Device operating mode is not Offline", null);
    }
    // sheet §15: at most 3 MB per file, counted on the file as uploaded (the Base64 text)
    int uploaded = call.body() == null ? 0 : call.body().length;
    if (uploaded > cfg.maxFileBytes()) {
      throw FdmsProblem.unprocessable("FILE01", "File too big",
          uploaded + " bytes; at most " + cfg.maxFileBytes());
    }
    byte[] raw = fileBytes(call);
    JsonNode file;
    try {
      file = Json.MAPPER.readTree(raw);
    } catch (IOException e) {
      throw file02("the file is not JSON: " + e.getMessage());
    }
    JsonNode header = file == null ? null : file.get("header");
    if (header == null || !Json.isInt(header.get("deviceID")) || !Json.isInt(header.get("fiscalDayNo"))
        || !Json.isInt(header.get("fileSequence")) || Json.text(header, "fiscalDayOpened") == null
        || !Json.text(header, "fiscalDayOpened").matches(ReceiptValidator.DATE_PATTERN)) {
      throw file02("header {deviceID, fiscalDayNo, fiscalDayOpened, fileSequence} is required");
    }
    if (header.path("deviceID").asInt() != ds.device.deviceID()) {
      throw FdmsProblem.unprocessable("FILE05", "deviceID in the URL differs from the file header",
          "header deviceID " + header.path("deviceID").asInt());
    }
    int dayNo = header.path("fiscalDayNo").asInt();
    DayState day = ds.day(dayNo);
    if (day != null && (day.status.equals(FdmsDayView.Status.CLOSED.wire())
        || day.status.equals(FdmsDayView.Status.CLOSE_INITIATED.wire()))) {
      throw FdmsProblem.unprocessable("FILE04", "File sent for an already closed day",
          "fiscal day status must be FiscalDayClosed on the device and not yet closed on FDMS; day " + dayNo
              + " is " + day.status);
    }
    FileState f = new FileState();
    f.operationID = op;
    f.fileName = "device" + ds.device.deviceID() + "-day" + dayNo + "-" + header.path("fileSequence").asInt();
    f.fileUploadDate = LOCAL.format(LocalDateTime.now(cfg.clock()));
    f.deviceId = ds.device.deviceID();
    f.dayNo = dayNo;
    f.fiscalDayOpenedAt = Json.text(header, "fiscalDayOpened");
    f.fileSequence = header.path("fileSequence").asInt();
    f.fileProcessingStatus = "InProgress";
    f.hasFooter = file.hasNonNull("footer");
    f.ipAddress = call.remoteAddress();
    f.file = file;
    ds.files.add(f);
    int deviceID = ds.device.deviceID();
    background.schedule(() -> processFiles(deviceID, dayNo), cfg.closeDelay().toMillis(), TimeUnit.MILLISECONDS);
    return Json.object().put("operationID", op);
  }

  private static FdmsProblem file02(String detail) {
    return FdmsProblem.unprocessable("FILE02", "File structure is invalid", detail);
  }

  /** The uploaded file: a base64 text body (SWAGGER) or the first part of a multipart form (SPEC), §15. */
  private static byte[] fileBytes(Call call) {
    byte[] body = call.body() == null ? new byte[0] : call.body();
    String ct = call.contentType() == null ? "" : call.contentType();
    String text = new String(body, StandardCharsets.ISO_8859_1);
    if (ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      int b = ct.indexOf("boundary=");
      if (b < 0) {
        throw file02("multipart body without boundary");
      }
      String boundary = "--" + ct.substring(b + 9).replace("\"", "").trim();
      int start = text.indexOf(boundary);
      int headersEnd = start < 0 ? -1 : text.indexOf("\r\n\r\n", start);
      int end = headersEnd < 0 ? -1 : text.indexOf("\r\n" + boundary, headersEnd + 4);
      if (end < 0) {
        throw file02("malformed multipart body");
      }
      text = text.substring(headersEnd + 4, end);
      if (text.trim().startsWith("{")) {
        return text.trim().getBytes(StandardCharsets.ISO_8859_1);
      }
    }
    text = text.trim();
    if (text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2) {
      text = text.substring(1, text.length() - 1);
    }
    try {
      return Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw file02("the file must be base64-encoded JSON");
    }
  }

  private void processFiles(int deviceID, int dayNo) {
    synchronized (this) {
      try {
        DeviceState ds = state.devices.get(deviceID);
        boolean progress = true;
        while (progress) {
          progress = false;
          for (FileState f : ds.files) {
            if (f.dayNo != dayNo || !(f.fileProcessingStatus.equals("InProgress")
                || f.fileProcessingStatus.equals("WaitingForPreviousFile"))) {
              continue;
            }
            int lastDone = 0;
            for (FileState o : ds.files) {
              if (o.dayNo == dayNo && o != f && (o.fileProcessingStatus.equals("CompleteSuccessful")
                  || o.fileProcessingStatus.equals("FailedWithErrors"))) {
                lastDone = Math.max(lastDone, o.fileSequence);
              }
            }
            // sheet §15: files of a day are processed in fileSequence order; a resent file whose sequence is
            // already done is processed again (its receipts deduplicate)
            boolean next = f.fileSequence <= lastDone + 1;
            if (!next) {
              f.fileProcessingStatus = "WaitingForPreviousFile";
              continue;
            }
            processFile(ds, f);
            progress = true;
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("FDMS simulator: file processing failed", e);
      } finally {
        changed();
      }
    }
  }

  /** Sheet §15: content and footer are processed separately; receipts dedup on globalNo + hash. */
  private void processFile(DeviceState ds, FileState f) {
    f.fileProcessingDate = LOCAL.format(LocalDateTime.now(cfg.clock()));
    DayState day = ds.day(f.dayNo);
    if (day == null) {
      day = new DayState();
      day.fiscalDayNo = f.dayNo;
      day.status = FdmsDayView.Status.OPENED.wire();
      day.opened = f.fiscalDayOpenedAt;
      ds.days.add(day);
      ds.days.sort((a, b) -> Integer.compare(a.fiscalDayNo, b.fiscalDayNo));
    } else if (day.status.equals(FdmsDayView.Status.CLOSED.wire())) {
      fail(f, "FileSentForClosedDay");
      return;
    }
    for (JsonNode receipt : f.file.path("content").path("receipts")) {
      if (ReceiptValidator.structureProblem(receipt) != null) {
        fail(f, "IncorrectFileFormat");
        return;
      }
      int globalNo = receipt.path("receiptGlobalNo").asInt();
      String hash = receipt.path("receiptDeviceSignature").path("hash").asText();
      ReceiptState existing = day.byGlobalNo(globalNo);
      List<FdmsValidationError> errors;
      if (existing != null) {
        if (existing.hash.equals(hash)) {
          continue;
        }
        errors = List.of(new FdmsValidationError("RCPT012", RED));
      } else {
        errors = store(ds, day, receipt, false).validationErrors;
      }
      if (!errors.isEmpty()) {
        ObjectNode inv = Json.object().put("receiptCounter", receipt.path("receiptCounter").asInt())
            .put("receiptGlobalNo", globalNo);
        ArrayNode arr = inv.putArray("validationErrors");
        errors.forEach(e -> arr.addObject().put("validationErrorCode", e.validationErrorCode())
            .put("validationErrorColor", e.validationErrorColor()));
        f.invoiceWithValidationErrors.add(inv);
      }
    }
    JsonNode footer = f.file.get("footer");
    if (footer == null || footer.isNull()) {
      f.fileProcessingStatus = "CompleteSuccessful";
      return;
    }
    String code = closeProblem(ds, day, footer);
    day.closeRequest = footer;
    if (code != null) {
      day.status = FdmsDayView.Status.CLOSE_FAILED.wire();
      day.closingErrorCode = code;
      fail(f, code);
      return;
    }
    String closedAt = Json.text(footer, "fiscalDayClosed");
    markClosed(ds, day, closedAt != null && closedAt.matches(ReceiptValidator.DATE_PATTERN)
        ? LocalDateTime.parse(closedAt) : LocalDateTime.now(cfg.clock()));
    day.serverSignature = null; // sheet §10.1: the server signs online submissions only
    f.fileProcessingStatus = "CompleteSuccessful";
  }

  private static void fail(FileState f, String error) {
    f.fileProcessingStatus = "FailedWithErrors";
    f.fileProcessingError = error;
  }

  private ObjectNode submittedFileList(Call call, DeviceState ds, String op) {
    if (!FdmsDevice.OFFLINE.equals(ds.device.operatingMode())) {
      throw FdmsProblem.unprocessable("FILE03", "Device operating mode is not Offline", null);
    }
    Map<String, String> q = lowerKeys(call.query());
    if (!q.containsKey("offset") || !q.containsKey("limit")) {
      throw FdmsProblem.badRequest("Offset and Limit are required");
    }
    int offset;
    int limit;
    try {
      offset = Integer.parseInt(q.get("offset"));
      limit = Integer.parseInt(q.get("limit"));
    } catch (NumberFormatException e) {
      throw FdmsProblem.badRequest("Offset and Limit must be integers");
    }
    LocalDateTime from = q.containsKey("fileuploadedfrom") ? LocalDateTime.parse(q.get("fileuploadedfrom")) : null;
    LocalDateTime till = q.containsKey("fileuploadedtill") ? LocalDateTime.parse(q.get("fileuploadedtill")) : null;
    if (from != null && till != null && Duration.between(from, till).toDays() > 100) {
      throw file02("FileUploadedFrom..FileUploadedTill spans more than 100 days");
    }
    List<FileState> rows = new ArrayList<>();
    for (FileState f : ds.files) {
      LocalDateTime up = LocalDateTime.parse(f.fileUploadDate);
      if (!f.viaPortal && (q.get("operationid") == null || q.get("operationid").equals(f.operationID))
          && (from == null || !up.isBefore(from)) && (till == null || !up.isAfter(till))) {
        rows.add(f);
      }
    }
    if ("desc".equalsIgnoreCase(q.get("order"))) {
      java.util.Collections.reverse(rows);
    }
    ObjectNode out = Json.object().put("total", rows.size());
    ArrayNode arr = out.putArray("rows");
    for (FileState f : rows.subList(Math.min(offset, rows.size()), Math.min(rows.size(), offset + limit))) {
      ObjectNode n = arr.addObject().put("fileName", f.fileName).put("fileUploadDate", f.fileUploadDate)
          .put("deviceId", f.deviceId).put("dayNo", f.dayNo).put("fiscalDayOpenedAt", f.fiscalDayOpenedAt)
          .put("fileSequence", f.fileSequence).put("fileProcessingDate", f.fileProcessingDate)
          .put("fileProcessingStatus", statusName(f.fileProcessingStatus))
          .put("fileProcessingError", f.fileProcessingError).put("hasFooter", f.hasFooter)
          .put("operationId", f.operationID).put("ipAddress", f.ipAddress);
      ArrayNode inv = n.putArray("invoiceWithValidationErrors");
      f.invoiceWithValidationErrors.forEach(inv::add);
    }
    return out;
  }

  /** SWAGGER names by default; SPEC names when configured (sheet §15 [conflict]). */
  private String statusName(String swagger) {
    if (!cfg.specFileStatusNames()) {
      return swagger;
    }
    return switch (swagger) {
      case "InProgress" -> "FileProcessingInProgress";
      case "CompleteSuccessful" -> "FileProcessingIsSuccessful";
      case "FailedWithErrors" -> "FileProcessingWithErrors";
      default -> swagger;
    };
  }

  private static Map<String, String> lowerKeys(Map<String, String> m) {
    Map<String, String> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }

  // ---------------------------------------------------------------------------------------------- test side

  /** Adds or updates a device's portal registration (state is kept). */
  public synchronized void addDevice(FdmsDevice device) {
    DeviceState ds = state.devices.computeIfAbsent(device.deviceID(), id -> new DeviceState());
    ds.device = device;
    ds.deviceJson = DeviceCodec.toJson(device);
    changed();
  }

  /**
   * A day file uploaded on the self-service portal instead of through submitFile: processed the same way (the
   * day closes with its receipts), but it is not in the device's file list, so a later submitFile of the same
   * day gets FILE04. Returns the portal upload's operationID.
   */
  public synchronized String uploadOnPortal(int deviceID, String base64File) {
    DeviceState ds = state.devices.get(deviceID);
    if (ds == null) {
      throw new IllegalArgumentException("no device " + deviceID);
    }
    String op = newOperationID();
    submitFile(new Call(FdmsRoute.SUBMIT_FILE, "POST", deviceID, h -> null, Map.of(),
        base64File.getBytes(StandardCharsets.US_ASCII), "text/plain", null, "portal"), ds, op);
    ds.files.get(ds.files.size() - 1).viaPortal = true;
    return op;
  }

  public synchronized Optional<FdmsDevice> device(int deviceID) {
    DeviceState ds = state.devices.get(deviceID);
    return ds == null ? Optional.empty() : Optional.of(ds.device);
  }

  public synchronized List<X509Certificate> deviceCertificates(int deviceID) {
    DeviceState ds = state.devices.get(deviceID);
    return ds == null ? List.of() : List.copyOf(certificates(ds));
  }

  public synchronized List<FdmsDayView> days(int deviceID) {
    DeviceState ds = state.devices.get(deviceID);
    List<FdmsDayView> out = new ArrayList<>();
    if (ds != null) {
      for (DayState d : ds.days) {
        out.add(view(deviceID, d));
      }
    }
    return out;
  }

  public synchronized List<FdmsReceiptView> receipts(int deviceID, Integer fiscalDayNo) {
    DeviceState ds = state.devices.get(deviceID);
    List<FdmsReceiptView> out = new ArrayList<>();
    if (ds == null) {
      return out;
    }
    for (DayState d : ds.days) {
      if (fiscalDayNo != null && d.fiscalDayNo != fiscalDayNo) {
        continue;
      }
      List<ReceiptState> list = new ArrayList<>(d.receipts);
      if (fiscalDayNo != null) {
        list.sort((a, b) -> Integer.compare(a.receiptCounter, b.receiptCounter));
      }
      for (ReceiptState r : list) {
        out.add(new FdmsReceiptView(r.receiptID, r.deviceID, r.fiscalDayNo, r.receiptGlobalNo, r.receiptCounter,
            r.receiptType, r.invoiceNo, r.receiptDate, r.hash, r.validationErrors, r.serverDate,
            r.receipt.toString()));
      }
    }
    if (fiscalDayNo == null) {
      out.sort((a, b) -> Long.compare(a.receiptID(), b.receiptID()));
    }
    return out;
  }

  private static FdmsDayView view(int deviceID, DayState d) {
    Map<String, String> counters = new LinkedHashMap<>();
    for (Signatures.Counter c : computeCounters(d)) {
      counters.put(counterKey(c), c.value().toPlainString());
    }
    FdmsDayView.Status status = FdmsDayView.Status.CLOSED;
    for (FdmsDayView.Status s : FdmsDayView.Status.values()) {
      if (s.wire().equals(d.status)) {
        status = s;
      }
    }
    return new FdmsDayView(deviceID, d.fiscalDayNo, status, d.opened, d.closingErrorCode, d.closed,
        d.reconciliationMode, d.receipts.size(), counters);
  }

  /** Waits until {@code condition} holds, re-checking on every state change or call. */
  public synchronized void await(BooleanSupplier condition, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("condition not met within " + timeout);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Wakes waiters and saves the state file, if any. Caller holds the monitor. */
  private void changed() {
    notifyAll();
    if (cfg.stateFile() != null) {
      try {
        Path tmp = cfg.stateFile().resolveSibling(cfg.stateFile().getFileName() + ".tmp");
        Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        Files.move(tmp, cfg.stateFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        LOG.warn("FDMS simulator: cannot save state to {}", cfg.stateFile(), e);
      }
    }
  }

  private static State loadState(Path file) throws IOException {
    if (file == null || !Files.exists(file)) {
      return new State();
    }
    State s = Json.MAPPER.readValue(file.toFile(), State.class);
    for (DeviceState ds : s.devices.values()) {
      ds.device = DeviceCodec.fromJson(ds.deviceJson);
    }
    return s;
  }

  /** Local date-time in the simulator's zone, {@code yyyy-MM-ddTHH:mm:ss}. */
  private String local(Instant instant) {
    return LOCAL.format(LocalDateTime.ofInstant(instant, zone));
  }

  /** Stops background work (closes, file processing). */
  public void shutdown() {
    background.shutdownNow();
  }
}
