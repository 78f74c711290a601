package io.fiscald.hal.print;

/**
 * The printer answered but cannot print: paper out, cover open, offline or in error. {@code dataSent}
 * says whether the job's bytes had already gone out (paper ran out mid-job), in which case part of it may
 * be on paper and the retry is marked as such.
 */
public final class PrinterNotReadyException extends PrinterException {
  private final boolean dataSent;

  public PrinterNotReadyException(String printer, String message, PrinterStatus status, boolean dataSent) {
    super(printer, message, status, null);
    this.dataSent = dataSent;
  }

  public boolean dataSent() {
    return dataSent;
  }
}
