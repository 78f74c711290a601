package io.fiscald.agent.api;

import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.testing.MutableClock;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.store.Database;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** A real device in a temporary directory served by a real daemon on a free loopback port. */
final class ApiFixture implements AutoCloseable {
  static final String SALE = """
      {"currency": "KES", "lines": [{"name": "Sugar 1kg", "quantity": "2", "unitPrice": "522.00", "taxCode": "B"}],
       "payments": [{"method": "CASH", "amount": "1044.00"}]}""";

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T06:00:00Z"));
  final DataDirectory dir;
  final UnaryOperator<ApiConfig> tweak;
  Daemon daemon;
  ApiClient client;
  String cashier;
  String technician;
  String admin;

  ApiFixture(Path tmp) {
    this(tmp, c -> c);
  }

  ApiFixture(Path tmp, UnaryOperator<ApiConfig> tweak) {
    this.dir = TestDevice.create(tmp.resolve("data"), clock);
    this.tweak = tweak;
    start();
    try (Connection c = Database.openForWriting(dir.database())) {
      cashier = TokenService.create(c, "pos-1", Role.CASHIER, clock).token().revealUtf8();
      technician = TokenService.create(c, "tech", Role.TECHNICIAN, clock).token().revealUtf8();
      admin = TokenService.create(c, "boss", Role.ADMIN, clock).token().revealUtf8();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  ApiConfig config() {
    return tweak.apply(ApiConfig.defaults().withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        false));
  }

  void start() {
    daemon = Daemon.start(dir, TestDevice.ENV, config(), agent -> ApiHooks.defaults(agent.device().authority()),
        clock);
    client = new ApiClient(daemon.server().baseUri());
  }

  /** Stops the daemon the graceful way and starts a new one on the same data directory. */
  void restart() {
    daemon.close();
    start();
  }

  ApiClient.Answer openDay() {
    return client.post("/v1/day/open", technician, "open-" + System.nanoTime(), "");
  }

  ApiClient.Answer sell(String key) {
    return client.post("/v1/receipts", cashier, key, SALE);
  }

  Connection read() {
    return Database.openReadOnly(dir.database());
  }

  @Override
  public void close() {
    daemon.close();
  }
}
