package io.fiscald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fiscald.agent.api.DaemonInfo;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * fiscalctl's way into a running daemon: found through its {@code daemon.json}, checked with
 * {@code /healthz}, authenticated with the technician token it keeps in the data directory. Commands
 * that change state use it instead of opening the database while fiscald owns it.
 */
final class DaemonClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI base;
  private final String token;

  private DaemonClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A client for the daemon serving {@code dir}, if one is running there (a stale daemon.json is ignored). */
  static Optional<DaemonClient> ifRunning(DataDirectory dir) {
    Optional<DaemonInfo> info = DaemonInfo.read(dir);
    if (info.isEmpty() || !Files.isReadable(DaemonInfo.tokenFile(dir))) {
      return Optional.empty();
    }
    String token;
    try {
      token = Files.readString(DaemonInfo.tokenFile(dir)).strip();
    } catch (IOException e) {
      return Optional.empty();
    }
    DaemonClient client = new DaemonClient(info.get().url(), token);
    try {
      HttpResponse<Void> health = client.http.send(HttpRequest.newBuilder(info.get().url().resolve("/healthz"))
          .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return health.statusCode() == 200 ? Optional.of(client) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // daemon.json left by a daemon that was killed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The device's settings (for rendering reports), read without disturbing the daemon. */
  static io.fiscald.agent.device.DeviceSettings settings(DataDirectory dir) {
    try (java.sql.Connection c = io.fiscald.store.Database.openReadOnly(dir.database())) {
      return io.fiscald.agent.Agent.settingsOf(io.fiscald.store.Devices.find(c).orElseThrow());
    } catch (java.sql.SQLException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, e.getMessage());
    }
  }

  /**
   * Issues {@code body} {@code repeat} times with up to {@code concurrency} requests in flight, each
   * with its own Idempotency-Key; prints each answer as one JSON line as soon as it arrives (after its
   * commit). Stops at the first refusal and rethrows it.
   */
  int issueAll(byte[] body, int repeat, int concurrency, java.io.PrintStream out) throws InterruptedException {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(concurrency);
    java.util.concurrent.atomic.AtomicReference<FiscalException> failure = new java.util.concurrent.atomic
        .AtomicReference<>();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < concurrency; t++) {
      pool.execute(() -> {
        while (failure.get() == null && next.getAndIncrement() < repeat) {
          try {
            JsonNode answer = post("/v1/receipts", body);
            synchronized (out) {
              out.println(Output.jsonLine(answer));
              out.flush();
            }
          } catch (FiscalException e) {
            failure.compareAndSet(null, e);
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(365, java.util.concurrent.TimeUnit.DAYS);
    if (failure.get() != null) {
      throw failure.get();
    }
    return 0;
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** POSTs {@code body} with a fresh Idempotency-Key. */
  JsonNode post(String path, byte[] body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("Idempotency-Key", "fiscalctl-" + UUID.randomUUID())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private JsonNode send(HttpRequest.Builder b) {
    HttpResponse<String> r;
    try {
      r = http.send(b.header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(1)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.SHUTTING_DOWN, "fiscald at " + base + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FiscalException(ErrorCode.INTERNAL, "interrupted while waiting for fiscald");
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.INTERNAL, "fiscald answered " + r.statusCode() + " with something that is"
          + " not JSON");
    }
    if (r.statusCode() / 100 == 2) {
      return body;
    }
    JsonNode error = body.path("error");
    ErrorCode code;
    try {
      code = ErrorCode.valueOf(error.path("code").asText());
    } catch (IllegalArgumentException e) {
      code = ErrorCode.INTERNAL;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    error.path("details").fields().forEachRemaining(f -> details.put(f.getKey(), JSON.convertValue(f.getValue(),
        Object.class)));
    throw new FiscalException(code, error.path("message").asText("fiscald answered " + r.statusCode()), details);
  }
}
