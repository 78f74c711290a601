package io.fiscald.agent.env;

import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraProfile;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.authority.kra.client.EtimsTransport;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.authority.zimra.ZimraState;
import io.fiscald.store.DeviceRecord;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The authority URLs a device's stored settings point at (ZIMRA gateway; KRA base and token URLs). */
public final class AuthorityUrls {
  private AuthorityUrls() {}

  /** Setting name → URL; empty for a local device or one not yet registered. */
  public static Map<String, String> of(Connection c, DeviceRecord device) {
    Map<String, String> urls = new LinkedHashMap<>();
    if (ZimraProfile.NAME.equals(device.authority())) {
      ZimraState.settings(c).ifPresent(s -> urls.put("zimra.baseUrl", s.baseUrl()));
    } else if (KraProfile.NAME.equals(device.authority())) {
      Optional<KraConfig> k = KraState.config(c);
      k.ifPresent(config -> {
        urls.put("kra.baseUrl", config.baseUrl());
        if (config.transportKind() == EtimsTransport.OSCU_GATEWAY && config.tokenUrl() != null) {
          urls.put("kra.tokenUrl", config.tokenUrl());
        }
      });
    }
    return urls;
  }
}
