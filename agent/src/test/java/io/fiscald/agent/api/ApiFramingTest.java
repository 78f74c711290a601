package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.store.Receipts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests whose HTTP framing is broken (found by {@code fiscalctl bench bad-input}): a body cut short
 * of its Content-Length and an invalid chunked body were answered 500 INTERNAL; they are the caller's
 * mistake, answered 400 MALFORMED_REQUEST, and nothing is stored.
 */
class ApiFramingTest {
  @TempDir Path tmp;
  ApiFixture f;

  @BeforeEach
  void setUp() {
    f = new ApiFixture(tmp);
    assertThat(f.openDay().status()).isEqualTo(201);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aBodyShorterThanItsContentLengthIsMalformedNotInternal() throws Exception {
    String answer = raw(head("k1") + "Content-Length: " + (ApiFixture.SALE.length() + 100) + "\r\n\r\n"
        + ApiFixture.SALE);
    assertThat(answer).startsWith("HTTP/1.1 400").contains("MALFORMED_REQUEST");
    assertNothingIssued();
  }

  @Test
  void anInvalidChunkedBodyIsMalformedNotInternal() throws Exception {
    String answer = raw(head("k2") + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400").contains("MALFORMED_REQUEST");
    assertNothingIssued();
  }

  @Test
  void aCutBodyOnARefusedRouteIsStillAnsweredAsACallersMistake() throws Exception {
    String answer = raw("POST /v1/nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"a\":");
    assertThat(answer).startsWith("HTTP/1.1 4");
  }

  @Test
  void theServerStillIssuesAfterwards() throws Exception {
    raw(head("k3") + "Content-Length: 9999\r\n\r\n{");
    assertThat(f.sell("after").status()).isEqualTo(201);
  }

  private void assertNothingIssued() throws Exception {
    try (Connection c = f.read()) {
      assertThat(Receipts.count(c)).isZero();
    }
  }

  private String head(String key) {
    return "POST /v1/receipts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + f.cashier
        + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/json\r\n";
  }

  /** Sends the bytes, half-closes (the body ends there), returns the whole answer. */
  private String raw(String request) throws Exception {
    URI base = f.daemon.server().baseUri();
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
