package io.fiscald.store;

/** A fiscal day as stored: open until closed with its Z report. */
public record FiscalDayRecord(
    long dayNo, String status, String openedAt, String closedAt, long openSeq, Long closeSeq, String zReport) {

  public boolean isOpen() {
    return "OPEN".equals(status);
  }
}
