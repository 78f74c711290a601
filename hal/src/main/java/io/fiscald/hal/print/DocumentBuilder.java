package io.fiscald.hal.print;

import io.fiscald.hal.print.PrintDocument.Element;
import io.fiscald.hal.print.PrintDocument.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays text out the way a thermal printer does, for a fixed number of columns: centred, left,
 * left/right split, tables, rules; long text wraps at spaces and long words are cut. Produces a
 * {@link PrintDocument}.
 */
public final class DocumentBuilder {
  private final int width;
  private final List<Element> elements = new ArrayList<>();

  public DocumentBuilder(int width) {
    if (width < 24) {
      throw new IllegalArgumentException("paper width must be at least 24 columns, got " + width);
    }
    this.width = width;
  }

  public int width() {
    return width;
  }

  public DocumentBuilder center(String text) {
    return styled(text, Align.CENTER, false, false);
  }

  public DocumentBuilder left(String text) {
    return styled(text, Align.LEFT, false, false);
  }

  public DocumentBuilder right(String text) {
    return styled(text, Align.RIGHT, false, false);
  }

  /** Centred, bold and double size: a title. */
  public DocumentBuilder title(String text) {
    return styled(text, Align.CENTER, true, true);
  }

  /** Wrapped to the paper (half of it when double size) and added line by line. */
  public DocumentBuilder styled(String text, Align align, boolean bold, boolean doubleSize) {
    for (String line : wrap(text, doubleSize ? width / 2 : width)) {
      elements.add(new Text(line, align, bold, doubleSize));
    }
    return this;
  }

  /** {@code left} and {@code right} on one line; {@code left} is cut short rather than pushing {@code right} off. */
  public DocumentBuilder split(String left, String right) {
    return split(left, right, false);
  }

  public DocumentBuilder split(String left, String right, boolean bold) {
    int room = width - right.length() - 1;
    if (room < 1) {
      styled(left, Align.LEFT, bold, false);
      return styled(right, Align.LEFT, bold, false);
    }
    String l = left.length() > room ? left.substring(0, room) : left;
    elements.add(new Text(l + " ".repeat(width - l.length() - right.length()) + right, Align.LEFT, bold, false));
    return this;
  }

  /** Columns right-aligned in the given widths (the first left-aligned). */
  public DocumentBuilder columns(int[] widths, String... cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String cell = cells[i] == null ? "" : cells[i];
      if (cell.length() > widths[i]) {
        cell = cell.substring(0, widths[i]);
      }
      String pad = " ".repeat(widths[i] - cell.length());
      line.append(i == 0 ? cell + pad : pad + cell);
    }
    String text = line.length() > width ? line.substring(0, width) : line.toString();
    elements.add(new Text(text, Align.LEFT, false, false));
    return this;
  }

  public DocumentBuilder rule() {
    elements.add(new Text("-".repeat(width), Align.LEFT, false, false));
    return this;
  }

  public DocumentBuilder doubleRule() {
    elements.add(new Text("=".repeat(width), Align.LEFT, false, false));
    return this;
  }

  public DocumentBuilder blank() {
    elements.add(new Text("", Align.LEFT, false, false));
    return this;
  }

  public DocumentBuilder qr(String data) {
    elements.add(new PrintDocument.Qr(data));
    return this;
  }

  public DocumentBuilder logo() {
    elements.add(new PrintDocument.Logo());
    return this;
  }

  public DocumentBuilder feed(int lines) {
    elements.add(new PrintDocument.Feed(lines));
    return this;
  }

  public DocumentBuilder cut() {
    elements.add(new PrintDocument.Cut());
    return this;
  }

  public DocumentBuilder kickDrawer(PrintDocument.DrawerPin pin) {
    elements.add(new PrintDocument.DrawerKick(pin));
    return this;
  }

  public PrintDocument build() {
    return new PrintDocument(width, elements);
  }

  /** Breaks at spaces where it can, hard-cuts words longer than the line. */
  static List<String> wrap(String text, int width) {
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
}
