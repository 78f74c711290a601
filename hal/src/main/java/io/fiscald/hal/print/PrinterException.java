package io.fiscald.hal.print;

/** A print or status request that failed, with the printer's address and its last known status. */
public class PrinterException extends RuntimeException {
  private final String printer;
  private final PrinterStatus lastStatus;

  public PrinterException(String printer, String message, PrinterStatus lastStatus, Throwable cause) {
    super(message, cause);
    this.printer = printer;
    this.lastStatus = lastStatus;
  }

  /** The printer's port path or address. */
  public String printer() {
    return printer;
  }

  /** The last status the printer reported, or null when it never answered. */
  public PrinterStatus lastStatus() {
    return lastStatus;
  }
}
