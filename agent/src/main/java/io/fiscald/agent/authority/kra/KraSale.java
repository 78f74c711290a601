package io.fiscald.agent.authority.kra;

import java.util.List;
import java.util.Map;

/** A built {@code saveTrnsSalesOsdc} request with the line and header amounts it was built from. */
public record KraSale(Map<String, Object> payload, List<KraLineAmounts> lines, KraTotals totals) {
  public KraSale {
    payload = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
    lines = List.copyOf(lines);
  }
}
