package io.fiscald.sim.zimra;

import java.util.Map;

/**
 * A fiscal day as the simulator holds it, for test assertions (sheet §5): its status, the closing error code of a
 * failed close, how many receipts arrived, and the server-side counters (key
 * {@code TYPE|CURRENCY|taxID/percent-or-moneyType}, value in the receipt currency) computed from those receipts.
 */
public record FdmsDayView(int deviceID, int fiscalDayNo, Status status, String fiscalDayOpened,
    String closingErrorCode, String fiscalDayClosed, String reconciliationMode, int receiptCount,
    Map<String, String> serverCounters) {

  public FdmsDayView {
    serverCounters = Map.copyOf(serverCounters);
  }

  /** Fiscal day status with its wire value (sheet §5). */
  public enum Status {
    CLOSED("FiscalDayClosed"),
    OPENED("FiscalDayOpened"),
    CLOSE_INITIATED("FiscalDayCloseInitiated"),
    CLOSE_FAILED("FiscalDayCloseFailed");

    private final String wire;

    Status(String wire) {
      this.wire = wire;
    }

    /** The value sent in getStatus {@code fiscalDayStatus}. */
    public String wire() {
      return wire;
    }
  }
}
