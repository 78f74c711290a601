package io.fiscald.bench.harness;

import io.fiscald.agent.Agent;
import io.fiscald.agent.api.Role;
import io.fiscald.agent.api.TokenService;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

/**
 * The throw-away local-profile device every benchmark and harness works on: a software EC P-256 key sealed
 * under a master key kept in {@code master.key} of its data directory, as on a till (so a child daemon opens
 * it without any environment); API tokens; and fiscald.conf raising the per-token rate limit so a harness
 * measures the agent, not the limiter (the documented setting, docs/API.md; the gate still runs on every call).
 */
public final class BenchDevice {
  /** The environment harness agents and child daemons use: none of the caller's keys or data dirs. */
  public static final Map<String, String> ENV = Map.of();
  /** Name of the cashier token a load generator uses ({@link #createForLoad}). */
  public static final String TOKEN_NAME = "bench-load";
  /** One sale of the README on one line: 2 × Sugar at 522.00 with 16 % VAT, paid in cash. */
  public static final String SALE = "{\"currency\": \"KES\", \"lines\": [{\"name\": \"Sugar 1kg\", \"quantity\": \"2\","
      + " \"unitPrice\": \"522.00\", \"taxCode\": \"B\"}], \"payments\": [{\"method\": \"CASH\", \"amount\": \"1044.00\"}]}";
  /** docs/examples/receipt-request.json, the request `receipt issue --repeat` and the core benchmarks measure with. */
  public static final String EXAMPLE_REQUEST = """
      {
        "type": "INVOICE",
        "currency": "KES",
        "pricesIncludeTax": true,
        "lines": [
          {"name": "Sugar 1kg", "quantity": "2", "unitPrice": "522.00", "taxCode": "B", "code": "SKU-1"}
        ],
        "payments": [
          {"method": "CASH", "amount": "1044.00"}
        ],
        "buyer": {"name": "Acme Ltd", "tin": "P051234567X"}
      }
      """;
  /** Rate limit written to fiscald.conf: far above anything 2 cores can serve. */
  static final int RATE_LIMIT = 1_000_000;

  private final DataDirectory dir;
  private final String loadToken; // null unless created for a load generator

  private BenchDevice(DataDirectory dir, String loadToken) {
    this.dir = dir;
    this.loadToken = loadToken;
  }

  /** Creates the device (no day open) in the empty directory {@code root}. */
  public static BenchDevice create(Path root) {
    DataDirectory dir = new DataDirectory(root);
    Agent.initialise(dir, ENV, "BENCH-0001", "sandbox", KeyAlgorithm.EC_P256, DeviceSettings.defaults(),
        Clock.systemUTC());
    return new BenchDevice(dir, null);
  }

  /**
   * A device ready for a load generator: created, its fiscal day open, a cashier token ({@link #token()}) and
   * an unthrottled fiscald.conf; {@code apiThreads} 0 keeps the default pool.
   */
  public static BenchDevice createForLoad(Path root, int apiThreads) {
    BenchDevice device = create(root);
    try (Agent agent = device.open()) {
      agent.core().openDay();
    }
    BenchDevice ready = new BenchDevice(device.dir, device.token(TOKEN_NAME, Role.CASHIER));
    ready.unthrottle(apiThreads);
    return ready;
  }

  /** Opens the device (the single-writer lock, the core running); the caller closes it. */
  public Agent open() {
    return Agent.open(dir, ENV, Clock.systemUTC());
  }

  public DataDirectory dir() {
    return dir;
  }

  /** The load generator's cashier token (a throw-away device's: it is never printed). */
  public String token() {
    if (loadToken == null) {
      throw new IllegalStateException("a device made with create() has no load token; use createForLoad()");
    }
    return loadToken;
  }

  /** Creates a token; call while no daemon holds the data directory. */
  public String token(String name, Role role) {
    try (Connection c = Database.openForWriting(dir.database())) {
      return TokenService.create(c, name, role, Clock.systemUTC()).token().revealUtf8();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close the bench device's connection: " + e.getMessage(), e);
    }
  }

  /**
   * Writes fiscald.conf with the per-token rate limit far above what a harness sends; {@code apiThreads} 0
   * keeps the default API pool.
   */
  public void unthrottle(int apiThreads) {
    String settings = "api.rate-limit.per-second = " + RATE_LIMIT + "\napi.rate-limit.burst = " + RATE_LIMIT + "\n"
        + (apiThreads > 0 ? "api.threads = " + apiThreads + "\n" : "");
    try {
      Files.writeString(dir.root().resolve(FiscaldConfig.FILE_NAME), settings, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #EXAMPLE_REQUEST}, parsed as the API parses it. */
  public static ReceiptRequest exampleRequest() {
    return new ReceiptRequestParser().parse(EXAMPLE_REQUEST.getBytes(StandardCharsets.UTF_8));
  }
}
