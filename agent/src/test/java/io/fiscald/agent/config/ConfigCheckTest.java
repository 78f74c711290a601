package io.fiscald.agent.config;

import io.fiscald.agent.backup.BackupPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.testing.TestDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rule of {@code config check}, each with a file that breaks it and one that does not. */
class ConfigCheckTest {
  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  static final Map<String, String> WITH_KEY = Map.of("FISCALD_MASTER_KEY", KEY);

  @TempDir Path tmp;
  Path conf;

  @BeforeEach
  void file() {
    conf = tmp.resolve("fiscald.conf");
  }

  List<ConfigFinding> check(String text, Map<String, String> env, boolean production) throws Exception {
    Files.writeString(conf, text);
    return ConfigCheck.run(FiscaldConfig.read(conf, env), tmp, production);
  }

  static List<String> at(List<ConfigFinding> findings) {
    return findings.stream().map(f -> f.key() + "@" + f.line()).toList();
  }

  @Test
  void aCleanFileHasNoFindingAndNoFileIsClean() throws Exception {
    assertThat(check("# a comment\n\ntest-mode = false\napi.listen = 127.0.0.1:9000\nbackup.keep-count = 7\n",
        WITH_KEY, true)).isEmpty();
    assertThat(ConfigCheck.run(FiscaldConfig.read(tmp.resolve("none.conf"), Map.of()), tmp, false)).isEmpty();
  }

