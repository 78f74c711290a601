package io.fiscald.agent.authority.kra;

import io.fiscald.store.secret.Secret;

/**
 * What a technician gives {@code fiscalctl device register --authority kra}: the eTIMS configuration,
 * optionally the gateway's OAuth credentials, and whether to initialise an initialised device again.
 *
 * @param consumerSecret sealed at once; never printed ({@link #toString} hides it)
 * @param force re-run {@code selectInitOsdcInfo} on a device that already holds a cmcKey (the old key is replaced)
 */
public record KraRegistration(
    KraConfig config,
    String deviceId,
    String consumerKey,
    Secret consumerSecret,
    String apigeeAppId,
    boolean force) {

  @Override
  public String toString() {
    return "KraRegistration[config=" + config + ", deviceId=" + deviceId + ", consumerKey=" + consumerKey
        + ", consumerSecret=" + (consumerSecret == null ? "none" : "[REDACTED]") + ", apigeeAppId=" + apigeeAppId
        + ", force=" + force + "]";
  }
}
