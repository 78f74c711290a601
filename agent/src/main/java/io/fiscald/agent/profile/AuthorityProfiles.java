package io.fiscald.agent.profile;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.store.DeviceRecord;

/** Picks the profile a device was registered with; the one place that knows profiles by name. */
public final class AuthorityProfiles {
  private AuthorityProfiles() {}

  public static AuthorityProfile forDevice(DeviceRecord device, DeviceSettings settings) {
    if (LocalProfile.NAME.equals(device.authority())) {
      return new LocalProfile(settings);
    }
    throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "device " + device.deviceId()
        + " uses authority profile '" + device.authority() + "', which this fiscald does not have");
  }
}
