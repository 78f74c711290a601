package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fiscalctl bench faults} at a tiny size against both in-process simulators: faults were injected, and the
 * simulators hold every receipt, once, with our content, in order. No performance thresholds.
 */
class BenchFaultsSmokeTest {
  @TempDir Path tmp;

  @Test
  void bothAuthoritiesKeepEveryReceiptOnceAndInOrder() {
    Cli.Result result = Cli.run("--json", "bench", "faults", "--work-dir", tmp.resolve("faults").toString(),
        "--authority", "both", "--receipts", "24", "--seed", "5");
    result.ok();
    JsonNode r = result.json();
    assertThat(r.path("ok").asBoolean()).as("invariants held: %s", r).isTrue();
    for (String a : new String[] {"zimra", "kra"}) {
      assertThat(r.at("/counts/" + a + ".receiptsIssued").asInt()).as(a).isEqualTo(24);
      assertThat(r.at("/counts/" + a + ".receiptsOnServer").asInt()).as(a).isEqualTo(24);
      assertThat(r.at("/counts/" + a + ".faultsInjectedTotal").asInt()).as(a).isGreaterThan(0);
      assertThat(r.at("/counts/" + a + ".receiptsLost").asInt()).as(a).isZero();
      assertThat(r.at("/counts/" + a + ".sentTwiceDifferentContent").asInt()).as(a).isZero();
      assertThat(r.at("/counts/" + a + ".orderViolations").asInt()).as(a).isZero();
      assertThat(r.at("/counts/" + a + ".pendingAfterDrain").asInt()).as(a).isZero();
    }
  }

  @Test
  void anUnknownAuthorityIsTheCallersMistake() {
    Cli.Result result = Cli.run("--json", "bench", "faults", "--work-dir", tmp.resolve("x").toString(),
        "--authority", "sars", "--receipts", "1");
    assertThat(result.exitCode()).isEqualTo(2);
  }
}
