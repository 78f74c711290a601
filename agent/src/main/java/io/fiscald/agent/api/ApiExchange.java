package io.fiscald.agent.api;

import com.sun.net.httpserver.Headers;
import io.fiscald.agent.api.internal.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** One API call as the route handlers see it, and what they answer. */
final class ApiExchange {
  private ApiExchange() {}

  /** A parsed request: path parameters by name, query parameters (last one wins), the body read in full. */
  record Request(String method, String path, Map<String, String> params, Map<String, String> query, Headers headers,
      byte[] body, Caller caller, Idempotency idempotency) {
    String param(String name) {
      return params.get(name);
    }
  }

  /** An answer: status, body text and its content type, extra headers. */
  record Response(int status, String body, String contentType, Map<String, String> headers) {
    static Response json(int status, Object value) {
      return new Response(status, Json.write(value), "application/json; charset=utf-8", Map.of());
    }

    static Response raw(int status, String json) {
      return new Response(status, json, "application/json; charset=utf-8", Map.of());
    }

    Response withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Response(status, body, contentType, h);
    }
  }

  @FunctionalInterface
  interface Handler {
    Response handle(Request request) throws Exception;
  }
}
