package io.fiscald.bench.reliability;

import io.fiscald.agent.Agent;
import io.fiscald.agent.api.Role;
import io.fiscald.agent.api.TokenService;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

/**
 * A throw-away local-profile device for a harness, with its master key in {@code master.key} of the data
 * directory (so a child daemon opens it without any environment), and API tokens.
 */
public final class BenchDevice {
  /** The environment harness agents and child daemons use: none of the caller's keys or data dirs. */
  public static final Map<String, String> ENV = Map.of();

  /** One sale of the README: 2 × Sugar at 522.00 with 16 % VAT, paid in cash. */
  public static final String SALE = "{\"currency\": \"KES\", \"lines\": [{\"name\": \"Sugar 1kg\", \"quantity\": \"2\","
      + " \"unitPrice\": \"522.00\", \"taxCode\": \"B\"}], \"payments\": [{\"method\": \"CASH\", \"amount\": \"1044.00\"}]}";

  private BenchDevice() {}

  public static DataDirectory create(Path root) {
    DataDirectory dir = new DataDirectory(root);
    Agent.initialise(dir, ENV, "BENCH-0001", "sandbox", KeyAlgorithm.EC_P256, DeviceSettings.defaults(),
        Clock.systemUTC());
    return dir;
  }

  /**
   * Raises the per-token rate limit in the device's fiscald.conf far above what the harness sends, so it
   * measures the agent and not the limiter (which still runs on every call).
   */
  public static void unthrottle(DataDirectory dir) throws IOException {
    Files.writeString(dir.root().resolve(FiscaldConfig.FILE_NAME),
        "api.rate-limit.per-second = 1000000\napi.rate-limit.burst = 1000000\n");
  }

  /** Creates a token; call while no daemon holds the data directory or through its own connection. */
  public static String token(DataDirectory dir, String name, Role role) {
    try (Connection c = Database.openForWriting(dir.database())) {
      return TokenService.create(c, name, role, Clock.systemUTC()).token().revealUtf8();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
