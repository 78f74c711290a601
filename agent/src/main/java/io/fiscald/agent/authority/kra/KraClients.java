package io.fiscald.agent.authority.kra;

import io.fiscald.agent.authority.kra.client.EtimsEndpoint;
import io.fiscald.agent.authority.kra.client.EtimsTransport;
import io.fiscald.agent.authority.kra.client.GatewayCredentials;
import io.fiscald.agent.authority.kra.client.HttpEtimsClient;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.device.EnvironmentGuard;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.store.secret.Secret;
import io.fiscald.store.secret.SecretStore;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Builds the eTIMS client a device's configuration asks for, with its sealed credentials. */
public final class KraClients {
  private KraClients() {}

  /**
   * A client with the sealed cmcKey and gateway credentials; refused with ENVIRONMENT_MISMATCH when the
   * configuration's URLs do not belong to its environment ({@link EnvironmentGuard}).
   */
  public static HttpEtimsClient create(KraConfig config, Connection c, SecretStore secrets, boolean testMode,
      Clock clock) {
    Optional<Secret> cmcKey = secrets.get(c, KraState.CMC_KEY);
    GatewayCredentials gateway = null;
    if (config.transportKind() == EtimsTransport.OSCU_GATEWAY) {
      Optional<Secret> key = secrets.get(c, KraState.GATEWAY_KEY);
      Optional<Secret> secret = secrets.get(c, KraState.GATEWAY_SECRET);
      Optional<Secret> app = secrets.get(c, KraState.GATEWAY_APP_ID);
      if (key.isEmpty() || secret.isEmpty() || app.isEmpty()) {
        throw new FiscalException(ErrorCode.DEVICE_NOT_REGISTERED, "the gateway transport needs its OAuth consumer"
            + " key and secret and the Apigee app id; give them at registration (--consumer-key, --consumer-secret,"
            + " --apigee-app-id)");
      }
      gateway = new GatewayCredentials(config.tokenUrl(), key.get().revealUtf8(), secret.get(), app.get().revealUtf8());
    }
    return create(config, () -> cmcKey, gateway, testMode, clock);
  }

  public static HttpEtimsClient create(KraConfig config, java.util.function.Supplier<Optional<Secret>> cmcKey,
      GatewayCredentials gateway, boolean testMode, Clock clock) {
    EnvironmentGuard.check(KraProfile.NAME, config.environment(), config.baseUrl(), testMode);
    if (config.tokenUrl() != null && config.transportKind() == EtimsTransport.OSCU_GATEWAY) {
      EnvironmentGuard.check(KraProfile.NAME, config.environment(), config.tokenUrl(), testMode);
    }
    Map<EtimsEndpoint, String> paths = new EnumMap<>(EtimsEndpoint.class);
    config.paths().forEach((name, path) -> {
      try {
        paths.put(EtimsEndpoint.valueOf(name.toUpperCase(Locale.ROOT)), path);
      } catch (IllegalArgumentException e) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "path override names '" + name
            + "', which is not an eTIMS function this client calls");
      }
    });
    HttpEtimsClient.Placement placement = switch (config.credentialPlacement()) {
      case "headers" -> HttpEtimsClient.Placement.HEADERS;
      case "body" -> HttpEtimsClient.Placement.BODY;
      default -> HttpEtimsClient.Placement.HEADERS_AND_BODY;
    };
    return new HttpEtimsClient(config.transportKind(), config.baseUrl(), paths, config.pin(), config.bhfId(), cmcKey,
        placement, gateway, Duration.ofSeconds(config.initTimeoutSeconds()),
        Duration.ofSeconds(config.callTimeoutSeconds()), clock);
  }
}
