package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fiscalctl config show/template/check, --config, and the environments of a data root from the command line. */
class ConfigEnvCliTest {
  @TempDir Path tmp;

  @Test
  void templateShowAndCheckWorkOnTheFileFoundAtTheDataDirOrGivenWithConfig() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    String template = Cli.run("--data-dir", data.toString(), "config", "template").ok().stdout();
    assertThat(template).contains("#api.listen = 127.0.0.1:8719").contains("#backup.keep-count = 14")
        .contains("# secret: $FISCALD_MASTER_KEY");

    Path secret = tmp.resolve("webhook.secret");
    Files.writeString(secret, "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-42\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(data.resolve("fiscald.conf"), "backup.interval = 6h\nwebhook.secret-file = " + secret + "\n");
    Cli.Result show = Cli.run("--data-dir", data.toString(), "config", "show", "--json").ok();
    assertThat(show.stdout()).doesNotContain("s3cr3t");
    JsonNode keys = show.json().path("keys");
    assertThat(find(keys, "backup.interval").path("value").asText()).isEqualTo("6h");
    assertThat(find(keys, "backup.interval").path("source").asText()).isEqualTo("file:1");
    assertThat(find(keys, "backup.keep-days").path("value").asText()).isEqualTo("30");
    assertThat(find(keys, "webhook.secret").path("value").asText()).isEqualTo("[REDACTED]");
    assertThat(Cli.run("--data-dir", data.toString(), "config", "check").ok().stdout()).contains("clean");

    Path other = tmp.resolve("other.conf");
    Files.writeString(other, "api.listen = 0.0.0.0:8719\napi.listen = 127.0.0.1:1\nmaster-key = abc\n");
    JsonNode check = Cli.run("--data-dir", data.toString(), "--config", other.toString(), "config", "check",
        "--json").exits(1).json();
    assertThat(check.path("ok").asBoolean()).isFalse();
    assertThat(check.path("file").asText()).isEqualTo(other.toString());
    List<String> at = new ArrayList<>();
    check.path("findings").forEach(f -> at.add(f.path("key").asText() + "@" + f.path("line").asInt()));
    assertThat(at).containsExactly("api.listen@2", "master-key@3", "api.listen@1");
    check.path("findings").forEach(f -> assertThat(f.path("fix").asText()).isNotBlank());
    // the strict reader refuses the same file for every other command
    JsonNode refused = Cli.run("--data-dir", data.toString(), "--config", other.toString(), "config", "show",
        "--json").error(1, "CONFIG_INVALID");
    assertThat(refused.path("message").asText()).contains("line 2").contains("line 3");
    Cli.run("--config", tmp.resolve("missing.conf").toString(), "config", "show", "--json")
        .error(2, "FILE_NOT_FOUND");
    // production rules: test mode (the build's tests run with FISCALD_TEST_MODE=true where the file is silent)
    JsonNode production = Cli.run("--data-dir", data.toString(), "config", "check", "--production", "--json")
        .exits(1).json();
    assertThat(production.path("findings").toString()).contains("test-mode");
  }

  static String active(Path root) {
    try {
      return Files.readString(root.resolve("active-environment")).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static JsonNode find(JsonNode keys, String name) {
    for (JsonNode k : keys) {
      if (k.path("key").asText().equals(name)) {
        return k;
      }
    }
    throw new AssertionError("no key " + name + " in " + keys);
  }

  @Test
  void initWithEnvBuildsADataRootAndEnvStatusAndSwitchWorkOnIt() throws Exception {
    Path root = tmp.resolve("root");
    Cli.runWithKeyFile(tmp.resolve("a"), "--data-dir", root.toString(), "--env", "sandbox", "init").ok();
    assertThat(root.resolve("sandbox").resolve("fiscald.db")).isRegularFile();
    assertThat(active(root)).isEqualTo("sandbox");
    Cli.runWithKeyFile(tmp.resolve("b"), "--data-dir", root.toString(), "init", "--env", "production",
        "--device-id", "PRD-1").ok();
    assertThat(root.resolve("production").resolve("fiscald.db")).isRegularFile();
    Cli.run("--data-dir", root.toString(), "--env", "sandbox", "init", "--env", "production", "--json")
        .error(2, "INVALID_ARGUMENT");

    JsonNode status = Cli.run("--data-dir", root.toString(), "env", "status", "--json").ok().json();
    assertThat(status.path("active").asText()).isEqualTo("sandbox");
    assertThat(status.path("environments")).hasSize(2);
    assertThat(status.path("environments").get(1).path("deviceId").asText()).isEqualTo("PRD-1");
    assertThat(status.path("environments").get(1).path("deviceEnvironment").asText()).isEqualTo("production");
    // without --env every command works on the active environment; with it, on the one named
    assertThat(Cli.run("--data-dir", root.toString(), "status", "--json").ok().json().path("environment").asText())
        .isEqualTo("sandbox");
    assertThat(Cli.run("--data-dir", root.toString(), "--env", "production", "status", "--json").ok().json()
        .path("deviceId").asText()).isEqualTo("PRD-1");

    // a local production device, test mode on and no backup: every reason at once, nothing switched
    Cli.run("--data-dir", root.toString(), "day", "open").ok();
    JsonNode error = Cli.run("--data-dir", root.toString(), "env", "switch", "production", "--json")
        .error(2, "ENVIRONMENT_SWITCH_REFUSED");
    List<String> codes = new ArrayList<>();
    error.path("details").path("reasons").forEach(r -> codes.add(r.path("code").asText()));
    assertThat(codes).containsExactlyInAnyOrder("TEST_MODE_ON", "TARGET_CREDENTIALS_MISSING", "DAY_OPEN",
        "NO_RECENT_BACKUP");
    assertThat(active(root)).isEqualTo("sandbox");
    Cli.run("--data-dir", tmp.resolve("root").resolve("sandbox").toString(), "--env", "production", "status",
        "--json").error(2, "INVALID_ARGUMENT");
  }
}
