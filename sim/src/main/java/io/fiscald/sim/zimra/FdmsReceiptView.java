package io.fiscald.sim.zimra;

import java.util.List;

/**
 * A receipt as the simulator holds it, for test assertions: its server-assigned {@code receiptID}, numbering, the
 * device hash it arrived with, its current validation errors (Grey ones are re-evaluated when a gap fills) and the
 * receipt JSON exactly as received.
 */
public record FdmsReceiptView(long receiptID, int deviceID, int fiscalDayNo, int receiptGlobalNo,
    int receiptCounter, String receiptType, String invoiceNo, String receiptDate, String hash,
    List<FdmsValidationError> validationErrors, String serverDate, String receiptJson) {

  public FdmsReceiptView {
    validationErrors = List.copyOf(validationErrors);
  }

  /** True when the receipt carries a validation error with this code (e.g. {@code RCPT020}). */
  public boolean hasError(String code) {
    return validationErrors.stream().anyMatch(e -> e.validationErrorCode().equals(code));
  }

  /** The colour of this code on this receipt, or null. */
  public String colourOf(String code) {
    return validationErrors.stream().filter(e -> e.validationErrorCode().equals(code))
        .map(FdmsValidationError::validationErrorColor).findFirst().orElse(null);
  }
}
