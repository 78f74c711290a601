package io.fiscald.agent.authority.kra.client;

import io.fiscald.store.secret.Secret;
import java.util.Objects;

/**
 * What the Apigee gateway needs besides the cmcKey (sheet §1.2): the OAuth consumer key and secret and the
 * Apigee app id. The secret stays a {@link Secret}; {@link #toString} never shows it.
 */
public record GatewayCredentials(String tokenUrl, String consumerKey, Secret consumerSecret, String apigeeAppId) {
  public GatewayCredentials {
    Objects.requireNonNull(tokenUrl, "tokenUrl");
    Objects.requireNonNull(consumerKey, "consumerKey");
    Objects.requireNonNull(consumerSecret, "consumerSecret");
    Objects.requireNonNull(apigeeAppId, "apigeeAppId");
  }

  @Override
  public String toString() {
    return "GatewayCredentials[tokenUrl=" + tokenUrl + ", consumerKey=" + consumerKey + ", consumerSecret=[REDACTED],"
        + " apigeeAppId=" + apigeeAppId + "]";
  }
}
