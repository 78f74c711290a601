package io.fiscald.sim.kra;

/** A refused call: a resultCd from sheet §9 and KRA's text; {@code validation} ones follow the RejectionStyle. */
final class EtimsRejection extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final String code;
  final boolean validation;

  EtimsRejection(String code, String message, boolean validation) {
    super(message, null, false, false);
    this.code = code;
    this.validation = validation;
  }

  /** A KRA-style validation refusal (resultCd 910, HTTP 400 on the gateway by default). */
  static EtimsRejection invalid(String message) {
    return new EtimsRejection("910", message, true);
  }

  /** A refusal with a protocol code of sheet §9 and its verbatim text. */
  static EtimsRejection code(String code) {
    return new EtimsRejection(code, ResultCodes.text(code), false);
  }
}
