package io.fiscald.cli;

import io.fiscald.agent.authority.zimra.ZimraConfig;
import io.fiscald.agent.authority.zimra.ZimraOnboarding;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.store.secret.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fiscalctl device register}: register this till with its tax authority. */
@Command(name = "register", mixinStandardHelpOptions = true,
    description = {"Register the device with its tax authority. For ZIMRA: checks the activation key with FDMS, "
        + "creates the device and its key in the data directory (or reuses the same ZIMRA device), sends a "
        + "certificate request made on the till, stores the certificate and journals DEVICE_REGISTERED, then "
        + "fetches and stores the FDMS configuration (taxpayer, taxes, day limits).",
        "The activation key may also come from $FISCALD_ACTIVATION_KEY or the 0600 file named by zimra.activation-key-file"
            + " in fiscald.conf, so it stays out of the shell history.",
        "", "Example:",
        "  fiscalctl --data-dir /var/lib/fiscald device register --authority zimra --device-id 30199 "
            + "--serial SN-001 --activation-key ABC12345 --env sandbox",
        "  fiscalctl --data-dir /var/lib/fiscald device register --authority kra --pin P051234567X --branch 00 "
            + "--serial SN-0001 --transport oscu --env sandbox",
        "  FISCALD_PKCS11_PIN=1234 fiscalctl device register --authority zimra --device-id 30199 --serial SN-001 "
            + "--activation-key ABC12345 --signer pkcs11 --pkcs11-library /usr/lib/softhsm/libsofthsm2.so "
            + "--pkcs11-slot 1528330285"})
final class DeviceRegisterCommand extends BaseCommand {
  /** The authorities a device can be registered with. */
  enum Authority { zimra, kra }

  @Option(names = "--authority", required = true, paramLabel = "NAME",
      description = "Tax authority: ${COMPLETION-CANDIDATES}.")
  Authority authority;

  @Option(names = "--device-id", paramLabel = "N", description = "Device ID from the ZIMRA portal (zimra: required).")
  long deviceId;

  @Option(names = "--pin", paramLabel = "P", description = "kra: the taxpayer's 11-character KRA PIN.")
  String kraPin;

  @Option(names = "--branch", defaultValue = "00", paramLabel = "BHF",
      description = "kra: the branch id (default: ${DEFAULT-VALUE}, head office).")
  String kraBranch;

  @Option(names = "--transport", defaultValue = "oscu", paramLabel = "T",
      description = "kra: oscu (legacy host), oscu-gateway (Apigee) or vscu (default: ${DEFAULT-VALUE}).")
  String kraTransport;

  @Option(names = "--track-stock", description = "kra: send stock movements after sales of goods.")
  boolean kraTrackStock;

  @Option(names = "--consumer-key", paramLabel = "K", description = "kra gateway: OAuth consumer key.")
  String kraConsumerKey;

  @Option(names = "--consumer-secret", paramLabel = "S",
      description = "kra gateway: OAuth consumer secret (default: $FISCALD_KRA_CONSUMER_SECRET).")
  String kraConsumerSecret;

  @Option(names = "--apigee-app-id", paramLabel = "ID", description = "kra gateway: the Apigee app id.")
  String kraApigeeAppId;

  @Option(names = "--force", description = "kra: initialise again a device that already holds a cmcKey.")
  boolean kraForce;

  @Option(names = "--serial", required = true, paramLabel = "S", description = "Device serial number as registered.")
  String serial;

  @Option(names = "--activation-key", paramLabel = "K",
      description = "The 8-character activation key (default: $FISCALD_ACTIVATION_KEY).")
  String activationKey;

  @Option(names = "--env", defaultValue = "sandbox", paramLabel = "ENV",
      description = "sandbox (ZIMRA test gateway) or production (default: ${DEFAULT-VALUE}).")
  String environment;

  @Option(names = "--url", paramLabel = "URL",
      description = "FDMS base URL (default: ZIMRA's gateway of the environment; http:// only for sandbox test doubles).")
  String url;

  @Option(names = "--ca-cert", paramLabel = "CA.pem", description = "Extra CA for a test gateway's TLS certificate.")
  Path caCert;

