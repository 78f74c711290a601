package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.device.DeviceKeys;
import io.fiscald.store.Database;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole demo (ZIMRA and KRA) and a serve session with API calls in child JVMs with debug logging,
 * captures everything they print, and looks for every secret they used: the master key (hex and Base64),
 * each sealed secret (the device private key, ZIMRA's certificate key material, KRA's cmcKey, ...) in raw,
 * hex, Base64 and PEM-body forms, API tokens, the webhook secret and the activation key.
 */
class SecretLeakTest {
  /** Sealed, but printed on every KRA receipt (SCU ID, MRC: KRA TIS §6): identifiers, not secrets. */
  static final List<String> PRINTED_BY_LAW = List.of("kra.sdcId", "kra.mrcNo");
  static final Pattern TOKEN = Pattern.compile("fsd_[A-Za-z0-9_-]{8,}");
  @TempDir Path tmp;
  final byte[] masterKey = new byte[32];
  final List<String> outputs = new ArrayList<>(); // name + text of every stream captured

  SecretLeakTest() {
    new SecureRandom().nextBytes(masterKey);
  }

  /** fiscalctl in a child JVM with debug logging and this test's master key; waits for it. */
  String[] run(String name, String... args) throws Exception {
    Process p = start(name, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finished", name).isTrue();
    String err = Files.readString(tmp.resolve(name + ".stderr"));
    assertThat(p.exitValue()).as("%s exit; stderr:%n%s", name, err).isZero();
    outputs.add(name + " stderr\n" + err);
    return new String[] {out, err};
  }

  Process start(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
    pb.environment().put(MasterKey.ENV_VAR, Base64.getEncoder().encodeToString(masterKey));
    pb.redirectError(tmp.resolve(name + ".stderr").toFile());
    return pb.start();
  }

  /** Every sealed secret of a data directory, opened with the test's master key. */
  Map<String, byte[]> sealedSecrets(Path dataDir) throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (Connection c = Database.openReadOnly(dataDir.resolve(Database.FILE_NAME))) {
      SecretStore store = new SecretStore(new SecretBox(MasterKey.of(masterKey)));
      for (String name : store.names(c)) {
        if (PRINTED_BY_LAW.contains(name)) {
          continue;
        }
        out.put(name, store.get(c, name).orElseThrow().revealBytes());
      }
    }
    return out;
  }

