package io.fiscald.hal.print;

import io.fiscald.hal.print.PrintDocument.Element;
import io.fiscald.hal.print.PrintDocument.Feed;
import io.fiscald.hal.print.PrintDocument.Text;

/**
 * Renders a {@link PrintDocument} as the fixed-width text a person reads on screen: alignment by
 * padding, styles and non-text elements left out (a QR code shows as nothing; the printer draws it).
 */
public final class PlainText {
  private PlainText() {}

  public static String render(PrintDocument doc) {
    StringBuilder out = new StringBuilder();
    for (Element e : doc.elements()) {
      if (e instanceof Text t) {
        int pad = switch (t.align()) {
          case LEFT -> 0;
          case CENTER -> Math.max(0, (doc.columns() - t.text().length()) / 2);
          case RIGHT -> Math.max(0, doc.columns() - t.text().length());
        };
        out.append(" ".repeat(pad)).append(t.text()).append('\n');
      } else if (e instanceof Feed f) {
        out.append("\n".repeat(Math.max(0, f.lines())));
      }
    }
    return out.toString();
  }
}