  @Test
  void everyProblemOfTheTextIsListedWithItsLine() throws Exception {
    List<ConfigFinding> f = check("""
        colour = 1
        api.threads = 4
        api.threads = 5
        api.rate-limit.burst = many
        not a line
        api.listen =
        backup.interval = 3 days
        """, Map.of(), false);
    assertThat(at(f)).containsExactly("colour@1", "api.threads@3", "api.rate-limit.burst@4", "(line)@5",
        "api.listen@6", "backup.interval@7");
    assertThat(f.get(0).problem()).contains("unknown key");
    assertThat(f.get(1).problem()).contains("already set on line 2");
    assertThat(f.get(2).fix()).contains("a whole number");
    assertThat(f.get(4).problem()).contains("has no value");
    assertThat(f).allSatisfy(x -> assertThat(x.fix()).isNotBlank());
    // the strict load used by fiscald refuses the same file, naming every line
    assertThatThrownBy(() -> FiscaldConfig.load(new DataDirectory(tmp), Map.of()))
        .isInstanceOfSatisfying(FiscalException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
          assertThat(e.getMessage()).contains("line 1").contains("line 3").contains("line 7").contains("colour");
        });
  }

  @Test
  void aSecretWrittenInTheFileIsAFindingAndIsNeverUsed() throws Exception {
    List<ConfigFinding> f = check("master-key = " + KEY + "\nwebhook.secret = abcdefghijklmnopqrstuvwxyz0123456789\n",
        Map.of(), false);
    assertThat(at(f)).containsExactly("master-key@1", "webhook.secret@2");
    assertThat(f.get(0).fix()).contains("FISCALD_MASTER_KEY").contains("master-key-file");
    assertThat(f.get(0).toString()).doesNotContain(KEY);
    assertThat(FiscaldConfig.read(conf, Map.of()).secret(ConfigKeys.WEBHOOK_SECRET)).isEmpty();
  }

  @Test
  void keyFilesMustExistAndBeReadableByTheOwnerOnly() throws Exception {
    Path key = tmp.resolve("master.key");
    Files.writeString(key, KEY);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    List<ConfigFinding> f = check("master-key-file = " + key + "\nwebhook.secret-file = " + tmp.resolve("nope")
        + "\n", Map.of(), false);
    assertThat(at(f)).containsExactly("master-key-file@1", "webhook.secret-file@2");
    assertThat(f.get(0).problem()).contains("everyone");
    assertThat(f.get(0).fix()).isEqualTo("chmod 600 " + key);
    assertThat(f.get(1).problem()).contains("does not exist");

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    assertThat(check("master-key-file = " + key + "\n", Map.of(), false).get(0).problem()).contains("its group");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertThat(check("master-key-file = " + key + "\n", Map.of(), false)).isEmpty();
  }

  @Test
  void theDefaultMasterKeyFileAndTheApiTokenFileOfTheDeviceAreCheckedToo() throws Exception {
    DataDirectory dir = TestDevice.create(tmp, Clock.systemUTC());
    Path key = dir.masterKeyFile(Map.of());
    Files.writeString(key, KEY);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-r--"));
    Path token = dir.root().resolve("api-token");
    Files.writeString(token, "fsk_x\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r-----"));
    List<ConfigFinding> f = check("", Map.of(), false);
    assertThat(at(f)).containsExactlyInAnyOrder("master-key-file@0", "api-token@0");
  }

  @Test
  void testModeIsAFindingOnlyForProduction() throws Exception {
    assertThat(check("test-mode = true\n", WITH_KEY, false)).isEmpty();
    List<ConfigFinding> f = check("\ntest-mode = true\n", WITH_KEY, true);
    assertThat(at(f)).containsExactly("test-mode@2");
    // switched on by the environment where the file is silent: still a finding; the file's false wins
    assertThat(at(check("", Map.of("FISCALD_MASTER_KEY", KEY, "FISCALD_TEST_MODE", "true"), true)))
        .containsExactly("test-mode@0");
    assertThat(check("test-mode = false\n", Map.of("FISCALD_MASTER_KEY", KEY, "FISCALD_TEST_MODE", "true"), true))
        .isEmpty();
  }

  @Test
  void productionNeedsAMasterKey() throws Exception {
    TestDevice.create(tmp, Clock.systemUTC());
    List<ConfigFinding> f = check("", Map.of(), true);
    assertThat(at(f)).containsExactly("master-key@0");
    assertThat(f.get(0).problem()).contains("FISCALD_MASTER_KEY is unset");
    assertThat(check("", WITH_KEY, true)).isEmpty();
  }

  @Test
  void aNonLoopbackListenNeedsAllowRemote() throws Exception {
    List<ConfigFinding> f = check("api.listen = 0.0.0.0:8719\n", Map.of(), false);
    assertThat(at(f)).containsExactly("api.listen@1");
    assertThat(f.get(0).fix()).contains("api.allow-remote = true");
    assertThat(check("api.listen = 0.0.0.0:8719\napi.allow-remote = true\n", Map.of(), false)).isEmpty();
    assertThat(check("api.listen = [::1]:8719\n", Map.of(), false)).isEmpty();
  }

  @Test
  void webhookSecretsShorterThan32BytesAreFindingsWhereverTheyComeFrom() throws Exception {
    List<ConfigFinding> f = check("", Map.of("FISCALD_WEBHOOK_SECRET", "short-secret-16b"), false);
    assertThat(at(f)).containsExactly("webhook.secret@0");
    assertThat(f.get(0).problem()).contains("16 bytes").contains("env:FISCALD_WEBHOOK_SECRET");
    assertThat(f.get(0).toString()).doesNotContain("short-secret-16b");

    Path secret = tmp.resolve("webhook.secret");
    Files.writeString(secret, "0123456789abcdef0123456789abcde\n"); // 31 bytes once trimmed
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    assertThat(at(check("\nwebhook.secret-file = " + secret + "\n", Map.of(), false)))
        .containsExactly("webhook.secret@2");
    Files.writeString(secret, "0123456789abcdef0123456789abcdef\n");
    assertThat(check("webhook.secret-file = " + secret + "\n", Map.of(), false)).isEmpty();
    assertThat(FiscaldConfig.read(conf, Map.of()).secret(ConfigKeys.WEBHOOK_SECRET).orElseThrow().toString())
        .isEqualTo("[REDACTED]");
  }

  @Test
  void valuesAreTypedAndTheirSourceIsKnown() throws Exception {
    Files.writeString(conf, "backup.interval = 6h\nbackup.keep-count = 3\nbackup.dir = /var/backups/fiscald\n");
    FiscaldConfig c = FiscaldConfig.read(conf, Map.of("FISCALD_MASTER_KEY_FILE", "/etc/fiscald/master.key"));
    BackupPolicy b = c.backup(new DataDirectory(tmp));
    assertThat(b.interval()).hasHours(6);
    assertThat(b.keepCount()).isEqualTo(3);
    assertThat(b.keepAge()).hasDays(30);
    assertThat(b.dir()).isEqualTo(Path.of("/var/backups/fiscald"));
    assertThat(c.source(ConfigKeys.BACKUP_INTERVAL)).isEqualTo("file:1");
    assertThat(c.source(ConfigKeys.BACKUP_KEEP_DAYS)).isEqualTo("default");
    assertThat(c.source(ConfigKeys.MASTER_KEY_FILE)).isEqualTo("env:FISCALD_MASTER_KEY_FILE");
    assertThat(FiscaldConfig.defaults(Map.of()).backup(new DataDirectory(tmp)).dir()).isEqualTo(tmp.resolve(
        "backups"));
  }
}
