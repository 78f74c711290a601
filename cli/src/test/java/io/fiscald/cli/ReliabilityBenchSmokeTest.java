package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke runs of the reliability harnesses at tiny sizes, so they cannot rot: each runs end to end through
 * {@code fiscalctl bench ... --json}, did what it says (counts), and its invariants held. No performance
 * thresholds: the full-size runs and their figures are in docs/RELIABILITY.md.
 */
class ReliabilityBenchSmokeTest {
  @TempDir Path tmp;

  @Test
  void crashTwoCycles() {
    JsonNode r = bench("crash", "--cycles", "2", "--clients", "4", "--max-acks", "10");
    assertThat(r.at("/counts/cycles").asInt()).isEqualTo(2);
    assertThat(r.at("/counts/sigkillExit137").asInt()).isEqualTo(2);
    assertThat(r.at("/counts/receiptsAcknowledged").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(r.at("/counts/replaysChecked").asInt()).isEqualTo(1);
    assertThat(r.at("/counts/acknowledgedLost").asInt()).isZero();
    assertThat(r.at("/counts/chainBreaks").asInt()).isZero();
    assertThat(r.at("/counts/integrityFailures").asInt()).isZero();
  }

  @Test
  void badInputTwoHundredRequests() {
    JsonNode r = bench("bad-input", "--requests", "200", "--seed", "7");
    assertThat(r.at("/counts/requests").asInt()).isEqualTo(200);
    assertThat(r.at("/counts/refused4xx").asInt()).isGreaterThan(100);
    assertThat(r.at("/counts/answers5xx").asInt()).isZero();
    assertThat(r.at("/counts/daemonCrashes").asInt()).isZero();
    assertThat(r.at("/counts/stateChangedByRefusedRequest").asInt()).isZero();
  }

  @Test
  void tamperEveryNamedCaseAndSomeBitFlips() {
    JsonNode r = bench("tamper", "--bit-flips", "30");
    assertThat(r.at("/counts/namedCases").asInt()).isGreaterThanOrEqualTo(23);
    assertThat(r.at("/counts/namedDetected").asInt()).isEqualTo(r.at("/counts/namedCases").asInt());
    assertThat(r.at("/counts/bitFlips").asInt()).isEqualTo(30);
  }

  @Test
  void diskFullThroughTheInjectedWriteError() {
    JsonNode r = bench("disk-full", "--method", "rlimit");
    assertThat(r.at("/counts/method").asText()).startsWith("RLIMIT_FSIZE");
    assertThat(r.at("/counts/refusedWhileFull").asInt()).isGreaterThan(0);
    assertThat(r.at("/counts/unclearRefusals").asInt()).isZero();
    assertThat(r.at("/counts/acknowledgedLost").asInt()).isZero();
    assertThat(r.at("/counts/receiptsAcknowledged").asInt()).isGreaterThan(0);
  }

  @Test
  void printerFaultsOverAPty() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.fiscald.sim.printer.SocatPair.available(), "socat is not installed");
    // fiscal record, nothing lost, nothing left in the queue, and no second original: a retry after an
    // uncertain send is a marked copy (docs/PRINTERS.md), which stands in for an original the faults ate
    JsonNode r = bench("printer-faults", "--receipts", "12", "--seed", "3");
    assertThat(r.at("/counts/receipts").asInt()).isEqualTo(12);
    assertThat(r.at("/counts/faultsInjected").asInt()).isGreaterThan(0);
    assertThat(r.at("/counts/receiptsNotPrinted").asInt()).isZero();
    assertThat(r.at("/counts/copiesUnmarked").asInt()).isZero();
    assertThat(r.at("/counts/jobsStillPending").asInt()).isZero();
    assertThat(r.at("/counts/chainBreaks").asInt()).isZero();
    assertThat(r.at("/counts/receiptsPrintedTwice").asInt()).isZero();
    assertThat(r.at("/counts/copiesMissingOrExtra").asInt()).isZero();
    assertThat(r.at("/counts/originalsOnPaper").asInt() + r.at("/counts/retryCopiesOnPaper").asInt())
        .isGreaterThanOrEqualTo(12);
  }

  private JsonNode bench(String... args) {
    Cli.Result result = Cli.run(args(args));
    result.ok(); // exit 0: every invariant held (shows both streams when not)
    JsonNode doc = result.json();
    assertThat(doc.path("ok").asBoolean()).as("invariants held: %s", doc).isTrue();
    return doc;
  }

  /** {@code --json bench <harness> --work-dir <tmp>/<harness> <options>}. */
  private String[] args(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--json";
    all[1] = "bench";
    all[2] = args[0];
    all[3] = "--work-dir";
    all[4] = tmp.resolve(args[0]).toString();
    System.arraycopy(args, 1, all, 5, args.length - 1);
    return all;
  }
}
