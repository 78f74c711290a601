package io.fiscald.bench.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one load phase measured. Latencies are in microseconds; in an open-loop phase each is counted from
 * the request's intended start (its slot in the fixed-rate schedule), so a stall is charged to every
 * request it delayed (no coordinated omission).
 *
 * @param failures non-201 answers by HTTP status (-1: connection failed)
 */
public record LoadResult(String mode, int clients, double targetRate, double seconds, long ok,
    Map<Integer, Long> failures, Histogram latencyMicros) {

  public double throughput() {
    return ok / seconds;
  }

  public double percentileMillis(double p) {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(p) / 1000.0;
  }

  /** The figures as an ordered map (JSON and table rows). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode);
    m.put("clients", clients);
    if (targetRate > 0) {
      m.put("targetRatePerSecond", targetRate);
    }
    m.put("seconds", round(seconds));
    m.put("receiptsOk", ok);
    m.put("failures", new TreeMap<>(failures));
    m.put("receiptsPerSecond", round(throughput()));
    m.put("latencyMsP50", round(percentileMillis(50)));
    m.put("latencyMsP90", round(percentileMillis(90)));
    m.put("latencyMsP99", round(percentileMillis(99)));
    m.put("latencyMsP999", round(percentileMillis(99.9)));
    m.put("latencyMsMax", round(latencyMicros.getMaxValue() / 1000.0));
    return m;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
