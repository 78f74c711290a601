package io.fiscald.agent.doctor;

import io.fiscald.agent.authority.kra.KraProfile;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

/**
 * What the authority gave this device to work with: ZIMRA's device certificate and its expiry, or KRA's
 * initialisation (configuration and the cmcKey from selectInitOsdcInfo). Nothing for the local profile.
 */
final class CredentialsCheck implements Check {
  @Override
  public String name() {
    return "credentials";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    try (Connection c = ctx.readOnly()) {
      DeviceRecord device = Devices.find(c).orElse(null);
      if (device == null) {
        return Finding.fail(name(), "the database holds no device", Finding.facts(), "See the data-dir finding");
      }
      String authority = device.authority();
      if (ZimraProfile.NAME.equals(authority)) {
        X509Certificate cert = ZimraDevice.certificate(c).orElse(null);
        if (cert == null) {
          return Finding.fail(name(), "the device has no ZIMRA certificate", Finding.facts("authority", authority),
              "Register the device: fiscalctl device register --authority zimra ... (docs/ZIMRA.md)");
        }
        Instant expires = cert.getNotAfter().toInstant();
        Duration left = Duration.between(ctx.clock().instant(), expires);
        var seen = Finding.facts("authority", authority, "certificateExpiresAt", expires.toString(), "daysLeft",
            left.toDays(), "subject", cert.getSubjectX500Principal().getName());
        if (left.isNegative()) {
          return Finding.fail(name(), "the ZIMRA device certificate expired on " + expires, seen, "An expired "
              + "certificate cannot be renewed over mutual TLS: re-register the device with its activation key "
              + "(fiscalctl device register --authority zimra ..., docs/ZIMRA.md)");
        }
        if (left.compareTo(ctx.limits().certificateWarning()) < 0) {
          return Finding.warn(name(), "the ZIMRA device certificate expires in " + left.toDays() + " days", seen,
              "Renew it now, while it is still valid: fiscalctl device renew-cert");
        }
        return Finding.ok(name(), "ZIMRA certificate valid for " + left.toDays() + " more days", seen);
      }
      if (KraProfile.NAME.equals(authority)) {
        boolean config = KraState.config(c).isPresent();
        boolean cmcKey = hasSecret(c, KraState.CMC_KEY);
        var seen = Finding.facts("authority", authority, "configured", config, "cmcKey", cmcKey ? "present" : "missing");
        if (!config || !cmcKey) {
          return Finding.fail(name(), "the device is not initialised with KRA eTIMS", seen, "Initialise it: fiscalctl "
              + "device register --authority kra --pin ... --branch ... --serial ... (docs/KRA.md)");
        }
        return Finding.ok(name(), "KRA eTIMS initialised (configuration and cmcKey present)", seen);
      }
      return Finding.ok(name(), "the " + authority + " profile needs no authority credentials",
          Finding.facts("authority", authority));
    }
  }

  /** Whether the secret store holds {@code name} (sealed; never opened here). */
  private static boolean hasSecret(Connection c, String name) throws Exception {
    try (var ps = c.prepareStatement("SELECT 1 FROM secrets WHERE name = ?")) {
      ps.setString(1, name);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
