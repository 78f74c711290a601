package io.fiscald.bench.core;

import io.fiscald.agent.Agent;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.hal.sign.KeyAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * A real device in a scratch data directory for the benchmarks: software EC P-256 key sealed under a
 * master key held in memory, local profile, the README's example sale as the request.
 */
public final class BenchDevice {
  /** docs/examples/receipt-request.json, the request `receipt issue --repeat` measures with. */
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

  private final DataDirectory dir;
  private final Map<String, String> env;

  private BenchDevice(DataDirectory dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  /** Creates a device in the empty directory {@code root}. */
  public static BenchDevice create(Path root) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> env = Map.of("FISCALD_MASTER_KEY", Base64.getEncoder().encodeToString(key));
    DataDirectory dir = new DataDirectory(root);
    Agent.initialise(dir, env, "BENCH-0001", "sandbox", KeyAlgorithm.EC_P256, DeviceSettings.defaults(),
        Clock.systemUTC());
    return new BenchDevice(dir, env);
  }

  /** Opens the device (the single-writer lock, the core running); the caller closes it. */
  public Agent open() {
    return Agent.open(dir, env, Clock.systemUTC());
  }

  public DataDirectory dataDirectory() {
    return dir;
  }

  public static ReceiptRequest exampleRequest() {
    return new ReceiptRequestParser().parse(EXAMPLE_REQUEST.getBytes(StandardCharsets.UTF_8));
  }
}
