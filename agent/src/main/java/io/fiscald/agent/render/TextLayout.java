package io.fiscald.agent.render;

import java.util.ArrayList;
import java.util.List;

/** Builds fixed-width text the way a thermal printer lays it out: centred, split left/right, rules. */
final class TextLayout {
  private final int width;
  private final StringBuilder out = new StringBuilder();

  TextLayout(int width) {
    if (width < 24) {
      throw new IllegalArgumentException("paper width must be at least 24 columns, got " + width);
    }
    this.width = width;
  }

  TextLayout center(String text) {
    for (String line : wrap(text)) {
      int pad = (width - line.length()) / 2;
      out.append(" ".repeat(pad)).append(line).append('\n');
    }
    return this;
  }

  TextLayout left(String text) {
    for (String line : wrap(text)) {
      out.append(line).append('\n');
    }
    return this;
  }

  /** {@code left} and {@code right} on one line; {@code left} is cut short rather than pushing {@code right} off. */
  TextLayout split(String left, String right) {
    int room = width - right.length() - 1;
    if (room < 1) {
      return left(left).left(right);
    }
    String l = left.length() > room ? left.substring(0, room) : left;
    out.append(l).append(" ".repeat(width - l.length() - right.length())).append(right).append('\n');
    return this;
  }

  /** Columns right-aligned in the given widths (the first left-aligned). */
  TextLayout columns(int[] widths, String... cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String cell = cells[i] == null ? "" : cells[i];
      if (cell.length() > widths[i]) {
        cell = cell.substring(0, widths[i]);
      }
      String pad = " ".repeat(widths[i] - cell.length());
      line.append(i == 0 ? cell + pad : pad + cell);
    }
    out.append(line.length() > width ? line.substring(0, width) : line).append('\n');
    return this;
  }

  TextLayout rule() {
    out.append("-".repeat(width)).append('\n');
    return this;
  }

  TextLayout doubleRule() {
    out.append("=".repeat(width)).append('\n');
    return this;
  }

  TextLayout blank() {
    out.append('\n');
    return this;
  }

  int width() {
    return width;
  }

  /** Breaks at spaces where it can, hard-cuts words longer than the paper. */
  private List<String> wrap(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      while (word.length() > width) {
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        lines.add(word.substring(0, width));
        word = word.substring(width);
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0 || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
