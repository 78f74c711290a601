package io.fiscald.hal.print;

import java.util.ArrayList;
import java.util.List;

/**
 * A printer's state as its four {@code DLE EOT} answers report it.
 *
 * @param error a mechanical, cutter or unrecoverable error (see {@code errorDetail})
 * @param errorDetail what the error answer said, or null when there is no error
 */
public record PrinterStatus(boolean online, boolean coverOpen, boolean paperEnd, boolean paperNearEnd, boolean error,
    String errorDetail) {

  /** Every status answer has bit 1 and bit 4 set and bits 0 and 7 clear (ESC/POS fixed bits). */
  public static boolean isStatusByte(int b) {
    return (b & 0x93) == 0x12;
  }

  /**
   * Decodes the answers to {@code DLE EOT 1}, {@code 2}, {@code 3} and {@code 4}.
   * n=1: bit 3 offline. n=2: bit 2 cover open, bit 5 stopped by paper end, bit 6 error.
   * n=3: bit 2 mechanical, bit 3 auto-cutter, bit 5 unrecoverable, bit 6 auto-recoverable error.
   * n=4: bits 2-3 paper near end, bits 5-6 paper end.
   */
  public static PrinterStatus decode(int printer, int offline, int errors, int paper) {
    List<String> causes = new ArrayList<>();
    if ((errors & 0x04) != 0) {
      causes.add("mechanical error");
    }
    if ((errors & 0x08) != 0) {
      causes.add("auto-cutter error");
    }
    if ((errors & 0x20) != 0) {
      causes.add("unrecoverable error");
    }
    if ((errors & 0x40) != 0) {
      causes.add("print head too hot");
    }
    boolean error = !causes.isEmpty() || (offline & 0x40) != 0;
    if (error && causes.isEmpty()) {
      causes.add("error reported");
    }
    boolean paperEnd = (paper & 0x60) != 0 || (offline & 0x20) != 0;
    return new PrinterStatus((printer & 0x08) == 0, (offline & 0x04) != 0, paperEnd, (paper & 0x0C) != 0, error,
        error ? String.join(", ", causes) : null);
  }

  /** Ready for a job: online, cover shut, paper in, no error. Paper near end still prints. */
  public boolean ready() {
    return online && !coverOpen && !paperEnd && !error;
  }

  /** For people: {@code ready}, or what is wrong, e.g. {@code offline, paper out}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (!online) {
      parts.add("offline");
    }
    if (coverOpen) {
      parts.add("cover open");
    }
    if (paperEnd) {
      parts.add("paper out");
    } else if (paperNearEnd) {
      parts.add("paper near end");
    }
    if (error) {
      parts.add(errorDetail);
    }
    return parts.isEmpty() ? "ready" : (ready() ? "ready, " : "") + String.join(", ", parts);
  }
}
