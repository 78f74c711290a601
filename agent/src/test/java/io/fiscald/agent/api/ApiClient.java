package io.fiscald.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** A real HTTP client for tests: every call goes over loopback to the server under test. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;

  ApiClient(URI base) {
    this.base = base;
  }

  /** An answer: status, headers, body text, and the body as JSON when it is JSON. */
  record Answer(int status, Map<String, List<String>> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    /** The error code of an error answer. */
    String code() {
      return json().path("error").path("code").asText();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  Answer get(String path, String token) {
    return send(builder(path, token).GET());
  }

  Answer post(String path, String token, String idempotencyKey, String body) {
    HttpRequest.Builder b = builder(path, token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(b);
  }

  Answer postBytes(String path, String token, String idempotencyKey, byte[] body) {
    HttpRequest.Builder b = builder(path, token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(b);
  }

  Answer delete(String path, String token) {
    return send(builder(path, token).DELETE());
  }

  Answer method(String method, String path, String token) {
    return send(builder(path, token).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private HttpRequest.Builder builder(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Answer send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
