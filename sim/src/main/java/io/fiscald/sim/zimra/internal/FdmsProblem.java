package io.fiscald.sim.zimra.internal;

/** A refused call, answered as RFC 7807 ProblemDetails with the gateway's {@code errorCode} (sheet §1, §14). */
public final class FdmsProblem extends RuntimeException {
  private final int status;
  private final String title;
  private final String errorCode;
  private final String detail;

  public FdmsProblem(int status, String title, String errorCode, String detail) {
    super(status + " " + (errorCode == null ? "" : errorCode + " ") + title + (detail == null ? "" : ": " + detail),
        null, false, false);
    this.status = status;
    this.title = title;
    this.errorCode = errorCode;
    this.detail = detail;
  }

  /** 422 with an error code (sheet §14). */
  public static FdmsProblem unprocessable(String errorCode, String title, String detail) {
    return new FdmsProblem(422, title, errorCode, detail);
  }

  /** 400: malformed request. */
  public static FdmsProblem badRequest(String detail) {
    return new FdmsProblem(400, "Bad Request", null, detail);
  }

  /** 401: certificate problem (sheet §1). */
  public static FdmsProblem unauthorized(String title, String detail) {
    return new FdmsProblem(401, title, null, detail);
  }

  public int status() { return status; }
  public String title() { return title; }
  public String errorCode() { return errorCode; }
  public String detail() { return detail; }
}
