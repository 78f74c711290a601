package io.fiscald.bench.core;

import io.fiscald.bench.harness.BenchDevice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.Agent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short run of the ceiling harness: it signs with a real device key and commits to a real file. */
class CeilingsSmokeTest {
  @TempDir Path tmp;

  @Test
  void measuresPositiveRatesAndCleansUp() throws Exception {
    BenchDevice device = BenchDevice.create(tmp.resolve("data"));
    Ceilings.Result r;
    try (Agent agent = device.open()) {
      r = Ceilings.measure(agent.signer(), tmp.resolve("commits"), Duration.ofMillis(300));
    }
    assertThat(r.signsPerSecond()).isPositive();
    assertThat(r.signsPerSecondAllCores()).isPositive();
    assertThat(r.durableCommitsPerSecond()).isPositive();
    assertThat(r.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(r.signer()).isEqualTo("EC_P256");
    try (var left = Files.list(tmp.resolve("commits"))) {
      assertThat(left).as("the scratch database is removed").isEmpty();
    }
    assertThat(r.figures().toString()).contains("signing, 1 thread").contains("durable commits");
  }
}
