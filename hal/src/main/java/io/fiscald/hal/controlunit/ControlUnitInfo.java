package io.fiscald.hal.controlunit;

import java.util.Objects;

/** What a control unit says about itself: who made it, which model, its serial number and firmware. */
public record ControlUnitInfo(String vendor, String model, String serial, String firmware) {
  public ControlUnitInfo {
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(firmware, "firmware");
  }
}
