package io.fiscald.sim.kra;

/** Field names of a sale answer: OSCU {@code curRcptNo/sdcDateTime} or VSCU {@code rcptNo/vsdcRcptPbctDate/sdcId/mrcNo} (sheet §10, §15.2). */
public enum ResponseShape {
  /** {@code {curRcptNo, totRcptNo, intrlData, rcptSign, sdcDateTime}} (sheet §10). */
  OSCU,
  /** {@code {rcptNo, totRcptNo, intrlData, rcptSign, vsdcRcptPbctDate, sdcId, mrcNo}} (sheet §15.2). */
  VSCU
}
