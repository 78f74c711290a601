package io.fiscald.hal.print;

/**
 * The printer cannot be reached or does not answer: port missing or refused, line dropped, no answer to
 * a status query. {@code dataSent} says whether the job may have reached the printer before contact was lost.
 */
public final class PrinterUnreachableException extends PrinterException {
  private final boolean dataSent;

  public PrinterUnreachableException(String printer, String message, PrinterStatus lastStatus, boolean dataSent,
      Throwable cause) {
    super(printer, message, lastStatus, cause);
    this.dataSent = dataSent;
  }

  public boolean dataSent() {
    return dataSent;
  }
}
