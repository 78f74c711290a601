package io.fiscald.agent.device;

import io.fiscald.store.secret.Secret;
import java.util.Objects;

/**
 * What {@code init} needs to create a device key: where it lives, and for a token the PIN given at
 * init (null to read it from the configured environment variable) and whether to seal that PIN into
 * the secret store so the agent can start unattended.
 */
public record SignerSetup(SignerConfig config, Secret pin, boolean sealPin) {
  public SignerSetup {
    Objects.requireNonNull(config, "config");
  }

  public static SignerSetup software() {
    return new SignerSetup(SignerConfig.software(), null, false);
  }

  @Override
  public String toString() {
    return "SignerSetup[" + config.type() + ", pin " + (pin == null ? "from environment" : "[REDACTED]")
        + (sealPin ? ", sealed" : "") + "]";
  }
}
