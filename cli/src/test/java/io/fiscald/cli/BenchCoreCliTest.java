package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke runs of {@code fiscalctl bench ceiling|core|audit}: tiny sizes, one JSON document or a table each. */
class BenchCoreCliTest {
  @TempDir Path tmp;

  @Test
  void ceilingPrintsBothRatesAsJson() {
    JsonNode doc = Cli.run("--json", "bench", "ceiling", "--seconds", "1", "--work-dir", tmp.toString()).ok().json();
    assertThat(doc.path("ceilings").path("signsPerSecond").asDouble()).isPositive();
    assertThat(doc.path("ceilings").path("durableCommitsPerSecond").asDouble()).isPositive();
    assertThat(doc.path("machine").path("cores").asInt()).isPositive();
  }

  @Test
  void coreReportsThroughputLatencyAndRatios() {
    JsonNode doc = Cli.run("--json", "bench", "core", "--receipts", "40", "--concurrency", "4", "--warmup", "10",
        "--ceiling-seconds", "1", "--work-dir", tmp.toString()).ok().json();
    assertThat(doc.path("receipts").asInt()).isEqualTo(40);
    assertThat(doc.path("receiptsPerSecond").asDouble()).isPositive();
    assertThat(doc.path("p50Millis").asDouble()).isPositive();
    assertThat(doc.path("commits").asLong()).isBetween(1L, 40L);
    assertThat(doc.path("ratioToSigningCeiling").asDouble()).isPositive();
    assertThat(doc.path("ratioToDurableCommitCeiling").asDouble()).isPositive();

    Cli.Result table = Cli.run("bench", "core", "--receipts", "5", "--concurrency", "1", "--warmup", "0",
        "--no-ceilings", "--work-dir", tmp.toString()).ok();
    assertThat(table.stdout()).contains("receipts/s").contains("latency p99").doesNotContain("ratio to");
  }

  @Test
  void auditTimesACachedJournal() {
    JsonNode doc = Cli.run("--json", "bench", "audit", "--entries", "40", "--cache-dir", tmp.toString()).ok().json();
    assertThat(doc.path("auditPassed").asBoolean()).isTrue();
    assertThat(doc.path("entries").asLong()).isEqualTo(40);
    assertThat(doc.path("entriesPerSecond").asDouble()).isPositive();
    assertThat(Files.exists(tmp.resolve("journal-40").resolve("complete"))).isTrue();
  }

  @Test
  void badSizesAreTheCallersMistake() {
    Cli.run("--json", "bench", "core", "--receipts", "0").error(2, "INVALID_ARGUMENT");
    Cli.run("--json", "bench", "audit", "--entries", "2").error(2, "INVALID_ARGUMENT");
  }
}
