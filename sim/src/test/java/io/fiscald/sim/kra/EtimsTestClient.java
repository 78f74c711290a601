package io.fiscald.sim.kra;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A bare HTTP client for the simulator's tests: JSON in, status and JSON (or text) out. */
final class EtimsTestClient {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** One answer. */
  record Answer(int status, String text, JsonNode json) {
    String resultCd() {
      return json == null ? null : json.path("resultCd").asText(null);
    }

    String resultMsg() {
      return json == null ? null : json.path("resultMsg").asText(null);
    }

    JsonNode data() {
      return json.path("data");
    }
  }

  final EtimsSimulator sim;
  final Transport transport;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final Map<String, String> headers = new LinkedHashMap<>();
  Duration timeout = Duration.ofSeconds(30);

  EtimsTestClient(EtimsSimulator sim, Transport transport) {
    this.sim = sim;
    this.transport = transport;
  }

  EtimsTestClient header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Sends tin, bhfId and cmcKey as headers, as the sheet recommends (§1.3). */
  EtimsTestClient device(DeviceInfo d) {
    return header("tin", d.tin()).header("bhfId", d.bhfId()).header("cmcKey", d.cmcKey());
  }

  Answer post(EtimsEndpoint endpoint, Object body) throws IOException, InterruptedException {
    return send(request(endpoint, body));
  }

  HttpRequest request(EtimsEndpoint endpoint, Object body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url(transport, endpoint))).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
    headers.forEach(b::header);
    return b.build();
  }

  Answer send(HttpRequest request) throws IOException, InterruptedException {
    return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  static Answer answer(HttpResponse<String> r) {
    JsonNode json = null;
    try {
      json = JSON.readTree(r.body());
    } catch (IOException notJson) {
      // plain text answers (503, TEXT_400) keep json null
    }
    return new Answer(r.statusCode(), r.body(), json);
  }

  static ObjectNode obj() {
    return JSON.createObjectNode();
  }
}
