package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fiscalctl serve} in a child JVM: while it runs, state-changing fiscalctl commands go through
 * its API; SIGTERM stops it gracefully and releases the data directory.
 */
class ServeCliTest {
  @TempDir Path tmp;

  @Test
  void commandsGoThroughTheRunningDaemonAndSigtermStopsItCleanly() throws Exception {
    Path data = tmp.resolve("data");
    Cli.runWithKeyFile(tmp.resolve("init"), "--data-dir", data.toString(), "init").ok();
    JsonNode token = Cli.run("--data-dir", data.toString(), "token", "create", "--name", "till-1", "--role",
        "cashier", "--json").ok().json();
    assertThat(token.path("token").asText()).startsWith("fsd_");
    assertThat(token.path("role").asText()).isEqualTo("cashier");
    Cli.run("--data-dir", data.toString(), "token", "create", "--name", "till-1", "--role", "cashier", "--json")
        .error(2, "TOKEN_NAME_TAKEN");

    Process daemon = ChildJvm.start(tmp, "--data-dir", data.toString(), "serve", "--listen", "127.0.0.1:0");
    BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
    String banner = out.readLine();
    assertThat(banner).as("serve banner (see child-stderr.log)").startsWith("fiscald serving device");
    assertThat(data.resolve("daemon.json")).exists();

    // the daemon holds the lock: these only work because they go through its API
    Cli.run("--data-dir", data.toString(), "day", "open").ok();
    Cli.Result issued = Cli.run("--data-dir", data.toString(), "receipt", "issue", "--file",
        Cli.example("receipt-request.json").toString(), "--repeat", "5", "--concurrency", "3").ok();
    assertThat(issued.jsonLines()).hasSize(5).allSatisfy(n -> assertThat(n.path("hash").asText()).hasSize(64));
    JsonNode x = Cli.run("--data-dir", data.toString(), "day", "x-report", "--json").ok().json();
    assertThat(x.path("receiptCount").asInt()).isEqualTo(5);
    // a second daemon on the same directory: a clear start-up error
    Cli.run("--data-dir", data.toString(), "serve", "--listen", "127.0.0.1:0", "--json")
        .error(1, "DATA_DIR_LOCKED");
    // read-only commands work beside it
    assertThat(Cli.run("--data-dir", data.toString(), "status", "--json").ok().json().path("receipts").asLong())
        .isEqualTo(5);

    daemon.destroy(); // SIGTERM: graceful
    assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(data.resolve("daemon.json")).doesNotExist();
    // the lock is released: a direct close works
    JsonNode z = Cli.runWithKeyFile(tmp.resolve("close"), "--data-dir", data.toString(), "day", "close", "--json")
        .ok().json();
    assertThat(z.path("receiptCount").asInt()).isEqualTo(5);
    JsonNode audit = Cli.run("--data-dir", data.toString(), "audit", "verify", "--json").ok().json();
    assertThat(audit.path("ok").asBoolean()).isTrue();
    assertThat(Files.readString(tmp.resolve("child-stderr.log"))).doesNotContain(token.path("token").asText());
  }

  @Test
  void aNonLoopbackAddressIsRefusedWithoutAllowRemote() {
    Path data = tmp.resolve("data");
    Cli.runWithKeyFile(tmp.resolve("init"), "--data-dir", data.toString(), "init").ok();
    Cli.Result r = Cli.run("--data-dir", data.toString(), "serve", "--listen", "0.0.0.0:0", "--json");
    assertThat(r.error(2, "INVALID_ARGUMENT").path("message").asText()).contains("--allow-remote");
  }
}
