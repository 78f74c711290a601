package io.fiscald.bench.core;

import java.util.ArrayList;
import java.util.List;

/** A result as a two-column table for people (the JSON form is the result record itself). */
public final class Figures {
  private final String title;
  private final List<String[]> rows = new ArrayList<>();

  public Figures(String title) {
    this.title = title;
  }

  public Figures row(String name, String value) {
    rows.add(new String[] {name, value});
    return this;
  }

  public Figures row(String name, double value, String unit) {
    return row(name, format(value) + (unit.isEmpty() ? "" : " " + unit));
  }

  public static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format("%,d", (long) value);
    }
    return Math.abs(value) >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
  }

  @Override
  public String toString() {
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    StringBuilder out = new StringBuilder(title).append('\n');
    for (String[] r : rows) {
      out.append("  ").append(r[0]).append(" ".repeat(width - r[0].length() + 2)).append(r[1]).append('\n');
    }
    return out.toString();
  }
}
