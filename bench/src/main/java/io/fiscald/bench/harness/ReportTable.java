package io.fiscald.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A harness report as a two-column table: nested sections flattened to dotted names, in report order. */
public final class ReportTable {
  private ReportTable() {}

  public static String render(String title, Map<String, ?> report) {
    List<String[]> rows = new ArrayList<>();
    flatten("", report, rows);
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    StringBuilder out = new StringBuilder(title).append('\n');
    for (String[] r : rows) {
      out.append("  ").append(r[0]).append(" ".repeat(width - r[0].length() + 2)).append(r[1]).append('\n');
    }
    return out.toString();
  }

  private static void flatten(String prefix, Map<String, ?> map, List<String[]> rows) {
    for (Map.Entry<String, ?> e : map.entrySet()) {
      String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()
          && nested.keySet().iterator().next() instanceof String) {
        @SuppressWarnings("unchecked")
        Map<String, ?> section = (Map<String, ?>) nested;
        flatten(name, section, rows);
      } else {
        rows.add(new String[] {name, String.valueOf(e.getValue())});
      }
    }
  }
}
