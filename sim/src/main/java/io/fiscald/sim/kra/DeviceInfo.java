package io.fiscald.sim.kra;

/**
 * A device serial declared for a PIN and branch, and what {@code selectInitOsdcInfo} hands out for it once
 * (sheet §4): {@code dvcId}, {@code sdcId}, {@code mrcNo}, {@code cmcKey}, deterministic per serial and seed.
 */
public record DeviceInfo(String tin, String bhfId, String dvcSrlNo, String dvcId, String sdcId, String mrcNo,
    String cmcKey, boolean initialised) {
  @Override
  public String toString() {
    return "DeviceInfo[tin=" + tin + ", bhfId=" + bhfId + ", dvcSrlNo=" + dvcSrlNo + ", sdcId=" + sdcId
        + ", mrcNo=" + mrcNo + ", cmcKey=[REDACTED], initialised=" + initialised + "]";
  }
}
