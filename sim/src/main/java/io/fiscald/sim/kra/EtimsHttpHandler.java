package io.fiscald.sim.kra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes HTTP to the ledger: transports, gateway OAuth, faults, envelopes and response shapes (sheet §1, §9). */
final class EtimsHttpHandler implements HttpHandler {
  static final String OSCU_PREFIX = "/etims-api";
  static final String GATEWAY_PREFIX = "/etims-oscu/api/v1";
  static final String VSCU_PREFIX = "/vscu";
  static final String TOKEN_PATH = "/v1/token/generate";

  private static final Logger log = LoggerFactory.getLogger(EtimsHttpHandler.class);
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Thrown to make the JDK server close the connection without an answer (a lost response). */
  private static final class DropConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DropConnection() {
      super("simulated lost answer", null, false, false);
    }
  }

  private final EtimsSimulator.Options options;
  private final EtimsLedger ledger;
  private final EtimsFaults faults;
  private final List<RecordedRequest> log_;
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  EtimsHttpHandler(EtimsSimulator.Options options, EtimsLedger ledger, EtimsFaults faults,
      List<RecordedRequest> requestLog) {
    this.options = options;
    this.ledger = ledger;
    this.faults = faults;
    this.log_ = requestLog;
  }

  void expireTokens() {
    tokens.replaceAll((k, v) -> Instant.EPOCH);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      byte[] raw = ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getPath();
      if (path.equals(TOKEN_PATH)) {
        token(ex);
        return;
      }
      Transport transport;
      String rel;
      if (path.startsWith(OSCU_PREFIX + "/")) {
        transport = Transport.OSCU;
        rel = path.substring(OSCU_PREFIX.length());
      } else if (path.startsWith(GATEWAY_PREFIX + "/")) {
        transport = Transport.GATEWAY;
        rel = path.substring(GATEWAY_PREFIX.length());
      } else if (path.startsWith(VSCU_PREFIX + "/")) {
        transport = Transport.VSCU;
        rel = path.substring(VSCU_PREFIX.length());
      } else {
        text(ex, 404, "No eTIMS transport under " + path + "; use " + OSCU_PREFIX + "/, " + GATEWAY_PREFIX
            + "/ or " + VSCU_PREFIX + "/");
        return;
      }
      EtimsEndpoint endpoint = EtimsEndpoint.resolve(transport, rel);
      Map<String, String> headers = new HashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
      if (endpoint == null) {
        record(transport, null, path, headers, 404, null, "unknown path", null);
        text(ex, 404, "No eTIMS function at " + rel + " on the " + transport + " transport");
        return;
      }
      if (faults.stallingAll()) {
        faults.hold(options.maxStall(), true);
      }
      if (transport == Transport.GATEWAY && !authorised(ex, headers, endpoint, path)) {
        return;
      }
      if (!ex.getRequestMethod().equals("POST")) {
        envelope(ex, transport, endpoint, path, headers, "912", ResultCodes.text("912"), null, null, false);
        return;
      }
      EtimsFaults.Kind fault = faults.take(endpoint, EtimsFaults.Kind.SERVER_ERROR,
          EtimsFaults.Kind.DUPLICATE_994, EtimsFaults.Kind.TIMEOUT_AFTER_COMMIT,
          EtimsFaults.Kind.DROP_AFTER_COMMIT, EtimsFaults.Kind.STALL);
      if (fault == EtimsFaults.Kind.SERVER_ERROR) {
        record(transport, endpoint, path, headers, 503, null, "simulated server error", fault);
        text(ex, 503, "Service Unavailable (simulated by the eTIMS simulator)");
        return;
      }
      if (fault == EtimsFaults.Kind.DUPLICATE_994) {
        envelope(ex, transport, endpoint, path, headers, "994", ResultCodes.text("994"), null, fault, false);
        return;
      }
      if (fault == EtimsFaults.Kind.STALL) {
        faults.hold(options.maxStall(), false);
      }
      String rawBody = new String(raw, StandardCharsets.UTF_8);
      EtimsLedger.Outcome outcome;
      try {
        ObjectNode body = parse(rawBody);
        outcome = ledger.handle(new EtimsLedger.Call(transport, endpoint, headers, body, rawBody));
      } catch (EtimsRejection r) {
        if (fault == EtimsFaults.Kind.TIMEOUT_AFTER_COMMIT || fault == EtimsFaults.Kind.DROP_AFTER_COMMIT) {
          lose(transport, endpoint, path, headers, fault);
        }
        envelope(ex, transport, endpoint, path, headers, r.code, r.getMessage(), null, null, r.validation);
        return;
      }
      if (fault == EtimsFaults.Kind.TIMEOUT_AFTER_COMMIT || fault == EtimsFaults.Kind.DROP_AFTER_COMMIT) {
        lose(transport, endpoint, path, headers, fault);
      }
      JsonNode data = outcome.invoice() != null ? saleData(transport, outcome.invoice()) : outcome.data();
      envelope(ex, transport, endpoint, path, headers, outcome.code(), outcome.msg(), data, null, false);
    } catch (DropConnection d) {
      throw d;
    } catch (RuntimeException e) {
      log.warn("eTIMS simulator failed on {}", ex.getRequestURI(), e);
      throw e;
    }
  }

  private void lose(Transport transport, EtimsEndpoint endpoint, String path, Map<String, String> headers,
      EtimsFaults.Kind fault) {
    record(transport, endpoint, path, headers, 0, null, "answer lost after commit", fault);
    if (fault == EtimsFaults.Kind.TIMEOUT_AFTER_COMMIT) {
      faults.hold(options.maxStall(), false);
    }
    throw new DropConnection();
  }

  private static ObjectNode parse(String raw) {
    if (raw.isBlank()) {
      throw EtimsRejection.code("911");
    }
    try {
      JsonNode n = JSON.readTree(raw);
      if (n == null || !n.isObject()) {
        throw EtimsRejection.invalid("Request parameter error[body : must be a JSON object]");
      }
      return (ObjectNode) n;
    } catch (JsonProcessingException e) {
      throw EtimsRejection.invalid("Request parameter error[body : not valid JSON: " + e.getOriginalMessage()
          + "]");
    }
  }

  // ---------------------------------------------------------------- §1.2 OAuth and gateway headers

  private void token(HttpExchange ex) throws IOException {
    if (faults.stallingAll()) {
      faults.hold(options.maxStall(), true);
    }
    if (faults.take(null, EtimsFaults.Kind.TOKEN_ERROR) != null) {
      text(ex, 503, "Token service unavailable (simulated)");
      return;
    }
    String query = ex.getRequestURI().getQuery();
    if (query == null || !("&" + query + "&").contains("&grant_type=client_credentials&")) {
      json(ex, 400, JSON.createObjectNode().put("ErrorCode", "invalid_request")
          .put("Error", "Unsupported grant type : grant_type must be client_credentials"));
      return;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        (options.clientId() + ":" + options.clientSecret()).getBytes(StandardCharsets.UTF_8));
    if (auth == null || !auth.trim().equals(expected)) {
      json(ex, 401, JSON.createObjectNode().put("ErrorCode", "invalid_client").put("Error", "ClientId is Invalid"));
      return;
    }
    byte[] b = new byte[24];
    random.nextBytes(b);
    String token = HexFormat.of().formatHex(b);
    tokens.put(token, options.clock().instant().plus(options.tokenTtl()));
    json(ex, 200, JSON.createObjectNode().put("access_token", token)
        .put("expires_in", String.valueOf(options.tokenTtl().toSeconds())).put("token_type", "Bearer"));
  }

  private boolean authorised(HttpExchange ex, Map<String, String> headers, EtimsEndpoint endpoint, String path)
      throws IOException {
    String auth = headers.get("authorization");
    String fault = null;
    if (auth == null || !auth.startsWith("Bearer ")) {
      fault = "Invalid token: no Bearer access token in the Authorization header";
    } else {
      Instant expiry = tokens.get(auth.substring(7).trim());
      if (expiry == null) {
        fault = "Invalid token";
      } else if (!options.clock().instant().isBefore(expiry)) {
        fault = "Access Token expired";
      }
    }
    if (fault == null && !options.apigeeAppId().equals(headers.get("apigee_app_id"))) {
      fault = "Invalid ApiKey: apigee_app_id header is missing or unknown";
    }
    if (fault == null) {
      return true;
    }
    record(Transport.GATEWAY, endpoint, path, headers, 401, null, fault, null);
    ObjectNode body = JSON.createObjectNode();
    body.putObject("fault").put("faultstring", fault).putObject("detail").put("errorcode",
        fault.startsWith("Access") ? "keymanagement.service.access_token_expired"
            : fault.startsWith("Invalid ApiKey") ? "oauth.v2.InvalidApiKey" : "oauth.v2.InvalidAccessToken");
    json(ex, 401, body);
    return false;
  }

  // ---------------------------------------------------------------- §9 envelope, §10 / §15.2 sale shapes

  private JsonNode saleData(Transport transport, AcceptedInvoice inv) {
    ObjectNode d = JSON.createObjectNode();
    boolean vscu = options.responseShape(transport) == ResponseShape.VSCU;
    counter(d, vscu ? "rcptNo" : "curRcptNo", inv.curRcptNo());
    counter(d, "totRcptNo", inv.totRcptNo());
    d.put("intrlData", inv.intrlData()).put("rcptSign", inv.rcptSign());
    if (vscu) {
      d.put("vsdcRcptPbctDate", inv.sdcDateTime()).put("sdcId", inv.sdcId()).put("mrcNo", inv.mrcNo());
    } else {
      d.put("sdcDateTime", inv.sdcDateTime());
    }
    return d;
  }

  private void counter(ObjectNode d, String field, long value) {
    if (options.countersAsStrings()) {
      d.put(field, String.valueOf(value));
    } else {
      d.put(field, value);
    }
  }

  private void envelope(HttpExchange ex, Transport transport, EtimsEndpoint endpoint, String path,
      Map<String, String> headers, String code, String msg, JsonNode data, EtimsFaults.Kind fault,
      boolean validation) throws IOException {
    String wireCode = code.equals(ResultCodes.OK) ? options.successCode(transport) : code;
    RejectionStyle style = validation ? options.rejectionStyle(transport) : RejectionStyle.ENVELOPE_200;
    int status = style == RejectionStyle.ENVELOPE_200 ? 200 : 400;
    record(transport, endpoint, path, headers, status, wireCode, msg, fault);
    if (style == RejectionStyle.TEXT_400) {
      text(ex, 400, msg);
      return;
    }
    ObjectNode env = JSON.createObjectNode();
    env.put("resultCd", wireCode).put("resultMsg", msg).put("resultDt", ledger.resultDt());
    env.set("data", data == null ? JSON.nullNode() : data);
    if (transport == Transport.GATEWAY && options.gatewayNestedEnvelope()) {
      ObjectNode outer = JSON.createObjectNode();
      outer.putObject("responseHeader").put("responseCode", wireCode).put("customerMessage", msg)
          .put("debugMessage", msg);
      boolean ok = code.equals(ResultCodes.OK) || code.equals(ResultCodes.NO_DATA);
      outer.set("responseBody", ok ? env : JSON.nullNode());
      json(ex, status, outer);
      return;
    }
    json(ex, status, env);
  }

  private void record(Transport transport, EtimsEndpoint endpoint, String path, Map<String, String> headers,
      int status, String code, String msg, EtimsFaults.Kind fault) {
    log_.add(new RecordedRequest(transport, endpoint, path, headers.get("tin"), headers.get("bhfid"), status, code,
        msg, fault));
    log.debug("{} {} -> {} {} {}", transport, path, status, code, msg);
  }

  private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
    send(ex, status, "application/json;charset=UTF-8", JSON.writeValueAsBytes(body));
  }

  private static void text(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "text/plain;charset=UTF-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
