package io.fiscald.sim.zimra;

/** The gateway routes the simulator answers (ZIMRA sheet §2), used to aim fault switches and count calls. */
public enum FdmsRoute {
  VERIFY_TAXPAYER_INFORMATION("VerifyTaxpayerInformation", false),
  REGISTER_DEVICE("RegisterDevice", false),
  GET_SERVER_CERTIFICATE("GetServerCertificate", false),
  ISSUE_CERTIFICATE("IssueCertificate", true),
  GET_CONFIG("GetConfig", true),
  GET_STATUS("GetStatus", true),
  OPEN_DAY("OpenDay", true),
  SUBMIT_RECEIPT("SubmitReceipt", true),
  CLOSE_DAY("CloseDay", true),
  PING("Ping", true),
  SUBMIT_FILE("SubmitFile", true),
  SUBMITTED_FILE_LIST("SubmittedFileList", true),
  /** Matches every route when arming a fault; never the route of an actual call. */
  ANY("*", false);

  private final String pathName;
  private final boolean deviceRoute;

  FdmsRoute(String pathName, boolean deviceRoute) {
    this.pathName = pathName;
    this.deviceRoute = deviceRoute;
  }

  /** The last path segment on the wire, e.g. {@code SubmitReceipt}. */
  public String pathName() {
    return pathName;
  }

  /** True for {@code /Device/v1/...} routes, which require the device's client certificate (sheet §1). */
  public boolean deviceRoute() {
    return deviceRoute;
  }

  /** The route whose last path segment is {@code name} (case-insensitive), or null. */
  public static FdmsRoute ofPathName(String name) {
    for (FdmsRoute r : values()) {
      if (r != ANY && r.pathName.equalsIgnoreCase(name)) {
        return r;
      }
    }
    return null;
  }
}
