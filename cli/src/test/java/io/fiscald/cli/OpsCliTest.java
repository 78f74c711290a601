package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations commands from a technician's shell: doctor's exit codes and JSON, and what works beside a
 * running daemon (doctor, sync, token create/revoke) and what is refused (restore).
 */
class OpsCliTest {
  @TempDir Path tmp;

  @Test
  void doctorExitsOneOnAFailureAndNamesTheFix() throws Exception {
    Path data = tmp.resolve("till");
    Cli.runWithKeyFile(tmp.resolve("init"), "--data-dir", data.toString(), "init").ok();
    Path key = data.resolve("master.key");
    if (System.getenv("FISCALD_MASTER_KEY") == null) {
      JsonNode healthy = Cli.run("--data-dir", data.toString(), "doctor", "--json", "--min-free-mb", "1",
          "--fail-free-mb", "0").ok().json();
      assertThat(healthy.path("ok").asBoolean()).isTrue();
      assertThat(healthy.path("fail").asLong()).isZero();
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Cli.Result r = Cli.runChild(tmp.resolve("doctor"), "--data-dir", data.toString(), "doctor", "--json",
        "--min-free-mb", "1", "--fail-free-mb", "0").exits(1);
    JsonNode doc = r.json();
    assertThat(doc.path("ok").asBoolean()).isFalse();
    JsonNode masterKey = null;
    for (JsonNode f : doc.path("findings")) {
      if (f.path("check").asText().equals("master-key")) {
        masterKey = f;
      }
    }
    assertThat(masterKey).isNotNull();
    assertThat(masterKey.path("status").asText()).isEqualTo("fail");
    assertThat(masterKey.path("fix").asText()).contains("chmod 600");
    Cli.Result text = Cli.runChild(tmp.resolve("doctor-text"), "--data-dir", data.toString(), "doctor").exits(1);
    assertThat(text.stdout()).contains("FAIL  master-key").contains("fix: Make it private: chmod 600");
  }

  @Test
  void besideARunningDaemonDoctorSyncAndTokensWorkAndRestoreIsRefused() throws Exception {
    Path data = tmp.resolve("till");
    Cli.runWithKeyFile(tmp.resolve("init"), "--data-dir", data.toString(), "init").ok();
    Path backup = Path.of(Cli.run("--data-dir", data.toString(), "backup", "--json").ok().json().path("file")
        .asText());
    Process daemon = ChildJvm.start(tmp, "--data-dir", data.toString(), "serve", "--listen", "127.0.0.1:0",
        "--backup-interval", "0");
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
      String banner = out.readLine();
      assertThat(banner).as("serve banner (see child-stderr.log)").startsWith("fiscald serving device");
      URI base = URI.create(banner.replaceAll(".* on (http://[^ ]+) .*", "$1"));

      JsonNode doctor = Cli.run("--data-dir", data.toString(), "doctor", "--json", "--min-free-mb", "1",
          "--fail-free-mb", "0").json();
      for (JsonNode f : doctor.path("findings")) {
        if (f.path("check").asText().equals("daemon")) {
          assertThat(f.path("status").asText()).isEqualTo("ok");
          assertThat(f.path("seen").path("healthz").asInt()).isEqualTo(200);
        }
      }
      JsonNode sync = Cli.run("--data-dir", data.toString(), "sync", "--once", "--json").ok().json();
      assertThat(sync.path("daemon").asBoolean()).isTrue();
      assertThat(sync.path("pending").asLong()).isZero();

      String token = Cli.run("--data-dir", data.toString(), "token", "create", "--name", "till-2", "--role",
          "cashier", "--json").ok().json().path("token").asText();
      assertThat(status(base, token)).as("the daemon accepts a token created beside it").isEqualTo(200);
      Cli.run("--data-dir", data.toString(), "token", "revoke", "till-2").ok();
      assertThat(status(base, token)).as("and refuses it once revoked").isEqualTo(401);

      Cli.run("--data-dir", data.toString(), "restore", backup.toString(), "--json").error(1, "DATA_DIR_LOCKED");
    } finally {
      daemon.destroy();
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  static int status(URI base, String token) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/v1/status"))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
