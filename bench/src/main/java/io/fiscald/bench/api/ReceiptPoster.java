package io.fiscald.bench.api;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A POS as the load generator plays it: POST /v1/receipts with a cashier token and a fresh
 * Idempotency-Key per sale, over a pool of keep-alive HTTP/1.1 connections (one per client).
 */
public final class ReceiptPoster implements AutoCloseable {
  private static final MediaType JSON = MediaType.get("application/json");
  /** A small cash sale in the local profile's Kenyan tax bands (docs/examples/receipt-request.json). */
  static final byte[] SALE = ("{\"type\":\"INVOICE\",\"currency\":\"KES\",\"pricesIncludeTax\":true,\"lines\":["
      + "{\"name\":\"Sugar 1kg\",\"quantity\":\"2\",\"unitPrice\":\"522.00\",\"taxCode\":\"B\",\"code\":\"SKU-1\"},"
      + "{\"name\":\"Milk 500ml\",\"quantity\":\"1\",\"unitPrice\":\"60.00\",\"taxCode\":\"A\"}],"
      + "\"payments\":[{\"method\":\"CASH\",\"amount\":\"1104.00\"}]}").getBytes(StandardCharsets.UTF_8);

  private final OkHttpClient client;
  private final String url;
  private final String authorization;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong sequence = new AtomicLong();
  private final RequestBody body = RequestBody.create(SALE, JSON);

  public ReceiptPoster(URI base, String token, int connections) {
    this.url = base.resolve("/v1/receipts").toString();
    this.authorization = "Bearer " + token;
    this.client = new OkHttpClient.Builder()
        .protocols(java.util.List.of(Protocol.HTTP_1_1))
        .connectionPool(new ConnectionPool(connections, 5, TimeUnit.MINUTES))
        .retryOnConnectionFailure(false) // a retry would hide a failure and double-count a sale
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(60))
        .build();
  }

  /** Issues one receipt; returns the HTTP status, or -1 when the connection failed. */
  public int post() {
    Request request = new Request.Builder().url(url).post(body)
        .header("Authorization", authorization)
        .header("Idempotency-Key", "bench-" + run + "-" + sequence.incrementAndGet())
        .build();
    try (Response response = client.newCall(request).execute()) {
      response.body().bytes(); // read it all: the connection goes back to the pool only then
      return response.code();
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
