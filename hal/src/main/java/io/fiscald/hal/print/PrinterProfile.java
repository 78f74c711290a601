package io.fiscald.hal.print;

import java.util.List;
import java.util.Objects;

/**
 * What one printer model can do, read from configuration (see docs/PRINTERS.md): paper width in
 * columns and dots, native QR or not, its code pages with the {@code ESC t} number of each (in order
 * of preference), cutter, drawer, stored logo, and how long to wait for its answers.
 *
 * @param dotsPerLine printable width in dots (384 for 58 mm, 576 for 80 mm at 203 dpi), for raster QR
 * @param qrModuleSize dots per QR module, 1 to 16
 * @param logoKey key code of the logo stored in the printer's NV memory (two characters), or null for none
 * @param statusTimeoutMillis how long to wait for the answer to one {@code DLE EOT} query
 * @param jobTimeoutMillis how long a job may take to print before the printer is deemed stuck
 */
public record PrinterProfile(String name, int columns, int dotsPerLine, boolean nativeQr, int qrModuleSize,
    List<CodePageSlot> codePages, Cutter cutter, boolean drawer, int feedLinesBeforeCut, String logoKey,
    int statusTimeoutMillis, int jobTimeoutMillis) {

  /** A code page and the {@code ESC t} number that selects it on this model. */
  public record CodePageSlot(CodePage page, int escT) {
    public CodePageSlot {
      Objects.requireNonNull(page, "page");
      if (escT < 0 || escT > 255) {
        throw new IllegalArgumentException("ESC t number out of range: " + escT);
      }
    }
  }

  /** The cutter fitted, if any. */
  public enum Cutter { NONE, PARTIAL, FULL }

  public PrinterProfile {
    Objects.requireNonNull(name, "name");
    if (columns != 32 && columns != 42 && columns != 48) {
      throw new IllegalArgumentException("printer " + name + ": columns must be 32, 42 or 48, got " + columns);
    }
    if (dotsPerLine < 128 || dotsPerLine > 2048) {
      throw new IllegalArgumentException("printer " + name + ": dotsPerLine out of range: " + dotsPerLine);
    }
    if (qrModuleSize < 1 || qrModuleSize > 16) {
      throw new IllegalArgumentException("printer " + name + ": qrModuleSize must be 1 to 16, got " + qrModuleSize);
    }
    codePages = List.copyOf(codePages);
    if (codePages.isEmpty()) {
      throw new IllegalArgumentException("printer " + name + ": at least one code page is needed");
    }
    Objects.requireNonNull(cutter, "cutter");
    if (feedLinesBeforeCut < 0 || feedLinesBeforeCut > 20) {
      throw new IllegalArgumentException("printer " + name + ": feedLinesBeforeCut out of range");
    }
    if (logoKey != null && logoKey.length() != 2) {
      throw new IllegalArgumentException("printer " + name + ": logoKey must be two characters, got " + logoKey);
    }
    if (statusTimeoutMillis < 10 || jobTimeoutMillis < statusTimeoutMillis) {
      throw new IllegalArgumentException("printer " + name + ": need 10 <= statusTimeoutMillis <= jobTimeoutMillis");
    }
  }

  /** A plain Epson-compatible printer of {@code columns} columns: native QR, PC437/PC850/PC858/WPC1252, partial cut. */
  public static PrinterProfile generic(int columns) {
    return new PrinterProfile("generic-" + columns, columns, columns == 32 ? 384 : columns == 42 ? 512 : 576, true,
        columns == 32 ? 5 : 6,
        List.of(new CodePageSlot(CodePage.PC437, 0), new CodePageSlot(CodePage.PC858, 19),
            new CodePageSlot(CodePage.PC850, 2), new CodePageSlot(CodePage.WPC1252, 16)),
        Cutter.PARTIAL, true, 4, null, 800, 30_000);
  }

  public PrinterProfile withColumns(int newColumns) {
    int dots = newColumns == 32 ? 384 : newColumns == 42 ? 512 : 576;
    return new PrinterProfile(name, newColumns, dots, nativeQr, qrModuleSize, codePages, cutter, drawer,
        feedLinesBeforeCut, logoKey, statusTimeoutMillis, jobTimeoutMillis);
  }

  public PrinterProfile withNativeQr(boolean qr) {
    return new PrinterProfile(name, columns, dotsPerLine, qr, qrModuleSize, codePages, cutter, drawer,
        feedLinesBeforeCut, logoKey, statusTimeoutMillis, jobTimeoutMillis);
  }

  public PrinterProfile withTimeouts(int statusMillis, int jobMillis) {
    return new PrinterProfile(name, columns, dotsPerLine, nativeQr, qrModuleSize, codePages, cutter, drawer,
        feedLinesBeforeCut, logoKey, statusMillis, jobMillis);
  }
}
