package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Smoke runs of the load, footprint, slow-disk and drain harnesses with tiny sizes, so they cannot rot: each
 * must start what it needs (child daemons with the packaged flags, simulators), do the work and report
 * counts that match what it was asked. No performance thresholds: the figures live in docs/PERFORMANCE.md.
 */
class BenchLoadSmokeTest {
  @Test
  void apiLoadIssuesEveryReceiptItScheduledAndStopsItsDaemon() {
    JsonNode r = Cli.run("--json", "bench", "api", "--clients", "2", "--duration", "1s", "--warmup", "0s",
        "--rate", "20", "--daemon-jvm-opts=-Xss1m -Dfiscald.bench=1").ok().json();
    assertThat(r.at("/throughput/receiptsOk").asLong()).isPositive();
    assertThat(r.at("/throughput/failures").size()).isZero();
    assertThat(r.at("/latency/receiptsOk").asLong()).as("20/s for 1 s, all answered 201").isEqualTo(20);
    assertThat(r.at("/latency/latencyMsP99").asDouble()).isPositive();
    assertThat(r.at("/groupCommit/events").asLong())
        .as("the daemon committed every receipt (plus nothing else)")
        .isEqualTo(r.at("/throughput/receiptsOk").asLong() + 20);
    assertThat(r.at("/daemon/rssPeakMiB").asDouble()).isGreaterThanOrEqualTo(r.at("/daemon/rssIdleMiB").asDouble());
    assertThat(r.at("/jvmFlags").asText()).contains("-XX:+UseSerialGC").contains("-Xmx64m")
        .as("--daemon-jvm-opts come after the packaged flags").endsWith("-Xss1m -Dfiscald.bench=1");
    assertThat(r.at("/scheduledBackup").asText()).as("no backup (a full audit) during the load").contains("24h");
    assertThat(r.at("/throughput/daemonCpuMsPerReceiptByThread").isObject()).isTrue();
    assertThat(ProcessHandle.of(r.at("/daemon/pid").asLong()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void footprintStartsTheDaemonWithAndWithoutAnAppCdsArchive() {
    JsonNode r = Cli.run("--json", "bench", "footprint", "--starts", "1", "--load", "0s", "--idle", "0s").ok().json();
    assertThat(r.at("/packagedFlags/readyMsMedian").asLong()).isPositive();
    assertThat(r.at("/packagedFlags/rssIdleMiBMedian").asDouble()).isPositive();
    JsonNode cds = r.at("/packagedFlagsWithAppCds");
    if (cds.has("unavailable")) { // from the test's class directories, JDK 17 refuses to archive: it must say so
      assertThat(cds.path("unavailable").asText()).contains("class path holds directories");
      assertThat(System.getProperty("java.class.path")).doesNotEndWith("fiscald.jar");
    } else {
      assertThat(cds.path("readyMsMedian").asLong()).isPositive();
      assertThat(cds.path("archiveMiB").asDouble()).as("the training run wrote an archive").isPositive();
    }
  }

  @Test
  void slowDiskInjectsTheFsyncDelayAndSaysHow() {
    assumeTrue(gccPresent(), "gcc is needed to build the LD_PRELOAD fsync shim");
    JsonNode r = Cli.run("--json", "bench", "slow-disk", "--method", "ld-preload", "--delay-ms", "20",
        "--clients", "4", "--duration", "1s", "--rate", "10", "--no-baseline").ok().json();
    assertThat(r.at("/method").asText()).contains("LD_PRELOAD");
    assertThat(r.at("/withDelay/oneClient/receiptsOk").asLong()).isPositive();
    // the injection works: a lone client waits at least one delayed fsync per receipt
    assertThat(r.at("/withDelay/oneClient/latencyMsP50").asDouble()).isGreaterThanOrEqualTo(20);
    assertThat(r.at("/withDelay/fixedRate/receiptsOk").asLong()).isEqualTo(10);
    assertThat(r.at("/withDelay/fixedRate/failures").size()).isZero();
  }

  @Test
  void zimraDrainSendsTheWholeBacklogInOrderOverMutualTls() {
    JsonNode r = Cli.run("--json", "bench", "drain", "--authority", "zimra", "--receipts", "20").ok().json();
    assertThat(r.at("/backlog/issued").asLong()).isEqualTo(20);
    assertThat(r.at("/drain/sent").asLong()).isEqualTo(20);
    assertThat(r.at("/drain/pending").asLong()).isZero();
    assertThat(r.at("/drain/rejected").asLong()).isZero();
    assertThat(r.at("/drain/serverLastReceiptGlobalNo").asLong()).as("FDMS saw the last one").isEqualTo(20);
  }

  @Test
  void kraDrainSendsTheWholeBacklog() {
    JsonNode r = Cli.run("--json", "bench", "drain", "--authority", "kra", "--receipts", "10").ok().json();
    assertThat(r.at("/drain/sent").asLong()).isEqualTo(10);
    assertThat(r.at("/drain/pending").asLong()).isZero();
    assertThat(r.at("/drain/serverInvoices").asLong()).as("eTIMS holds every invoice").isEqualTo(10);
  }

  @Test
  void aBadDurationIsTheCallersMistake() {
    Cli.run("--json", "bench", "api", "--duration", "soon").error(2, "INVALID_ARGUMENT");
  }

  private static boolean gccPresent() {
    try {
      Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
