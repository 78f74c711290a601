package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.device.DataRoot;
import io.fiscald.agent.env.EnvFixture;
import io.fiscald.store.Database;
import io.fiscald.store.Journal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /v1/environment/switch: admin only, every refusal reason in the answer, and a switch the daemon journals. */
class EnvironmentSwitchApiTest {
  @TempDir Path tmp;

  @Test
  void onlyAnAdminSwitchesAndTheDaemonJournalsTheLeavingSide() throws Exception {
    try (EnvFixture f = new EnvFixture(tmp.resolve("root")).withSandbox().withProduction()) {
      String technician;
      String admin;
      try (Connection c = Database.openForWriting(f.sandbox().database())) {
        technician = TokenService.create(c, "tech", Role.TECHNICIAN, f.clock).token().revealUtf8();
        admin = TokenService.create(c, "boss", Role.ADMIN, f.clock).token().revealUtf8();
      }
      ApiConfig config = ApiConfig.defaults().withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          false);
      try (Daemon daemon = Daemon.start(f.sandbox(), f.env, config, a -> ApiHooks.defaults(a.device().authority()),
          f.clock)) {
        ApiClient client = new ApiClient(daemon.server().baseUri());
        String body = "{\"environment\": \"production\"}";
        ApiTest.assertError(client.post("/v1/environment/switch", technician, null, body), 403, "FORBIDDEN");

        ApiClient.Answer refused = client.post("/v1/environment/switch", admin, null, body);
        ApiTest.assertError(refused, 409, "ENVIRONMENT_SWITCH_REFUSED");
        JsonNode reasons = refused.json().path("error").path("details").path("reasons");
        assertThat(reasons).hasSize(1);
        assertThat(reasons.get(0).path("code").asText()).isEqualTo("NO_RECENT_BACKUP");
        assertThat(f.root.active()).contains(DataRoot.SANDBOX);

        f.backup(f.sandbox()); // online, while the daemon holds the directory
        ApiClient.Answer done = client.post("/v1/environment/switch", admin, null, body);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("to").asText()).isEqualTo("production");
        assertThat(done.json().path("restartRequired").asBoolean()).isTrue();
        assertThat(done.json().path("warnings").toString()).contains("legal effect");
        assertThat(f.root.active()).contains(DataRoot.PRODUCTION);
        long seq = done.json().path("fromJournalSeq").asLong();
        try (Connection c = Database.openReadOnly(f.sandbox().database())) {
          assertThat(Journal.get(c, seq).orElseThrow().kind()).isEqualTo(JournalKind.ENVIRONMENT_SWITCHED);
        }
        ApiTest.assertError(client.post("/v1/environment/switch", admin, null, body), 409,
            "ENVIRONMENT_SWITCH_REFUSED");
      }
    }
  }
}
