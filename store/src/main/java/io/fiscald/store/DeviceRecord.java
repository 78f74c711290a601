package io.fiscald.store;

import java.util.Objects;

/**
 * The device this data directory belongs to: its authority profile, environment and public key
 * (the private key lives sealed in the secret store).
 *
 * @param settings JSON of profile settings (tax table, header lines, day limits)
 */
public record DeviceRecord(
    String deviceId,
    String authority,
    String environment,
    String keyAlgorithm,
    byte[] publicKey,
    byte[] certificate,
    String settings,
    String createdAt) {

  public DeviceRecord {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
    publicKey = publicKey.clone();
    certificate = certificate == null ? null : certificate.clone();
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A copy: the record stays immutable whatever the caller does with it. */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** A copy, or null when the device has no certificate. */
  @Override
  public byte[] certificate() {
    return certificate == null ? null : certificate.clone();
  }
}
