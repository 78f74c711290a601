package io.fiscald.agent.doctor;

import io.fiscald.agent.Agent;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

/** The open fiscal day and its age against the longest day the device may keep open. */
final class FiscalDayCheck implements Check {
  @Override
  public String name() {
    return "fiscal-day";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    try (Connection c = ctx.readOnly()) {
      DeviceRecord device = Devices.find(c).orElse(null);
      if (device == null) {
        return Finding.fail(name(), "the database holds no device", Finding.facts(), "See the data-dir finding");
      }
      FiscalDayRecord day = FiscalDays.latest(c).orElse(null);
      if (day == null || !day.isOpen()) {
        return Finding.ok(name(), day == null ? "no fiscal day yet" : "fiscal day " + day.dayNo() + " is closed",
            Finding.facts("dayNo", day == null ? null : day.dayNo(), "status", day == null ? "NONE" : day.status()));
      }
      int maxHours = Agent.settingsOf(device).maxDayHours();
      Duration age = Duration.between(Instant.parse(day.openedAt()), ctx.clock().instant());
      var seen = Finding.facts("dayNo", day.dayNo(), "status", day.status(), "openedAt", day.openedAt(), "ageHours",
          age.toMinutes() / 60.0, "maxDayHours", maxHours);
      String fix = "Close the day now (fiscalctl day close; the Z report prints), then open a new one "
          + "(fiscalctl day open)";
      if (age.compareTo(Duration.ofHours(maxHours)) > 0) {
        return Finding.fail(name(), "fiscal day " + day.dayNo() + " has been open " + age.toHours() + " h, longer "
            + "than the " + maxHours + " h allowed", seen, fix);
      }
      if (age.compareTo(Duration.ofHours(maxHours).minusHours(1)) > 0) {
        return Finding.warn(name(), "fiscal day " + day.dayNo() + " must be closed within the hour", seen, fix);
      }
      return Finding.ok(name(), "fiscal day " + day.dayNo() + " open for " + age.toHours() + " h of " + maxHours,
          seen);
    }
  }
}