  /** The forms a secret could take in a log line. */
  static List<String> forms(byte[] secret) {
    List<String> f = new ArrayList<>();
    f.add(HexFormat.of().formatHex(secret));
    f.add(HexFormat.of().withUpperCase().formatHex(secret));
    String b64 = Base64.getEncoder().encodeToString(secret);
    f.add(b64.length() > 40 ? b64.substring(8, 40) : b64); // a slice also catches a PEM body's wrapped lines
    f.add(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    String text = new String(secret, StandardCharsets.UTF_8);
    if (text.length() >= 6 && text.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
      f.add(text);
    }
    return f;
  }

  void assertNoLeak(String what, byte[] secret) {
    for (String form : forms(secret)) {
      for (String out : outputs) {
        assertThat(out).as("%s must not appear (as %s) in %s", what, form, out.lines().findFirst().orElse(""))
            .doesNotContain(form);
      }
    }
  }

  void assertNoTokenShapes() {
    for (String out : outputs) {
      Matcher m = TOKEN.matcher(out);
      assertThat(m.find()).as("an API token in %s: %s", out.lines().findFirst().orElse(""),
          m.find(0) ? m.group() : "").isFalse();
    }
  }

  @Test
  void theDemosPrintAndLogNoSecret() throws Exception {
    Path zimra = tmp.resolve("zimra");
    Path kra = tmp.resolve("kra");
    String[] z = run("demo-zimra", "--data-dir", zimra.toString(), "demo");
    outputs.add("demo-zimra stdout\n" + z[0]);
    String[] k = run("demo-kra", "--data-dir", kra.toString(), "demo", "--authority", "kra");
    outputs.add("demo-kra stdout\n" + k[0]);
    assertThat(String.join("\n", outputs)).as("debug logging was on").contains("DEBUG");

    assertNoLeak("the master key", masterKey);
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    sealedSecrets(zimra).forEach((n, v) -> secrets.put("zimra " + n, v));
    sealedSecrets(kra).forEach((n, v) -> secrets.put("kra " + n, v));
    assertThat(secrets.keySet()).contains("zimra " + DeviceKeys.SIGNING_KEY, "kra " + DeviceKeys.SIGNING_KEY,
        "kra kra.cmcKey");
    secrets.forEach(this::assertNoLeak);
    assertNoLeak("the ZIMRA activation key", ZimraDemo.ACTIVATION_KEY.getBytes(StandardCharsets.UTF_8));
    assertNoTokenShapes();
  }

  @Test
  void aServeSessionWithApiCallsPrintsAndLogsNoSecret() throws Exception {
    Path data = tmp.resolve("till");
    run("init", "--data-dir", data.toString(), "init");
    String[] created = run("token-admin", "--data-dir", data.toString(), "token", "create", "--name", "boss", "--role",
        "admin", "--json");
    String admin = Cli.JSON.readTree(created[0]).path("token").asText(); // printed once, on purpose: not logged
    String[] cashierOut = run("token-cashier", "--data-dir", data.toString(), "token", "create", "--name", "pos",
        "--role", "cashier", "--json");
    String cashier = Cli.JSON.readTree(cashierOut[0]).path("token").asText();
    String webhookSecret = "whsec-" + HexFormat.of().formatHex(masterKey, 0, 12);
    String idempotencyKey = "idem-" + HexFormat.of().formatHex(masterKey, 12, 20);

    Process daemon = start("serve", "--data-dir", data.toString(), "serve", "--listen", "127.0.0.1:0",
        "--backup-interval", "0");
    StringBuilder daemonOut = new StringBuilder();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
      String banner = out.readLine();
      assertThat(banner).startsWith("fiscald serving device");
      daemonOut.append(banner).append('\n');
      Thread drain = new Thread(() -> { // whatever else serve prints on stdout (it should print nothing more)
        try {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            synchronized (daemonOut) {
              daemonOut.append(line).append('\n');
            }
          }
        } catch (IOException closed) {
          // the stream closes when the process is stopped
        }
      });
      drain.setDaemon(true);
      drain.start();
      URI base = URI.create(banner.replaceAll(".* on (http://[^ ]+) .*", "$1"));
      HttpClient http = HttpClient.newHttpClient();
      assertThat(send(http, base, "POST", "/v1/webhooks", admin, "hook-1", "{\"url\": \"http://127.0.0.1:9/hook\", "
          + "\"events\": [\"*\"], \"secret\": \"" + webhookSecret + "\"}")).isEqualTo(201);
      run("day-open", "--data-dir", data.toString(), "day", "open"); // through the daemon, its local token
      String sale = Files.readString(Cli.example("receipt-request.json"));
      assertThat(send(http, base, "POST", "/v1/receipts", cashier, idempotencyKey, sale)).isEqualTo(201);
      assertThat(send(http, base, "POST", "/v1/receipts", cashier, idempotencyKey, sale)).as("replay").isEqualTo(201);
      assertThat(send(http, base, "POST", "/v1/receipts", "fsd_wrongwrongwrongwrong", "x", sale)).isEqualTo(401);
      assertThat(send(http, base, "GET", "/v1/status", cashier, null, null)).isEqualTo(200);
      run("status", "--data-dir", data.toString(), "status", "--json");
      run("doctor", "--data-dir", data.toString(), "doctor", "--json", "--min-free-mb", "0", "--fail-free-mb", "0");
      run("token-list", "--data-dir", data.toString(), "token", "list"); // beside the running daemon
    } finally {
      daemon.destroy();
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    synchronized (daemonOut) {
      outputs.add("serve stdout\n" + daemonOut);
      assertThat(daemonOut.toString().lines().count()).as("serve prints its banner on stdout, logs go to stderr: %s",
          daemonOut).isEqualTo(1);
    }
    outputs.add("serve stderr\n" + Files.readString(tmp.resolve("serve.stderr")));

    assertNoLeak("the master key", masterKey);
    sealedSecrets(data).forEach(this::assertNoLeak);
    assertNoLeak("the admin token", admin.getBytes(StandardCharsets.UTF_8));
    assertNoLeak("the cashier token", cashier.getBytes(StandardCharsets.UTF_8));
    assertNoLeak("the daemon's local token", Files.readString(data.resolve("api-token")).strip()
        .getBytes(StandardCharsets.UTF_8));
    assertNoLeak("the webhook secret", webhookSecret.getBytes(StandardCharsets.UTF_8));
    assertNoLeak("the Idempotency-Key", idempotencyKey.getBytes(StandardCharsets.UTF_8));
    assertNoLeak("the refused token", "fsd_wrongwrongwrongwrong".getBytes(StandardCharsets.UTF_8));
  }

  static int send(HttpClient http, URI base, String method, String path, String token, String key, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
    if (key != null) {
      b.header("Idempotency-Key", key);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
