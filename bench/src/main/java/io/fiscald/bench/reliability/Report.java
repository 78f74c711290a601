package io.fiscald.bench.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a harness did and found: counts in the order they were recorded, and the invariant violations
 * (each one sentence). A harness passes when it has no violation; counts are never adjectives.
 */
public final class Report {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final int MAX_VIOLATIONS_KEPT = 50;

  private final String harness;
  private final Map<String, Object> counts = new LinkedHashMap<>();
  private final List<String> violations = new ArrayList<>();
  private long violationCount;

  public Report(String harness) {
    this.harness = harness;
  }

  public synchronized Report put(String name, Object value) {
    counts.put(name, value);
    return this;
  }

  public synchronized Report add(String name, long delta) {
    counts.merge(name, delta, (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
    return this;
  }

  public synchronized long count(String name) {
    Object v = counts.get(name);
    return v instanceof Number n ? n.longValue() : 0;
  }

  /** Records a broken invariant; the first few are kept word for word, all are counted. */
  public synchronized void violation(String what) {
    violationCount++;
    if (violations.size() < MAX_VIOLATIONS_KEPT) {
      violations.add(what);
    }
  }

  public synchronized boolean ok() {
    return violationCount == 0;
  }

  public synchronized List<String> violations() {
    return Collections.unmodifiableList(new ArrayList<>(violations));
  }

  public synchronized Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("harness", harness);
    m.put("ok", ok());
    m.put("counts", new LinkedHashMap<>(counts));
    m.put("violationCount", violationCount);
    m.put("violations", new ArrayList<>(violations));
    return m;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(toMap());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A two-column table: count name and value, then the verdict and any violations. */
  public synchronized String table() {
    int width = counts.keySet().stream().mapToInt(String::length).max().orElse(10);
    StringBuilder b = new StringBuilder("bench ").append(harness).append('\n');
    counts.forEach((k, v) -> b.append(String.format("  %-" + width + "s  %s%n", k, v)));
    b.append(ok() ? "  result: all invariants held\n"
        : "  result: " + violationCount + " invariant violation(s)\n");
    violations.forEach(v -> b.append("    - ").append(v).append('\n'));
    return b.toString();
  }
}
