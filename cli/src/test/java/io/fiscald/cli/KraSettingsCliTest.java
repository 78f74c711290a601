package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code fiscalctl kra settings}: shown, changed, journalled; identity and bad values refused, changing nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KraSettingsCliTest {
  String data;

  @BeforeAll
  void registeredKraDevice(@TempDir Path tmp) {
    data = tmp.resolve("shop").toString();
    Cli.run("demo", "--authority", "kra", "--json", "--data-dir", data).ok();
  }

  @Test
  void changesAreStoredAndJournalledOnceWithTheirOldValue() throws Exception {
    JsonNode shown = Cli.run("--data-dir", data, "--json", "kra", "settings").ok().json().get("settings");
    long waitBefore = shown.get("signatureWaitMillis").asLong();
    int entriesBefore = configurationChanges().size();

    JsonNode changed = Cli.run("--data-dir", data, "--json", "kra", "settings", "set",
        "signatureWaitMillis=" + (waitBefore + 2000), "provisionalSlip=true").ok().json();
    assertThat(changed.get("changed").get("signatureWaitMillis").get("from").asLong()).isEqualTo(waitBefore);
    assertThat(changed.get("settings").get("signatureWaitMillis").asLong()).isEqualTo(waitBefore + 2000);
    assertThat(changed.get("settings").get("provisionalSlip").asBoolean()).isTrue();
    List<String> events = configurationChanges();
    assertThat(events).hasSize(entriesBefore + 1);
    assertThat(events.get(events.size() - 1)).contains("\"authority\":\"kra\"").contains("signatureWaitMillis")
        .contains("provisionalSlip");

    JsonNode again = Cli.run("--data-dir", data, "--json", "kra", "settings", "set", "provisionalSlip=true").ok().json();
    assertThat(again.get("changed").size()).isZero();
    assertThat(configurationChanges()).hasSize(entriesBefore + 1);
    assertThat(Cli.run("--data-dir", data, "--json", "audit", "verify").ok().json().get("ok").asBoolean()).isTrue();
  }

  @Test
  void identityUnknownAndBadValuesAreRefusedAndChangeNothing() throws Exception {
    String before = Cli.run("--data-dir", data, "--json", "kra", "settings").ok().json().get("settings").toString();
    int entries = configurationChanges().size();
    for (String bad : List.of("pin=P000000000X", "baseUrl=http://example.com", "nonsense=1", "signatureWaitMillis=abc",
        "signatureWaitMillis=-1", "callTimeoutSeconds=0", "openingStockQty=-5", "defaultRefundReason=x")) {
      Cli.run("--data-dir", data, "--json", "kra", "settings", "set", "provisionalSlip=false", bad)
          .error(2, "INVALID_ARGUMENT");
    }
    Cli.run("--data-dir", data, "--json", "kra", "settings", "signatureWaitMillis=1").error(2, "INVALID_ARGUMENT");
    Cli.run("--data-dir", data, "--json", "kra", "settings", "set").error(2, "INVALID_ARGUMENT");
    assertThat(Cli.run("--data-dir", data, "--json", "kra", "settings").ok().json().get("settings").toString())
        .isEqualTo(before);
    assertThat(configurationChanges()).hasSize(entries);
  }

  private List<String> configurationChanges() throws Exception {
    List<String> payloads = new ArrayList<>();
    try (Connection c = Database.openReadOnly(new DataDirectory(Path.of(data)).database());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT payload FROM journal WHERE kind = 'CONFIGURATION_CHANGED' ORDER BY seq")) {
      while (rs.next()) {
        payloads.add(rs.getString(1));
      }
    }
    return payloads;
  }
}