  @Option(names = "--key", defaultValue = "EC_P256", paramLabel = "ALG",
      description = "Device key type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, ZIMRA's preference).")
  KeyAlgorithm keyAlgorithm;

  @Option(names = "--currency", defaultValue = "USD", paramLabel = "ISO", description = "Default currency (USD, ZWG).")
  String currency;

  /** zimra: where the device key lives (software, a PKCS#11 token or a control unit); FDMS mutual TLS signs there. */
  @Mixin
  SignerOptions signer;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "Local time of receipts (default Africa/Harare).")
  String timeZone;

  @Override
  io.fiscald.agent.device.DataDirectory dataDirectory() {
    return creationDirectory(environment);
  }

  @Override
  int run() {
    environment = creationEnvironment(environment);
    if (authority == Authority.kra && !"software".equals(signer.type)) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--signer is for ZIMRA devices, whose key signs receipts "
          + "and FDMS's mutual TLS; a KRA device has no device key", Map.of("field", "signer"));
    }
    if (authority == Authority.kra) {
      return KraCli.register(this, new KraCli.RegisterOptions(kraPin, kraBranch, kraTransport, kraTrackStock,
          kraConsumerKey, kraConsumerSecret, kraApigeeAppId, null, kraForce), serial, environment, url);
    }
    if (deviceId <= 0) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--device-id is required for --authority zimra",
          Map.of("field", "device-id"));
    }
    if (!"sandbox".equals(environment) && !"production".equals(environment)) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--env must be sandbox or production, got '"
          + environment + "'", Map.of("field", "env"));
    }
    String key = activationKey != null ? activationKey : config().secret(
        io.fiscald.agent.config.ConfigKeys.ZIMRA_ACTIVATION_KEY).map(Secret::revealUtf8).orElse(null);
    if (key == null || key.isBlank() || key.length() > 8) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "give the device's activation key (at most 8 characters) "
          + "with --activation-key, $FISCALD_ACTIVATION_KEY or zimra.activation-key-file", Map.of("field", "activation-key"));
    }
    String ca = null;
    if (caCert != null) {
      try {
        ca = Files.readString(caCert, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "cannot read " + caCert, Map.of("file", caCert.toString()));
      }
    }
    ZimraOnboarding.Registration r = ZimraOnboarding.register(dataDirectory(), env(),
        new ZimraOnboarding.Request(deviceId, serial, Secret.ofUtf8(key), environment, url, ca, keyAlgorithm,
            currency.toUpperCase(Locale.ROOT), timeZone, signer.setup(env())), Clock.systemUTC());
    ZimraConfig c = r.config();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("deviceId", r.device().deviceId());
    view.put("authority", r.device().authority());
    view.put("environment", r.device().environment());
    view.put("taxPayerName", c.taxPayerName());
    view.put("taxPayerTIN", c.taxPayerTin());
    view.put("vatNumber", c.vatNumber());
    view.put("branch", c.deviceBranchName());
    view.put("operatingMode", c.deviceOperatingMode());
    view.put("certificate", r.certificate());
    view.put("taxes", c.applicableTaxes().stream().map(t -> t.taxId() + " " + t.taxName()).toList());
    view.put("serverDayStatus", r.status().get("fiscalDayStatus"));
    view.put("lastFiscalDayNo", r.status().get("lastFiscalDayNo"));
    view.put("lastReceiptGlobalNo", r.status().get("lastReceiptGlobalNo"));
    view.put("dataDir", dataDirectory().root().toString());
    result(view, "Device " + r.device().deviceId() + " registered with ZIMRA FDMS (" + r.device().environment()
        + ") for " + c.taxPayerName() + " (TIN " + c.taxPayerTin() + ")" + (c.vatPayer() ? ", VAT " + c.vatNumber()
        : ", not a VAT payer") + ".\nBranch: " + c.deviceBranchName() + " - " + c.address().printable()
        + "\nCertificate: " + r.certificate().get("subject") + ", valid until " + r.certificate().get("notAfter")
        + "\nFDMS day status: " + r.status().get("fiscalDayStatus") + "\nNext: fiscalctl day open, then fiscalctl sync");
    return 0;
  }
}
