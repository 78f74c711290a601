package io.fiscald.store;

import java.sql.Connection;
import java.util.Optional;

/** The {@code devices} table: one row per data directory today. */
public final class Devices {
  private Devices() {}

  public static void insert(Connection c, DeviceRecord d) {
    Sql.update(c, "register device " + d.deviceId(),
        "INSERT INTO devices (device_id, authority, environment, key_algorithm, public_key, certificate,"
            + " settings, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        d.deviceId(), d.authority(), d.environment(), d.keyAlgorithm(), d.publicKey(), d.certificate(),
        d.settings(), d.createdAt());
  }

  public static Optional<DeviceRecord> find(Connection c) {
    return Sql.one(c, "read device", rs -> new DeviceRecord(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getBytes(6), rs.getString(7),
            rs.getString(8)),
        "SELECT device_id, authority, environment, key_algorithm, public_key, certificate, settings,"
            + " created_at FROM devices ORDER BY created_at LIMIT 1");
  }
}
