package io.fiscald.sim.zimra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.sim.zimra.internal.Json;
import io.fiscald.sim.zimra.internal.Pki;
import io.fiscald.sim.zimra.internal.Signatures;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A device for tests: its own EC P-256 key and CSR, registration, and mutual-TLS calls to the simulator. */
final class TestDevice {
  static final ObjectMapper M = Json.MAPPER;

  /** A response: status and parsed body. */
  record Resp(int status, JsonNode body) { }

  final FdmsSimulator sim;
  final int deviceID;
  final String serial;
  final String activationKey;
  KeyPair keys;
  X509Certificate certificate;
  HttpClient client;
  String previousHash;
  int counter;
  int globalNo;

  TestDevice(FdmsSimulator sim, FdmsDevice device) throws Exception {
    this.sim = sim;
    this.deviceID = device.deviceID();
    this.serial = device.deviceSerialNo();
    this.activationKey = device.activationKey();
    sim.addDevice(device);
    this.keys = newKeys();
    this.client = client(null);
  }

  static KeyPair newKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static String csr(KeyPair keys, String subject) throws Exception {
    PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
        keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    return Pki.pem(csr);
  }

  String subject() {
    return String.format("CN=ZIMRA-%s-%010d", serial, deviceID);
  }

  /** registerDevice with a fresh CSR; keeps the certificate and switches to mutual TLS. */
  TestDevice register() throws Exception {
    Resp r = post("/Public/v1/" + deviceID + "/RegisterDevice",
        M.createObjectNode().put("certificateRequest", csr(keys, subject())).put("activationKey", activationKey));
    if (r.status() != 200) {
      throw new AssertionError("registerDevice: " + r);
    }
    certificate = Pki.readCertificate(r.body().path("certificate").asText());
    client = client(certificate);
    return this;
  }

