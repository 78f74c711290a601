package io.fiscald.agent.device;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.controlunit.ControlUnitSigner;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.Signer;
import io.fiscald.hal.sign.SigningException;
import io.fiscald.hal.sign.pkcs11.Pkcs11Signer;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device's signer as the agent uses it: whatever module holds the key, a failure to sign becomes
 * a {@link FiscalException} with a stable code (SIGNER_UNAVAILABLE, SIGNER_PIN_INVALID, …) and the
 * module's state, so the fiscal core refuses that one event cleanly and nothing is recorded.
 */
public final class DeviceSigner implements Signer, AutoCloseable {
  private final Signer delegate;
  private final SignerConfig config;

  DeviceSigner(Signer delegate, SignerConfig config) {
    this.delegate = delegate;
    this.config = config;
  }

  @Override
  public byte[] sign(byte[] data) {
    try {
      return delegate.sign(data);
    } catch (SigningException e) {
      throw translate(e, config);
    }
  }

  @Override
  public KeyAlgorithm algorithm() {
    return delegate.algorithm();
  }

  @Override
  public PublicKey publicKey() {
    return delegate.publicKey();
  }

  public SignerConfig config() {
    return config;
  }

  /** Which module signs and what it says about itself; never a secret. */
  public Map<String, Object> describe() {
    Map<String, Object> view = new LinkedHashMap<>(config.describe());
    view.put("algorithm", delegate.algorithm().name());
    view.put("publicKeyFingerprint", PublicKeys.fingerprint(delegate.publicKey()));
    if (delegate instanceof Pkcs11Signer p) {
      view.put("module", p.moduleInfo());
      view.put("keyExtractable", p.keyExtractable());
      view.put("certificateSubject", p.certificate().getSubjectX500Principal().getName());
      view.put("certificateNotAfter", p.certificate().getNotAfter().toInstant().toString());
    } else if (delegate instanceof ControlUnitSigner cu) {
      view.put("unitVendor", cu.info().vendor());
      view.put("unitModel", cu.info().model());
      view.put("unitSerial", cu.info().serial());
      view.put("unitFirmware", cu.info().firmware());
      view.put("retransmissions", cu.link().retransmissions());
    } else {
      view.put("keyStorage", "sealed in the secret store (AES-256-GCM under the master key)");
    }
    return view;
  }

  @Override
  public void close() {
    if (delegate instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // releasing the port or session at shutdown; nothing depends on it
      }
    }
  }

  @Override
  public String toString() {
    return "DeviceSigner[" + delegate + "]";
  }

  static FiscalException translate(SigningException e, SignerConfig config) {
    Map<String, Object> details = new LinkedHashMap<>(config.describe());
    details.put("reason", e.reason().name());
    if (e.getCause() instanceof io.fiscald.hal.controlunit.ControlUnitException cu) {
      details.putAll(cu.details());
    }
    ErrorCode code = switch (e.reason()) {
      case PIN_INCORRECT -> ErrorCode.SIGNER_PIN_INVALID;
      case KEY_INVALID -> config.isSoftware() ? ErrorCode.MASTER_KEY_INVALID : ErrorCode.SIGNER_UNAVAILABLE;
      default -> ErrorCode.SIGNER_UNAVAILABLE;
    };
    return new FiscalException(code, "the device's " + config.type() + " signer is not usable: " + e.getMessage(),
        details, e);
  }
}
