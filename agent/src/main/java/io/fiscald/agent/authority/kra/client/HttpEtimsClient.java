package io.fiscald.agent.authority.kra.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fiscald.store.secret.Secret;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * eTIMS over HTTP with OkHttp, for all three transports: the path table, where the credentials go and
 * whether a gateway token is needed are configuration, not code (sheet §1–§2, §15.2).
 */
public final class HttpEtimsClient implements EtimsClient {
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Where {@code tin}, {@code bhfId} and {@code cmcKey} go (sheet §1.3). */
  public enum Placement { HEADERS_AND_BODY, HEADERS, BODY }

  private final EtimsTransport transport;
  private final String baseUrl;
  private final Map<EtimsEndpoint, String> paths;
  private final String pin;
  private final String bhfId;
  private final Supplier<Optional<Secret>> cmcKey;
  private final Placement placement;
  private final OkHttpClient http;
  private final OkHttpClient initHttp;
  private final GatewayTokens tokens;
  private final String apigeeAppId;

  /**
   * @param paths overrides of the transport's default paths
   * @param cmcKey the communication key, read when a call needs it (empty before initialisation)
   * @param gateway the gateway's OAuth credentials; required for {@link EtimsTransport#OSCU_GATEWAY}
   */
  public HttpEtimsClient(EtimsTransport transport, String baseUrl, Map<EtimsEndpoint, String> paths, String pin,
      String bhfId, Supplier<Optional<Secret>> cmcKey, Placement placement, GatewayCredentials gateway,
      Duration initTimeout, Duration callTimeout, Clock clock) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    Map<EtimsEndpoint, String> table = new EnumMap<>(transport.defaultPaths());
    table.putAll(paths);
    this.paths = table;
    this.pin = pin;
    this.bhfId = bhfId;
    this.cmcKey = cmcKey;
    this.placement = placement;
    // ODOO: 30 s for init, 120 s for everything else, "eTIMS can often have congestion" (sheet §1.1).
    this.http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10)).readTimeout(callTimeout)
        .writeTimeout(callTimeout).callTimeout(callTimeout.plusSeconds(10)).retryOnConnectionFailure(false).build();
    this.initHttp = http.newBuilder().readTimeout(initTimeout).writeTimeout(initTimeout)
        .callTimeout(initTimeout.plusSeconds(10)).build();
    if (transport.needsToken() && gateway == null) {
      throw new IllegalArgumentException("the gateway transport needs OAuth credentials");
    }
    this.tokens = gateway == null ? null : new GatewayTokens(http, gateway, clock);
    this.apigeeAppId = gateway == null ? null : gateway.apigeeAppId();
  }

  @Override
  public EtimsTransport transport() {
    return transport;
  }

  /** The URL a function is called at, for messages and tests. */
  public String urlOf(EtimsEndpoint endpoint) {
    return baseUrl + paths.get(endpoint);
  }

  /** How many OAuth tokens were fetched so far (the gateway caches them). */
  public int tokenFetches() {
    return tokens == null ? 0 : tokens.fetches();
  }

  @Override
  public EtimsResponse call(EtimsEndpoint endpoint, Map<String, ?> body) {
    EtimsResponse first = callOnce(endpoint, body);
    if (tokens != null && first.httpStatus() == 401) {
      // Sheet §1.2: refresh the token and retry once.
      tokens.invalidate();
      return callOnce(endpoint, body);
    }
    return first;
  }

  private EtimsResponse callOnce(EtimsEndpoint endpoint, Map<String, ?> body) {
    Optional<Secret> key = endpoint == EtimsEndpoint.INIT ? Optional.empty() : cmcKey.get();
    Map<String, Object> payload = new LinkedHashMap<>();
    if (placement != Placement.HEADERS) {
      payload.put("tin", pin);
      payload.put("bhfId", bhfId);
      // The legacy host reads cmcKey from the body; the gateway only from headers (sheet §1.3).
      if (key.isPresent() && (placement == Placement.BODY || transport != EtimsTransport.OSCU_GATEWAY)) {
        payload.put("cmcKey", key.get().revealUtf8());
      }
    }
    payload.putAll(body);
    String json;
    try {
      json = JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("eTIMS request body is not serialisable: " + e.getOriginalMessage(), e);
    }
    String url = urlOf(endpoint);
    Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(json, JSON_TYPE))
        .header("Accept", "application/json");
    if (placement != Placement.BODY) {
      request.header("tin", pin).header("bhfId", bhfId);
      key.ifPresent(k -> request.header("cmcKey", k.revealUtf8()));
    }
    if (tokens != null) {
      request.header("Authorization", "Bearer " + tokens.token()).header("apigee_app_id", apigeeAppId);
    }
    OkHttpClient client = endpoint == EtimsEndpoint.INIT ? initHttp : http;
    try (Response response = client.newCall(request.build()).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      return normalise(response.code(), text);
    } catch (ConnectException | UnknownHostException | NoRouteToHostException e) {
      throw new EtimsCallException(EtimsCallException.Kind.UNREACHABLE, "eTIMS at " + url + " is unreachable: "
          + e.getMessage(), e);
    } catch (InterruptedIOException e) {
      throw new EtimsCallException(EtimsCallException.Kind.TIMEOUT, "eTIMS at " + url + " did not answer in time ("
          + e.getMessage() + "); the request may have been registered", e);
    } catch (IOException e) {
      // Sent, then the connection broke: as uncertain as a timeout.
      throw new EtimsCallException(EtimsCallException.Kind.TIMEOUT, "eTIMS at " + url + " dropped the connection ("
          + e.getMessage() + "); the request may have been registered", e);
    }
  }

  /**
   * The three answer shapes of sheet §1.2 in one record: the envelope (possibly nested in
   * {@code responseBody}), the gateway's {@code responseHeader} with a null body, and readable text.
   */
  public static EtimsResponse normalise(int status, String text) {
    JsonNode node = null;
    try {
      node = text.isBlank() ? null : JSON.readTree(text);
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node != null && node.isObject()) {
      JsonNode envelope = node;
      if (!node.has("resultCd") && node.path("responseBody").isObject()
          && node.path("responseBody").has("resultCd")) {
        envelope = node.get("responseBody");
      }
      if (envelope.has("resultCd")) {
        return new EtimsResponse(status, envelope.get("resultCd").asText(), envelope.path("resultMsg").asText(null),
            envelope.path("resultDt").asText(null), envelope.get("data"));
      }
      if (node.path("responseHeader").isObject()) {
        JsonNode h = node.get("responseHeader");
        String msg = h.hasNonNull("debugMessage") ? h.get("debugMessage").asText()
            : h.path("customerMessage").asText(h.path("responseMessage").asText(""));
        return new EtimsResponse(status, h.path("responseCode").asText(String.valueOf(status)), msg, null, null);
      }
      if (node.path("fault").isObject()) {
        String fault = node.path("fault").path("faultstring").asText("");
        String lower = fault.toLowerCase(java.util.Locale.ROOT);
        int code = lower.contains("token") ? 401 : status;
        return new EtimsResponse(code, String.valueOf(code), fault, null, null);
      }
    }
    String message = text.isBlank() ? "HTTP " + status + " with an empty body" : text.strip();
    if (message.length() > 500) {
      message = message.substring(0, 500) + "…";
    }
    return new EtimsResponse(status, String.valueOf(status), message, null, null);
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "HttpEtimsClient[" + transport.wireName() + " " + baseUrl + ", tin=" + pin + ", bhfId=" + bhfId + "]";
  }
}
