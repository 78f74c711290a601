package io.fiscald.hal.print;

import java.util.List;
import java.util.Objects;

/**
 * What goes on paper, independent of the printer: lines of text already fitted to {@code columns},
 * rules, QR codes, the stored logo, paper cut and drawer kick. One document renders both as plain text
 * ({@link PlainText}) and as printer bytes ({@link EscPosEncoder}), so what a technician reads on screen
 * is what the printer prints. Build one with {@link DocumentBuilder}.
 */
public record PrintDocument(int columns, List<Element> elements) {

  public PrintDocument {
    if (columns < 24) {
      throw new IllegalArgumentException("paper width must be at least 24 columns, got " + columns);
    }
    elements = List.copyOf(elements);
  }

  /** One thing on the paper. */
  public sealed interface Element permits Text, Qr, Logo, Feed, Cut, DrawerKick {}

  /**
   * One printed line, at most {@code columns} characters ({@code columns / 2} when double size).
   *
   * @param doubleSize double width and height, for titles and totals
   */
  public record Text(String text, Align align, boolean bold, boolean doubleSize) implements Element {
    public Text {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(align, "align");
    }
  }

  /** A QR code of {@code data}, centred; native on printers that have it, a raster image otherwise. */
  public record Qr(String data) implements Element {
    public Qr {
      if (data == null || data.isEmpty()) {
        throw new IllegalArgumentException("QR data must not be empty");
      }
    }
  }

  /** The logo stored in the printer's memory, where the profile names one; nothing otherwise. */
  public record Logo() implements Element {}

  /** Blank paper, {@code lines} lines of it. */
  public record Feed(int lines) implements Element {}

  /** Feed past the cutter and cut (or just feed, on printers without a cutter). */
  public record Cut() implements Element {}

  /** Open the cash drawer wired to connector pin 2 or pin 5. */
  public record DrawerKick(DrawerPin pin) implements Element {}

  /** The drawer-kick connector pin; most tills wire their drawer to pin 2. */
  public enum DrawerPin { PIN_2, PIN_5 }
}
