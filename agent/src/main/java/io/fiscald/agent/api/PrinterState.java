package io.fiscald.agent.api;

/**
 * What the print side reports for status, readiness and alerts.
 *
 * @param state NONE (no printer configured), READY, PAPER_NEAR_END, PAPER_OUT, COVER_OPEN, OFFLINE, ERROR
 * @param detail a sentence for the technician, or null
 */
public record PrinterState(String state, String detail) {
  public static final PrinterState NONE = new PrinterState("NONE", "no printer is configured");

  public boolean paperNearEnd() {
    return "PAPER_NEAR_END".equals(state);
  }

  public boolean paperOut() {
    return "PAPER_OUT".equals(state);
  }
}
