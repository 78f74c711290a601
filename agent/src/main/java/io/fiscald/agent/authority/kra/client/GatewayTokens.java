package io.fiscald.agent.authority.kra.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The gateway's OAuth client-credentials token, fetched on first use, cached until a minute before it
 * expires and fetched again after a 401 (sheet §1.2). Thread-safe; the token never leaves this class
 * except as a header value.
 */
final class GatewayTokens {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OkHttpClient http;
  private final GatewayCredentials credentials;
  private final Clock clock;
  private String token;
  private Instant expires = Instant.MIN;
  private int fetches;

  GatewayTokens(OkHttpClient http, GatewayCredentials credentials, Clock clock) {
    this.http = http;
    this.credentials = credentials;
    this.clock = clock;
  }

  synchronized String token() {
    if (token == null || !clock.instant().isBefore(expires)) {
      fetch();
    }
    return token;
  }

  /** Forgets the cached token after the gateway refused it. */
  synchronized void invalidate() {
    token = null;
  }

  synchronized int fetches() {
    return fetches;
  }

  private void fetch() {
    HttpUrl url = HttpUrl.parse(credentials.tokenUrl());
    if (url == null) {
      throw new EtimsCallException(EtimsCallException.Kind.UNREACHABLE, "gateway token URL is not a URL: "
          + credentials.tokenUrl(), null);
    }
    byte[] secret = credentials.consumerSecret().revealBytes();
    String basic;
    try {
      byte[] user = (credentials.consumerKey() + ":").getBytes(StandardCharsets.UTF_8);
      byte[] pair = new byte[user.length + secret.length];
      System.arraycopy(user, 0, pair, 0, user.length);
      System.arraycopy(secret, 0, pair, user.length, secret.length);
      basic = Base64.getEncoder().encodeToString(pair);
      java.util.Arrays.fill(pair, (byte) 0);
    } finally {
      java.util.Arrays.fill(secret, (byte) 0);
    }
    Request request = new Request.Builder()
        .url(url.newBuilder().setQueryParameter("grant_type", "client_credentials").build())
        .header("Authorization", "Basic " + basic)
        .get().build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw new EtimsCallException(EtimsCallException.Kind.UNREACHABLE, "gateway token request to "
            + url.host() + " answered HTTP " + response.code(), null);
      }
      JsonNode node = JSON.readTree(text);
      String value = node.path("access_token").asText(null);
      if (value == null || value.isBlank()) {
        throw new EtimsCallException(EtimsCallException.Kind.UNREACHABLE, "gateway token answer from " + url.host()
            + " holds no access_token", null);
      }
      long seconds = node.path("expires_in").asLong(3600);
      token = value;
      expires = clock.instant().plusSeconds(Math.max(0, seconds - 60));
      fetches++;
    } catch (ConnectException | UnknownHostException e) {
      throw new EtimsCallException(EtimsCallException.Kind.UNREACHABLE, "gateway token endpoint " + url.host()
          + " is unreachable: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new EtimsCallException(EtimsCallException.Kind.UNREACHABLE, "gateway token request to " + url.host()
          + " failed: " + e.getMessage(), e);
    }
  }
}
