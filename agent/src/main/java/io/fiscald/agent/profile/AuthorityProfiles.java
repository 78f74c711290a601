package io.fiscald.agent.profile;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.store.DeviceRecord;

/** Picks the profile a device was registered with; the one place that knows profiles by name. */
public final class AuthorityProfiles {
  private AuthorityProfiles() {}

  public static AuthorityProfile forDevice(DeviceRecord device, DeviceSettings settings) {
    return forDevice(device, settings, null);
  }

  /**
   * The profile of {@code device}; {@code writer} is the fiscal core's writer connection, which a profile
   * that keeps authority state (ZIMRA's getConfig, originals of notes) reads on the writer thread, or
   * null for a profile that only renders stored receipts.
   */
  public static AuthorityProfile forDevice(DeviceRecord device, DeviceSettings settings, java.sql.Connection writer) {
    if (LocalProfile.NAME.equals(device.authority())) {
      return new LocalProfile(settings);
    }
    if (io.fiscald.agent.authority.zimra.ZimraProfile.NAME.equals(device.authority())) {
      return io.fiscald.agent.authority.zimra.ZimraProfile.forDevice(device, writer, java.time.Clock.systemUTC());
    }
    if (io.fiscald.agent.authority.kra.KraProfile.NAME.equals(device.authority())) {
      return io.fiscald.agent.authority.kra.KraProfile.forDevice(settings, writer);
    }
    throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "device " + device.deviceId()
        + " uses authority profile '" + device.authority() + "', which this fiscald does not have");
  }
}
