package io.fiscald.sim.zimra;

/** One receipt validation error as the gateway reports it (sheet §14): a code such as RCPT020 and its colour. */
public record FdmsValidationError(String validationErrorCode, String validationErrorColor) {

  /** Grey: the previous receipt is missing; revalidated when it arrives. */
  public static final String GREY = "Grey";
  /** Yellow: minor; the day still closes. */
  public static final String YELLOW = "Yellow";
  /** Red: major; the day cannot close. */
  public static final String RED = "Red";

  @Override
  public String toString() {
    return validationErrorCode + "/" + validationErrorColor;
  }
}
