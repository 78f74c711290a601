package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraRegistrar;
import io.fiscald.agent.authority.kra.KraRegistration;
import io.fiscald.agent.authority.kra.KraRuntime;
import io.fiscald.agent.authority.kra.KraSync;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.store.secret.Secret;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The KRA branches of the shared technician commands ({@code device register --authority kra},
 * {@code sync}), kept here so those commands need only a line each.
 */
final class KraCli {
  private KraCli() {}

  /** What {@code device register --authority kra} takes besides the shared --serial, --env and --url. */
  record RegisterOptions(String pin, String branch, String transport, boolean trackStock, String consumerKey,
      String consumerSecret, String apigeeAppId, String deviceId, boolean force) {}

  static int register(BaseCommand cmd, RegisterOptions o, String serial, String environment, String url) {
    if (o.pin() == null) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--pin is required for --authority kra (the 11-character"
          + " KRA PIN)", Map.of("field", "pin"));
    }
    KraConfig config = KraConfig.of(o.pin(), o.branch(), serial, environment, o.transport(), url)
        .withTrackStock(o.trackStock());
    String secret = o.consumerSecret() != null ? o.consumerSecret() : cmd.config().secret(
        io.fiscald.agent.config.ConfigKeys.KRA_CONSUMER_SECRET).map(io.fiscald.store.secret.Secret::revealUtf8)
        .orElse(null);
    KraRegistrar.Registered r = KraRegistrar.register(cmd.dataDirectory(), cmd.env(), new KraRegistration(config,
        o.deviceId(), o.consumerKey(), secret == null ? null : Secret.ofUtf8(secret), o.apigeeAppId(), o.force()),
        Clock.systemUTC());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("deviceId", r.deviceId());
    view.put("authority", "kra");
    view.put("environment", r.environment());
    view.put("transport", r.transport());
    view.put("pin", r.pin());
    view.put("bhfId", r.bhfId());
    view.put("taxpayerName", r.taxpayerName());
    view.put("sdcId", r.sdcId());
    view.put("mrcNo", r.mrcNo());
    view.put("taxRates", r.rates().toString());
    view.put("initialised", r.initialised());
    view.put("dataDir", cmd.dataDirectory().root().toString());
    cmd.result(view, "Device " + r.deviceId() + " registered with KRA eTIMS (" + r.environment() + ", "
        + r.transport() + ") for " + r.taxpayerName() + " (PIN " + r.pin() + ", branch " + r.bhfId() + ").\n"
        + "SCU ID: " + r.sdcId() + "  MRC: " + r.mrcNo() + "  (cmcKey sealed; it cannot be recovered from KRA)\n"
        + "Tax rates from the code list: " + r.rates() + "\nNext: fiscalctl day open, sell, then fiscalctl sync");
    return 0;
  }

  /** Drains the KRA outbox now; exit 1 when eTIMS could not be reached and receipts still wait. */
  static int sync(BaseCommand cmd, Agent agent) {
    try (KraRuntime kra = KraRuntime.attach(agent, Clock.systemUTC())) {
      KraSync.Result r = kra.sync();
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("authority", "kra");
      view.put("synced", r.sent());
      view.put("rejected", r.rejected());
      view.put("pending", r.pending());
      view.put("lastError", r.lastError());
      if (r.blocked() && r.pending() > 0) {
        throw new FiscalException(ErrorCode.AUTHORITY_UNAVAILABLE, "eTIMS cannot take the next receipt right now ("
            + r.lastError() + "); " + r.pending() + " receipt(s) wait and will be sent in order", view);
      }
      cmd.result(view, "Synced " + r.sent() + " receipt(s) to KRA eTIMS; " + r.rejected() + " rejected"
          + (r.rejected() > 0 ? " (last: " + r.lastError() + ")" : "") + "; " + r.pending() + " waiting.");
      return 0;
    }
  }
}
