package io.fiscald.agent.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.device.DataRoot;
import io.fiscald.agent.testing.TestDevice;
import io.fiscald.store.DataDirLock;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.secret.MasterKey;
import io.fiscald.store.secret.SecretBox;
import io.fiscald.store.secret.SecretStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checked environment switch: each refused precondition alone, all of them at once, a switch to
 * production journalled in both chains, and the rollback to sandbox keeping production's data.
 */
class EnvironmentSwitchTest {
  @TempDir Path tmp;

  static List<String> codes(List<EnvironmentSwitch.Reason> reasons) {
    return reasons.stream().map(EnvironmentSwitch.Reason::code).toList();
  }

  List<String> refusal(EnvFixture f, FiscaldConfig config) {
    return codes(EnvironmentSwitch.preconditions(f.root, DataRoot.PRODUCTION, config, f.env, Instant.now()));
  }

  /** Both devices registered, nothing pending, no day open, a fresh verified backup: the switch may go. */
  EnvFixture ready() {
    EnvFixture f = new EnvFixture(tmp.resolve("root")).withSandbox().withProduction();
    f.backup(f.sandbox());
    assertThat(refusal(f, f.config())).as("a ready root has no reason to refuse").isEmpty();
    return f;
  }

  @Test
  void noProductionDeviceIsRefused() {
    try (EnvFixture f = new EnvFixture(tmp.resolve("root")).withSandbox()) {
      f.backup(f.sandbox());
      assertThat(refusal(f, f.config())).containsExactly("TARGET_NOT_REGISTERED");
    }
  }

  @Test
  void aProductionDeviceWithoutItsCmcKeyIsRefused() throws Exception {
    try (EnvFixture f = ready()) {
      try (Connection c = Database.openForWriting(f.production().database())) {
        new SecretStore(new SecretBox(MasterKey.resolve(f.production().masterKeyFile(f.env), f.env)))
            .delete(c, KraState.CMC_KEY);
      }
      assertThat(refusal(f, f.config())).containsExactly("TARGET_CREDENTIALS_MISSING");
    }
  }

  @Test
  void testModeIsRefusedForProduction() throws Exception {
    try (EnvFixture f = ready()) {
      Path conf = tmp.resolve("fiscald.conf");
      Files.writeString(conf, "test-mode = true\n");
      assertThat(refusal(f, FiscaldConfig.read(conf, f.env))).containsExactly("TEST_MODE_ON");
    }
  }

  @Test
  void aProductionDeviceOnAPlainHttpOrSandboxUrlIsRefused() {
    try (EnvFixture f = ready()) {
      f.promote(f.production(), "http://etims.example.co.ke/etims-api");
      assertThat(refusal(f, f.config())).containsExactly("URL_NOT_ALLOWED");
      f.promote(f.production(), "https://etims-api-sbx.kra.go.ke/etims-api");
      assertThat(refusal(f, f.config())).containsExactly("URL_NOT_ALLOWED");
    }
  }

  @Test
  void unsyncedSandboxReceiptsAndAnOpenDayAreRefused() {
    try (EnvFixture f = ready()) {
      try (Agent agent = f.open(f.sandbox())) {
        agent.core().openDay();
        agent.core().issue(TestDevice.sale("1", "116.00", "B", "116.00"));
      }
      f.backup(f.sandbox()); // a fresh backup of the new head: only the two reasons remain
      assertThat(refusal(f, f.config())).containsExactlyInAnyOrder("UNSYNCED_RECEIPTS", "DAY_OPEN");
    }
  }

  @Test
  void noBackupAnOldBackupAndABackupBehindTheJournalAreRefused() throws Exception {
    try (EnvFixture f = new EnvFixture(tmp.resolve("root")).withSandbox().withProduction()) {
      assertThat(refusal(f, f.config())).containsExactly("NO_RECENT_BACKUP");
      f.backup(f.sandbox());
      Path backup;
      try (var files = Files.list(f.sandbox().backups())) {
        backup = files.findFirst().orElseThrow();
      }
      // the same backup, named as taken two hours ago
      Path old = backup.resolveSibling(backup.getFileName().toString().replaceFirst("-\\d{8}T\\d{6}Z-",
          "-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
              .format(Instant.now().minusSeconds(7200)) + "-"));
      Files.move(backup, old);
      List<EnvironmentSwitch.Reason> reasons = EnvironmentSwitch.preconditions(f.root, DataRoot.PRODUCTION,
          f.config(), f.env, Instant.now());
      assertThat(codes(reasons)).containsExactly("NO_RECENT_BACKUP");
      assertThat(reasons.get(0).message()).contains("older than an hour");
      f.backup(f.sandbox());
      try (Agent agent = f.open(f.sandbox())) {
        agent.core().openDay();
        agent.core().closeDay();
      }
      reasons = EnvironmentSwitch.preconditions(f.root, DataRoot.PRODUCTION, f.config(), f.env, Instant.now());
      assertThat(codes(reasons)).containsExactly("NO_RECENT_BACKUP");
      assertThat(reasons.get(0).message()).contains("take a new one");
    }
  }

