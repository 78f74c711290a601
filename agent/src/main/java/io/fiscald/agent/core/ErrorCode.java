package io.fiscald.agent.core;

/**
 * Stable error codes shared by the API and {@code fiscalctl --json}. Never rename one: POS
 * integrations match on them. Each code knows whether the caller or the device is at fault.
 */
public enum ErrorCode {
  // The caller's mistake: fix the request and try again (HTTP 4xx, exit code 2).
  MALFORMED_JSON(Fault.CALLER, 400),
  INVALID_FIELD(Fault.CALLER, 400),
  REQUEST_TOO_LARGE(Fault.CALLER, 413),
  UNKNOWN_TAX_CODE(Fault.CALLER, 422),
  UNKNOWN_CURRENCY(Fault.CALLER, 422),
  INVALID_AMOUNT(Fault.CALLER, 422),
  INVALID_QUANTITY(Fault.CALLER, 422),
  PAYMENTS_DO_NOT_COVER_TOTAL(Fault.CALLER, 422),
  OVERPAYMENT_WITHOUT_CASH(Fault.CALLER, 422),
  ORIGINAL_REQUIRED(Fault.CALLER, 422),
  ORIGINAL_NOT_FOUND(Fault.CALLER, 422),
  ORIGINAL_NOT_AN_INVOICE(Fault.CALLER, 422),
  CREDIT_EXCEEDS_ORIGINAL(Fault.CALLER, 422),
  CURRENCY_MISMATCH(Fault.CALLER, 422),
  REASON_REQUIRED(Fault.CALLER, 422),
  RECEIPT_NOT_FOUND(Fault.CALLER, 404),
  DAY_NOT_OPEN(Fault.CALLER, 409),
  DAY_ALREADY_OPEN(Fault.CALLER, 409),
  DAY_TOO_LONG(Fault.CALLER, 409),
  DEVICE_NOT_INITIALISED(Fault.CALLER, 409),
  DEVICE_ALREADY_INITIALISED(Fault.CALLER, 409),
  INVALID_ARGUMENT(Fault.CALLER, 400),
  FILE_NOT_FOUND(Fault.CALLER, 400),
  RESTORE_WOULD_OVERWRITE_NEWER(Fault.CALLER, 409),
  PRINTER_PROFILE_INVALID(Fault.CALLER, 400),
  DEVICE_NOT_REGISTERED(Fault.CALLER, 409),
  ACTIVATION_KEY_REJECTED(Fault.CALLER, 422),
  VAT_STATUS_CHANGED(Fault.CALLER, 409),
  CREDIT_NOTE_BUYER_MISMATCH(Fault.CALLER, 422),
  CREDIT_NOTE_BEFORE_ORIGINAL(Fault.CALLER, 422),
  UNAUTHENTICATED(Fault.CALLER, 401),
  FORBIDDEN(Fault.CALLER, 403),
  NOT_FOUND(Fault.CALLER, 404),
  METHOD_NOT_ALLOWED(Fault.CALLER, 405),
  RATE_LIMITED(Fault.CALLER, 429),
  IDEMPOTENCY_KEY_REQUIRED(Fault.CALLER, 400),
  IDEMPOTENCY_KEY_REUSED(Fault.CALLER, 409),
  IDEMPOTENCY_KEY_IN_USE(Fault.CALLER, 409),
  CANCEL_NOT_ALLOWED(Fault.CALLER, 409),
  TOKEN_NAME_TAKEN(Fault.CALLER, 409),
  TOKEN_NOT_FOUND(Fault.CALLER, 404),

  // The device's trouble: the request was fine, something on the till is not (HTTP 5xx, exit code 1).
  DATA_DIR_LOCKED(Fault.DEVICE, 503),
  MASTER_KEY_INVALID(Fault.DEVICE, 500),
  AUDIT_FAILED(Fault.DEVICE, 500),
  BACKUP_INVALID(Fault.DEVICE, 500),
  STORAGE_ERROR(Fault.DEVICE, 500),
  SHUTTING_DOWN(Fault.DEVICE, 503),
  PRINTER_UNAVAILABLE(Fault.DEVICE, 503),
  PRINTER_NOT_READY(Fault.DEVICE, 503),
  NOT_READY(Fault.DEVICE, 503),
  PORT_IN_USE(Fault.DEVICE, 500),
  CONFIG_INVALID(Fault.DEVICE, 500),
  AUTHORITY_UNAVAILABLE(Fault.DEVICE, 503),
  AUTHORITY_REFUSED(Fault.DEVICE, 502),
  CERTIFICATE_INVALID(Fault.DEVICE, 500),
  SIGNER_UNAVAILABLE(Fault.DEVICE, 503),
  SIGNER_PIN_INVALID(Fault.DEVICE, 500),
  SIGNER_KEY_MISMATCH(Fault.DEVICE, 500),
  INTERNAL(Fault.DEVICE, 500),

  // #4 KRA eTIMS
  RECEIPT_MODE_NOT_SUPPORTED(Fault.CALLER, 422),

  // issue #7, environments: production and sandbox material never mix; a switch is checked first
  ENVIRONMENT_MISMATCH(Fault.CALLER, 409),
  ENVIRONMENT_SWITCH_REFUSED(Fault.CALLER, 409),


  // issue #8 (reliability harnesses)
  MALFORMED_REQUEST(Fault.CALLER, 400),
  STORAGE_FULL(Fault.DEVICE, 507);

  /** Who has to act to make the error go away. */
  public enum Fault { CALLER, DEVICE }

  private final Fault fault;
  private final int httpStatus;

  ErrorCode(Fault fault, int httpStatus) {
    this.fault = fault;
    this.httpStatus = httpStatus;
  }

  public Fault fault() {
    return fault;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Process exit status for fiscalctl: 2 for the caller's mistake, 1 for the device's trouble. */
  public int exitCode() {
    return fault == Fault.CALLER ? 2 : 1;
  }
}