  HttpClient client(X509Certificate cert) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(sim.trustStore());
    KeyManagerFactory kmf = null;
    if (cert != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("device", keys.getPrivate(), new char[0], new X509Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  Resp get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).GET(), Duration.ofSeconds(30));
  }

  Resp post(String path, JsonNode body) throws Exception {
    return post(path, body, Duration.ofSeconds(30));
  }

  Resp post(String path, JsonNode body, Duration timeout) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString())), timeout);
  }

  Resp send(HttpRequest.Builder b, Duration timeout) throws Exception {
    HttpRequest req = b.header("DeviceModelName", "Server").header("DeviceModelVersion", "v1").timeout(timeout)
        .build();
    HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode body = res.body().isEmpty() ? M.createObjectNode() : M.readTree(res.body());
    return new Resp(res.statusCode(), body);
  }

  String dev(String route) {
    return "/Device/v1/" + deviceID + "/" + route;
  }

  Resp openDay(int dayNo, String opened) throws Exception {
    counter = 0;
    previousHash = null;
    return post(dev("OpenDay"), M.createObjectNode().put("fiscalDayNo", dayNo).put("fiscalDayOpened", opened));
  }

  /** A tax-inclusive receipt at 15.5% (taxID 517) with one line, signed and chained (§8). */
  ObjectNode receipt(String type, String date, String amount, String invoiceNo) throws Exception {
    BigDecimal amt = new BigDecimal(amount);
    BigDecimal tax = amt.multiply(new BigDecimal("15.5")).divide(new BigDecimal("115.5"), 2,
        java.math.RoundingMode.HALF_UP);
    ObjectNode r = M.createObjectNode();
    r.put("receiptType", type).put("receiptCurrency", "USD").put("receiptCounter", counter + 1)
        .put("receiptGlobalNo", globalNo + 1).put("invoiceNo", invoiceNo).put("receiptDate", date)
        .put("receiptLinesTaxInclusive", true);
    ArrayNode lines = r.putArray("receiptLines");
    lines.addObject().put("receiptLineType", "Sale").put("receiptLineNo", 1).put("receiptLineHSCode", "04021099")
        .put("receiptLineName", "Milk 1L").put("receiptLinePrice", amt).put("receiptLineQuantity", 1)
        .put("receiptLineTotal", amt).put("taxPercent", new BigDecimal("15.5")).put("taxID", 517);
    r.putArray("receiptTaxes").addObject().put("taxPercent", new BigDecimal("15.5")).put("taxID", 517)
        .put("taxAmount", tax).put("salesAmountWithTax", amt);
    r.putArray("receiptPayments").addObject().put("moneyTypeCode", "Cash").put("paymentAmount", amt);
    r.put("receiptTotal", amt);
    if (!type.equals("FiscalInvoice")) {
      r.put("receiptNotes", "Returned goods");
    }
    return r;
  }

  /** Signs the receipt with the device key, chained to the previous one of the day, and advances the numbers. */
  ObjectNode sign(ObjectNode r) throws Exception {
    String s = Signatures.receiptString(deviceID, r, previousHash);
    String hash = Signatures.sha256Base64(s);
    r.putObject("receiptDeviceSignature").put("hash", hash).put("signature", signBase64(s));
    previousHash = hash;
    counter = r.path("receiptCounter").asInt();
    globalNo = r.path("receiptGlobalNo").asInt();
    return r;
  }

  String signBase64(String s) throws Exception {
    Signature sig = Signature.getInstance("SHA256withECDSA");
    sig.initSign(keys.getPrivate());
    sig.update(s.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(sig.sign());
  }

  Resp submit(ObjectNode receipt) throws Exception {
    return submit(receipt, Duration.ofSeconds(30));
  }

  Resp submit(ObjectNode receipt, Duration timeout) throws Exception {
    ObjectNode body = M.createObjectNode();
    body.set("receipt", receipt);
    return post(dev("SubmitReceipt"), body, timeout);
  }

  /** closeDay with counters computed from {@code receipts} (sheet §11), signed per §10.2. */
  Resp closeDay(int dayNo, String openedDate, List<ObjectNode> receipts) throws Exception {
    return post(dev("CloseDay"), closeBody(dayNo, openedDate, receipts));
  }

  /** The closeDay body (also an offline file's footer, less fiscalDayNo): counters of {@code receipts}, signed. */
  ObjectNode closeBody(int dayNo, String openedDate, List<ObjectNode> receipts) throws Exception {
    List<Signatures.Counter> counters = new ArrayList<>();
    java.util.Map<String, Signatures.Counter> acc = new java.util.LinkedHashMap<>();
    for (ObjectNode r : receipts) {
      String prefix = switch (r.path("receiptType").asText()) {
        case "CreditNote" -> "CreditNote";
        case "DebitNote" -> "DebitNote";
        default -> "Sale";
      };
      String cur = r.path("receiptCurrency").asText();
      for (JsonNode t : r.path("receiptTaxes")) {
        BigDecimal pct = t.hasNonNull("taxPercent") ? t.get("taxPercent").decimalValue() : null;
        merge(acc, new Signatures.Counter(prefix + "ByTax", cur, t.path("taxID").asInt(), pct, null,
            t.get("salesAmountWithTax").decimalValue()));
        merge(acc, new Signatures.Counter(prefix + "TaxByTax", cur, t.path("taxID").asInt(), pct, null,
            t.get("taxAmount").decimalValue()));
      }
      for (JsonNode p : r.path("receiptPayments")) {
        merge(acc, new Signatures.Counter("BalanceByMoneyType", cur, null, null, p.path("moneyTypeCode").asText(),
            p.get("paymentAmount").decimalValue()));
      }
    }
    acc.values().stream().filter(c -> c.value().signum() != 0).sorted(Signatures.recommendedOrder())
        .forEach(counters::add);
    String s = Signatures.dayString(deviceID, dayNo, openedDate, counters, FiscalCounterOrder.RECOMMENDED);
    ObjectNode body = M.createObjectNode().put("fiscalDayNo", dayNo).put("receiptCounter", counter);
    ArrayNode arr = body.putArray("fiscalDayCounters");
    for (Signatures.Counter c : counters) {
      ObjectNode n = arr.addObject().put("fiscalCounterType", c.type()).put("fiscalCounterCurrency", c.currency());
      if (c.taxID() != null) {
        n.put("fiscalCounterTaxID", c.taxID());
        if (c.taxPercent() != null) {
          n.put("fiscalCounterTaxPercent", c.taxPercent());
        }
      }
      if (c.moneyType() != null) {
        n.put("fiscalCounterMoneyType", c.moneyType());
      }
      n.put("fiscalCounterValue", c.value());
    }
    body.putObject("fiscalDayDeviceSignature").put("hash", Signatures.sha256Base64(s)).put("signature", signBase64(s));
    return body;
  }

  /** submitFile with {@code file} Base64-encoded as a text body (SWAGGER). */
  Resp submitFile(JsonNode file) throws Exception {
    String b64 = Base64.getEncoder().encodeToString(M.writeValueAsBytes(file));
    return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + dev("SubmitFile")))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(b64)), Duration.ofSeconds(30));
  }

  private static void merge(java.util.Map<String, Signatures.Counter> acc, Signatures.Counter c) {
    String key = c.type() + c.currency() + c.taxID() + c.taxPercent() + c.moneyType();
    acc.merge(key, c, (a, b) -> new Signatures.Counter(a.type(), a.currency(), a.taxID(), a.taxPercent(),
        a.moneyType(), a.value().add(b.value())));
  }
}
