package io.fiscald.bench.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tiny run of the drain harness against each simulator: every receipt reaches it, in order, none twice. */
class DrainBenchSmokeTest {

  @Test
  void zimraBacklogReachesFdmsWhole() {
    Map<?, ?> drain = (Map<?, ?>) DrainBench.run(DrainBench.Authority.ZIMRA, 30).get("drain");
    assertThat(drain.get("sent")).isEqualTo(30L);
    assertThat(drain.get("pending")).isEqualTo(0L);
    assertThat(drain.get("rejected")).isEqualTo(0L);
    assertThat(drain.get("serverLastReceiptGlobalNo")).isEqualTo(30L);
    assertThat(drain.get("lastSentGlobalNo")).isEqualTo(30L);
    assertThat((Double) drain.get("receiptsPerSecond")).isPositive();
  }

  @Test
  void kraBacklogReachesEtimsWhole() {
    Map<?, ?> drain = (Map<?, ?>) DrainBench.run(DrainBench.Authority.KRA, 10).get("drain");
    assertThat(drain.get("sent")).isEqualTo(10);
    assertThat(drain.get("pending")).isEqualTo(0);
    assertThat(drain.get("rejected")).isEqualTo(0);
    assertThat(drain.get("serverInvoices")).isEqualTo(10);
  }
}
