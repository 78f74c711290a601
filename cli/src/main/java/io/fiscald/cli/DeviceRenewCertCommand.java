package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.zimra.ZimraOnboarding;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code fiscalctl device renew-cert}: renew the device certificate with the authority now. */
@Command(name = "renew-cert", mixinStandardHelpOptions = true,
    description = {"Renew the device's FDMS certificate now (issueCertificate over mutual TLS with the current one). "
        + "fiscald also renews it by itself a month before it expires; do it before opening a day.",
        "", "Example:", "  fiscalctl device renew-cert --json"})
final class DeviceRenewCertCommand extends BaseCommand {
  @Override
  int run() {
    initialisedDataDirectory();
    try (Agent agent = openAgent()) {
      if (!ZimraProfile.NAME.equals(agent.device().authority())) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "device " + agent.device().deviceId() + " uses the '"
            + agent.device().authority() + "' profile, which has no certificate to renew",
            Map.of("authority", agent.device().authority()));
      }
      Map<String, Object> cert = ZimraOnboarding.renewCertificate(agent, Clock.systemUTC());
      result(cert, "Certificate renewed: " + cert.get("subject") + ", valid until " + cert.get("notAfter")
          + " (thumbprint " + cert.get("thumbprint") + ")");
    }
    return 0;
  }
}
