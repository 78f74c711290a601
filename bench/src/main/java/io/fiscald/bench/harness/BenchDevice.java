package io.fiscald.bench.harness;

import io.fiscald.agent.Agent;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.api.Role;
import io.fiscald.agent.api.TokenService;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.hal.sign.KeyAlgorithm;
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
 * A fresh local-profile device for a benchmark: initialised, its fiscal day open, a cashier token for the
 * load generator, and fiscald.conf raising the per-token rate limit so the generator measures the
 * agent, not the limiter (the documented setting, docs/API.md; the gate itself still runs on every call).
 */
public final class BenchDevice {
  /** Name of the cashier token the load generator uses. */
  public static final String TOKEN_NAME = "bench-load";
  /** Rate limit written to the bench device's fiscald.conf: far above anything 2 cores can serve. */
  static final int RATE_LIMIT = 1_000_000;

  private final DataDirectory dir;
  private final String token;

  private BenchDevice(DataDirectory dir, String token) {
    this.dir = dir;
    this.token = token;
  }

  /** Creates the device in the empty directory {@code root}; {@code apiThreads} 0 keeps the default pool. */
  public static BenchDevice create(Path root, int apiThreads) {
    DataDirectory dir = new DataDirectory(root);
    Clock clock = Clock.systemUTC();
    Map<String, String> env = Map.of(); // the master key goes to <root>/master.key, as on a till
    Agent.initialise(dir, env, null, "sandbox", KeyAlgorithm.EC_P256, DeviceSettings.defaults(), clock);
    String token;
    try (Agent agent = Agent.open(dir, env, clock); Connection c = agent.newStateConnection()) {
      agent.core().openDay();
      token = TokenService.create(c, TOKEN_NAME, Role.CASHIER, clock).token().revealUtf8();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close the bench device's connection: " + e.getMessage(), e);
    }
    String settings = "api.rate-limit.per-second = " + RATE_LIMIT + "\napi.rate-limit.burst = " + RATE_LIMIT + "\n"
        + (apiThreads > 0 ? "api.threads = " + apiThreads + "\n" : "");
    try {
      Files.writeString(root.resolve(FiscaldConfig.FILE_NAME), settings, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BenchDevice(dir, token);
  }

  public DataDirectory dir() {
    return dir;
  }

  /** The cashier token (a benchmark's own throw-away device: it is never printed). */
  public String token() {
    return token;
  }
}