  @Test
  void aRunningDaemonOnTheLeavingEnvironmentIsRefused() {
    try (EnvFixture f = ready(); DataDirLock daemon = DataDirLock.acquire(f.sandbox().root())) {
      assertThatThrownBy(() -> EnvironmentSwitch.switchTo(f.root, DataRoot.PRODUCTION, f.config(), f.env, f.clock,
          null)).isInstanceOfSatisfying(FiscalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_SWITCH_REFUSED);
            assertThat(e.getMessage()).contains("fiscald is running").contains("POST /v1/environment/switch");
          });
      assertThat(f.root.active()).contains(DataRoot.SANDBOX);
    }
  }

  @Test
  void everyFailingReasonIsListedAtOnce() throws Exception {
    try (EnvFixture f = new EnvFixture(tmp.resolve("root")).withSandbox().withProduction()) {
      f.promote(f.production(), "http://127.0.0.1:1/etims-api");
      try (Connection c = Database.openForWriting(f.production().database())) {
        new SecretStore(new SecretBox(MasterKey.resolve(f.production().masterKeyFile(f.env), f.env)))
            .delete(c, KraState.CMC_KEY);
      }
      try (Agent agent = f.open(f.sandbox())) {
        agent.core().openDay();
        agent.core().issue(TestDevice.sale("1", "116.00", "B", "116.00"));
      }
      Map<String, String> testMode = new HashMap<>(f.env);
      testMode.put("FISCALD_TEST_MODE", "true");
      FiscaldConfig config = FiscaldConfig.defaults(testMode);
      assertThatThrownBy(() -> EnvironmentSwitch.switchTo(f.root, DataRoot.PRODUCTION, config, f.env, f.clock, null))
          .isInstanceOfSatisfying(FiscalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_SWITCH_REFUSED);
            @SuppressWarnings("unchecked")
            List<Map<String, String>> reasons = (List<Map<String, String>>) e.details().get("reasons");
            assertThat(reasons).extracting(r -> r.get("code")).containsExactlyInAnyOrder("TEST_MODE_ON",
                "TARGET_CREDENTIALS_MISSING", "URL_NOT_ALLOWED", "UNSYNCED_RECEIPTS", "DAY_OPEN", "NO_RECENT_BACKUP");
            assertThat(reasons).allSatisfy(r -> assertThat(r.get("fix")).isNotBlank());
            assertThat(e.getMessage()).contains("test mode").contains("cmcKey").contains("not yet accepted")
                .contains("is open").contains("no backup");
          });
      assertThat(f.root.active()).contains(DataRoot.SANDBOX);
    }
  }

  @Test
  void aSwitchIsJournalledInBothChainsAndTheRollbackKeepsProductionData() throws Exception {
    try (EnvFixture f = ready()) {
      long sandboxHead = head(f, f.sandbox());
      long productionHead = head(f, f.production());
      EnvironmentSwitch.Outcome o = EnvironmentSwitch.switchTo(f.root, DataRoot.PRODUCTION, f.config(), f.env,
          f.clock, null);
      assertThat(f.root.active()).contains(DataRoot.PRODUCTION);
      assertThat(o.from()).isEqualTo(DataRoot.SANDBOX);
      assertThat(o.fromSeq()).isEqualTo(sandboxHead + 1);
      assertThat(o.toSeq()).isEqualTo(productionHead + 1);
      assertThat(o.warnings()).anySatisfy(w -> assertThat(w).contains("legal effect"));
      assertThat(o.warnings()).anySatisfy(w -> assertThat(w).contains("env switch sandbox"));
      assertSwitchEntry(f, f.sandbox(), o.fromSeq(), "sandbox", "production");
      assertSwitchEntry(f, f.production(), o.toSeq(), "sandbox", "production");
      assertThat(io.fiscald.agent.device.DataDirectory.resolve(f.root.path(), f.env).root())
          .as("fiscalctl and fiscald now follow production").isEqualTo(f.production().root());

      // rollback: production needs its own fresh backup, then sandbox is active again and nothing is deleted
      assertThat(codes(EnvironmentSwitch.preconditions(f.root, DataRoot.SANDBOX, f.config(), f.env, Instant.now())))
          .containsExactly("NO_RECENT_BACKUP");
      f.backup(f.production());
      EnvironmentSwitch.Outcome back = EnvironmentSwitch.switchTo(f.root, DataRoot.SANDBOX, f.config(), f.env,
          f.clock, null);
      assertThat(f.root.active()).contains(DataRoot.SANDBOX);
      assertThat(back.warnings()).anySatisfy(w -> assertThat(w).contains("kept untouched"));
      assertSwitchEntry(f, f.production(), o.toSeq() + 1, "production", "sandbox");
      assertThat(Files.isRegularFile(f.production().database())).isTrue();
      assertThat(head(f, f.production())).isEqualTo(productionHead + 2);
      try (Connection c = Database.openReadOnly(f.production().database())) {
        assertThat(JournalAuditor.audit(c).ok()).isTrue();
        assertThat(new SecretStore(new SecretBox(MasterKey.resolve(f.production().masterKeyFile(f.env), f.env)))
            .exists(c, KraState.CMC_KEY)).as("production credentials kept").isTrue();
      }
      assertThat(codes(EnvironmentSwitch.preconditions(f.root, DataRoot.SANDBOX, f.config(), f.env, Instant.now())))
          .containsExactly("ALREADY_ACTIVE");
    }
  }

  long head(EnvFixture f, io.fiscald.agent.device.DataDirectory dir) throws Exception {
    try (Connection c = Database.openReadOnly(dir.database())) {
      return Journal.last(c).map(JournalEntry::seq).orElse(0L);
    }
  }

  void assertSwitchEntry(EnvFixture f, io.fiscald.agent.device.DataDirectory dir, long seq, String from, String to)
      throws Exception {
    try (Connection c = Database.openReadOnly(dir.database())) {
      JournalEntry e = Journal.get(c, seq).orElseThrow();
      assertThat(e.kind()).isEqualTo(JournalKind.ENVIRONMENT_SWITCHED);
      String payload = e.payload();
      assertThat(payload).contains("\"from\":\"" + from + "\"").contains("\"to\":\"" + to + "\"");
      assertThat(JournalAuditor.audit(c).ok()).isTrue();
    }
  }
}
