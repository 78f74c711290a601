package io.fiscald.agent.authority.zimra;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DeviceKeys;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.Signer;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.StoreException;
import io.fiscald.store.secret.Secret;
import io.fiscald.store.secret.SecretStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The device's FDMS identity: its certificate (in {@code devices.certificate}, DER) and the mutual-TLS
 * client built from it and the sealed device key, unsealed into memory only.
 */
public final class ZimraDevice {
  private ZimraDevice() {}

  public static Optional<X509Certificate> certificate(Connection c) {
    return Devices.find(c).map(DeviceRecord::certificate).map(FdmsTls::certificate);
  }

  /** Stores the certificate FDMS issued, and its metadata in {@code authority_state}. */
  public static void storeCertificate(Connection c, String deviceId, X509Certificate cert, String now) {
    try (PreparedStatement st = c.prepareStatement("UPDATE devices SET certificate = ? WHERE device_id = ?")) {
      st.setBytes(1, cert.getEncoded());
      st.setString(2, deviceId);
      if (st.executeUpdate() != 1) {
        throw new StoreException("no device " + deviceId + " to store a certificate for", null);
      }
    } catch (SQLException | CertificateEncodingException e) {
      throw new StoreException("cannot store the device certificate: " + e.getMessage(), e);
    }
    ZimraState.put(c, ZimraState.CERTIFICATE, describe(cert), now);
  }

  /** Subject, validity and SHA-1 thumbprint: what status shows and the journal records. */
  public static Map<String, Object> describe(X509Certificate cert) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", cert.getSubjectX500Principal().getName());
    m.put("issuer", cert.getIssuerX500Principal().getName());
    m.put("serialNumber", cert.getSerialNumber().toString(16));
    m.put("notBefore", cert.getNotBefore().toInstant().toString());
    m.put("notAfter", cert.getNotAfter().toInstant().toString());
    m.put("thumbprint", thumbprint(cert));
    return m;
  }

  /** SHA-1 of the DER certificate, lower-case hex (SignatureDataEx.certificateThumbprint). */
  public static String thumbprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate", e);
    }
  }

  /**
   * A client for every FDMS route: mutual TLS with the stored certificate and the device key unsealed
   * into memory; a sandbox test double over plain http gets no certificate. Refused with
   * ENVIRONMENT_MISMATCH when the gateway does not belong to the device's environment.
   */
  public static FdmsClient client(Connection c, SecretStore secrets, DeviceRecord device, boolean testMode,
      Clock clock) {
    return client(c, secrets, device, null, testMode, clock);
  }

  /**
   * As {@link #client(Connection, SecretStore, DeviceRecord, boolean, Clock)}; a device whose key is not in the
   * secret store (a PKCS#11 token, a control unit) authenticates through {@code signer}, the key never leaving it.
   */
  public static FdmsClient client(Connection c, SecretStore secrets, DeviceRecord device, Signer signer,
      boolean testMode,
      Clock clock) {
    ZimraSettings settings = ZimraState.requireSettings(c);
    // production material never reaches a sandbox gateway, nor the reverse
    io.fiscald.agent.device.EnvironmentGuard.check(ZimraProfile.NAME, device.environment(), settings.baseUrl(),
        testMode);
    long id = ZimraProfile.deviceIdOf(device);
    if (settings.plainHttp()) {
      return FdmsClient.deviceClient(settings, id, null, null, null, clock);
    }
    X509Certificate cert = certificate(c).orElseThrow(() -> new FiscalException(ErrorCode.DEVICE_NOT_REGISTERED,
        "device " + device.deviceId() + " has no FDMS certificate; register it: fiscalctl device register "
            + "--authority zimra ..."));
    PrivateKey key = signer != null && secrets.get(c, DeviceKeys.SIGNING_KEY).isEmpty()
        ? SignerTlsKey.of(signer) : privateKey(c, secrets);
    return FdmsClient.deviceClient(settings, id, cert, key, PublicKeys.fromDer(device.publicKey()), clock);
  }

  /** The device key, unsealed into memory for the TLS handshake; never written anywhere. */
  static PrivateKey privateKey(Connection c, SecretStore secrets) {
    Secret sealed = secrets.get(c, DeviceKeys.SIGNING_KEY).orElseThrow(() -> new FiscalException(
        ErrorCode.MASTER_KEY_INVALID, "the device signing key is missing from the secret store"));
    byte[] pkcs8 = sealed.revealBytes();
    try {
      return FdmsTls.privateKey(pkcs8);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }
}
