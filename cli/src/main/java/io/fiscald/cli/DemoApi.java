package io.fiscald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fiscald.agent.Agent;
import io.fiscald.agent.api.ApiConfig;
import io.fiscald.agent.api.ApiHooks;
import io.fiscald.agent.api.ApiServer;
import io.fiscald.agent.api.Role;
import io.fiscald.agent.api.TokenService;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;

/**
 * The demo's POS: the local API started in-process on a free loopback port, a fresh cashier token,
 * and an HTTP client that sells through {@code POST /v1/receipts} exactly as a till would.
 */
final class DemoApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Agent agent;
  private final ApiServer server;
  private final String token;
  private final HttpClient http = HttpClient.newHttpClient();

  private DemoApi(Agent agent, ApiServer server, String token) {
    this.agent = agent;
    this.server = server;
    this.token = token;
  }

  static DemoApi start(Agent agent, Runnable printQueueChanged) {
    ApiConfig config = ApiConfig.defaults().withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        false);
    ApiServer server = ApiServer.start(agent, config, ApiHooks.builder(agent.device().authority())
        .onPrintQueueChanged(printQueueChanged).build(), Clock.systemUTC());
    try (Connection c = agent.newStateConnection()) {
      String token = TokenService.create(c, "demo-cashier-" + System.currentTimeMillis(), Role.CASHIER,
          Clock.systemUTC()).token().revealUtf8();
      return new DemoApi(agent, server, token);
    } catch (SQLException | RuntimeException e) {
      server.close();
      throw e instanceof RuntimeException re ? re : new FiscalException(ErrorCode.STORAGE_ERROR, e.getMessage());
    }
  }

  URI url() {
    return server.baseUri();
  }

  /** Sells {@code json} through the API and returns the committed receipt with its journal seal. */
  IssuedReceipt issue(String json) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/receipts"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode answer = JSON.readTree(r.body());
    if (r.statusCode() != 201) {
      throw new FiscalException(ErrorCode.valueOf(answer.path("error").path("code").asText("INTERNAL")),
          answer.path("error").path("message").asText());
    }
    Connection c = agent.reader();
    ReceiptRecord row = Receipts.findByNumber(c, answer.path("receiptNumber").asText()).orElseThrow();
    JournalEntry entry = Journal.get(c, row.journalSeq()).orElseThrow();
    return new IssuedReceipt(ReceiptCodec.receipt(row.body()),
        new ReceiptSeal(entry.seq(), entry.hash(), entry.signature()));
  }

  @Override
  public void close() {
    server.close();
  }
}
