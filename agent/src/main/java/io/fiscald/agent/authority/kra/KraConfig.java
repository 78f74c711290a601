package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fiscald.agent.authority.kra.client.EtimsTransport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * How this device talks to eTIMS and prints for it: every item the sheet says must be configurable
 * (§18), with the sheet's recommended choice as default. Stored as JSON in {@code authority_state}
 * ({@code kra}/{@code config}); holds no secret.
 *
 * @param transport oscu (legacy host), oscu-gateway (Apigee) or vscu (trader-side VSCU)
 * @param baseUrl the transport's base; default per environment where the sheet knows one
 * @param tokenUrl OAuth token URL of the gateway
 * @param credentialPlacement where tin/bhfId/cmcKey go: headers-and-body (default, §1.3), headers or body
 * @param priceMode inclusive (default, §6.1) or exclusive (ODOO)
 * @param cuInvoiceNoFormat {@code sdcId/curRcptNo} (default, §11) or {@code sdcId/invcNo} (ODOO)
 * @param printUsedBandsOnly print only used bands (TIS §6.21) instead of all five (default, §11)
 * @param qrFormat url (default, §12)
 * @param trackStock send insertStockIO / saveStockMaster after sales of goods (§14)
 * @param openingStockQty stocked in (adjustment) for a goods item with no stock before its first sale
 * @param signatureWaitMillis how long an OSCU receipt waits for the SCU signature before it is answered without it
 *     (0: answer at once; absent: 3000)
 * @param provisionalSlip print a slip marked provisional (not a tax invoice) at commit, then the receipt once signed
 * @param paths overrides of the transport's path table (endpoint name → path)
 * @param paymentCodes overrides of the tender → class-07 mapping
 * @param rateOverrides overrides of band rates read from class 04
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KraConfig(
    String pin,
    String bhfId,
    String deviceSerial,
    String environment,
    String transport,
    String baseUrl,
    String tokenUrl,
    String credentialPlacement,
    String priceMode,
    String cuInvoiceNoFormat,
    boolean printUsedBandsOnly,
    String qrFormat,
    boolean trackStock,
    BigDecimal openingStockQty,
    String originCountry,
    String defaultItemType,
    String defaultPackagingUnit,
    String defaultQuantityUnit,
    String defaultItemClass,
    String defaultRefundReason,
    int initTimeoutSeconds,
    int callTimeoutSeconds,
    Integer signatureWaitMillis,
    boolean provisionalSlip,
    String codeRefreshTime,
    String registrantId,
    Map<String, String> paths,
    Map<String, String> paymentCodes,
    Map<String, BigDecimal> rateOverrides) {

  public static final String CU_NO_RECEIPT = "sdcId/curRcptNo";
  public static final String CU_NO_INVOICE = "sdcId/invcNo";

  public KraConfig {
    if (pin == null || !pin.matches("[A-Z0-9]{11}")) {
      throw invalid("--pin must be the 11-character KRA PIN (e.g. P051234567X), got '" + pin + "'");
    }
    bhfId = bhfId == null ? "00" : bhfId;
    if (!bhfId.matches("\\d{2}")) {
      throw invalid("--branch must be the 2-digit branch id (00 = head office), got '" + bhfId + "'");
    }
    if (deviceSerial == null || deviceSerial.isBlank() || deviceSerial.length() > 100) {
      throw invalid("--serial must be the device serial declared on the eTIMS portal (1 to 100 characters)");
    }
    environment = environment == null ? "sandbox" : environment;
    transport = transport == null ? EtimsTransport.OSCU.wireName() : transport;
    EtimsTransport kind = EtimsTransport.parse(transport);
    baseUrl = baseUrl == null ? kind.defaultBaseUrl(environment) : baseUrl;
    if (baseUrl == null) {
      throw invalid("transport " + transport + " has no known base URL in " + environment + "; give it with --url");
    }
    tokenUrl = tokenUrl == null && kind == EtimsTransport.OSCU_GATEWAY ? kind.defaultTokenUrl(environment) : tokenUrl;
    credentialPlacement = credentialPlacement == null ? "headers-and-body" : credentialPlacement;
    if (!credentialPlacement.matches("headers-and-body|headers|body")) {
      throw invalid("credentialPlacement must be headers-and-body, headers or body, got '" + credentialPlacement + "'");
    }
    priceMode = priceMode == null ? "inclusive" : priceMode;
    PriceMode.valueOf(priceMode.toUpperCase(java.util.Locale.ROOT));
    cuInvoiceNoFormat = cuInvoiceNoFormat == null ? CU_NO_RECEIPT : cuInvoiceNoFormat;
    if (!cuInvoiceNoFormat.equals(CU_NO_RECEIPT) && !cuInvoiceNoFormat.equals(CU_NO_INVOICE)) {
      throw invalid("cuInvoiceNoFormat must be " + CU_NO_RECEIPT + " or " + CU_NO_INVOICE);
    }
    qrFormat = qrFormat == null ? "url" : qrFormat;
    openingStockQty = openingStockQty == null ? BigDecimal.valueOf(1000) : openingStockQty;
    originCountry = originCountry == null ? "KE" : originCountry;
    defaultItemType = defaultItemType == null ? "2" : defaultItemType;
    defaultPackagingUnit = defaultPackagingUnit == null ? "NT" : defaultPackagingUnit;
    defaultQuantityUnit = defaultQuantityUnit == null ? "NO" : defaultQuantityUnit;
    defaultItemClass = defaultItemClass == null ? "99000000" : defaultItemClass;
    defaultRefundReason = defaultRefundReason == null ? "06" : defaultRefundReason;
    initTimeoutSeconds = initTimeoutSeconds <= 0 ? 30 : initTimeoutSeconds;
    callTimeoutSeconds = callTimeoutSeconds <= 0 ? 120 : callTimeoutSeconds;
    // 0 is a choice (answer at once, never wait); only an absent setting takes the default.
    signatureWaitMillis = signatureWaitMillis == null ? 3000 : signatureWaitMillis;
    if (signatureWaitMillis < 0 || signatureWaitMillis > 60_000) {
      throw invalid("signatureWaitMillis must be 0 (do not wait) to 60000, got " + signatureWaitMillis);
    }
    codeRefreshTime = codeRefreshTime == null ? "02:00" : codeRefreshTime;
    registrantId = registrantId == null ? "fiscald" : registrantId;
    paths = paths == null ? Map.of() : Map.copyOf(paths);
    paymentCodes = paymentCodes == null ? Map.of() : Map.copyOf(paymentCodes);
    rateOverrides = rateOverrides == null ? Map.of() : Map.copyOf(rateOverrides);
  }

  /** The minimum a technician gives at registration; everything else takes the sheet's recommendation. */
  public static KraConfig of(String pin, String bhfId, String serial, String environment, String transport,
      String baseUrl) {
    return new KraConfig(pin, bhfId, serial, environment, transport, baseUrl, null, null, null, null, false, null,
        false, null, null, null, null, null, null, null, 0, 0, null, false, null, null, null, null, null);
  }

  public EtimsTransport transportKind() {
    return EtimsTransport.parse(transport);
  }

  public PriceMode prices() {
    return PriceMode.valueOf(priceMode.toUpperCase(java.util.Locale.ROOT));
  }

  /** A copy with another base URL (a simulator, a VSCU on another port). */
  public KraConfig withBaseUrl(String url) {
    return new KraConfig(pin, bhfId, deviceSerial, environment, transport, url, tokenUrl, credentialPlacement,
        priceMode, cuInvoiceNoFormat, printUsedBandsOnly, qrFormat, trackStock, openingStockQty, originCountry, defaultItemType,
        defaultPackagingUnit, defaultQuantityUnit, defaultItemClass, defaultRefundReason, initTimeoutSeconds,
        callTimeoutSeconds, signatureWaitMillis, provisionalSlip, codeRefreshTime, registrantId, paths, paymentCodes,
        rateOverrides);
  }

  /** A copy with stock tracking switched on or off. */
  public KraConfig withTrackStock(boolean track) {
    return new KraConfig(pin, bhfId, deviceSerial, environment, transport, baseUrl, tokenUrl, credentialPlacement,
        priceMode, cuInvoiceNoFormat, printUsedBandsOnly, qrFormat, track, openingStockQty, originCountry, defaultItemType,
        defaultPackagingUnit, defaultQuantityUnit, defaultItemClass, defaultRefundReason, initTimeoutSeconds,
        callTimeoutSeconds, signatureWaitMillis, provisionalSlip, codeRefreshTime, registrantId, paths, paymentCodes,
        rateOverrides);
  }

  /** A copy with a different gateway token URL. */
  public KraConfig withTokenUrl(String url) {
    return new KraConfig(pin, bhfId, deviceSerial, environment, transport, baseUrl, url, credentialPlacement,
        priceMode, cuInvoiceNoFormat, printUsedBandsOnly, qrFormat, trackStock, openingStockQty, originCountry, defaultItemType,
        defaultPackagingUnit, defaultQuantityUnit, defaultItemClass, defaultRefundReason, initTimeoutSeconds,
        callTimeoutSeconds, signatureWaitMillis, provisionalSlip, codeRefreshTime, registrantId, paths, paymentCodes,
        rateOverrides);
  }

  /**
   * A copy with some settings changed by name, e.g. {@code callTimeoutSeconds → 2}; unknown names are refused.
   */
  public KraConfig with(Map<String, ?> changes) {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode tree = json.valueToTree(this);
    for (Map.Entry<String, ?> e : changes.entrySet()) {
      if (!tree.has(e.getKey())) {
        throw invalid("no KRA setting named '" + e.getKey() + "'");
      }
      tree.set(e.getKey(), json.valueToTree(e.getValue()));
    }
    try {
      return json.treeToValue(tree, KraConfig.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw invalid("bad KRA setting: " + e.getMessage());
    }
  }

  /** The QR/verification host of the environment (sheet §12). */
  public String verificationBase() {
    return "production".equals(environment) ? "https://etims.kra.go.ke" : "https://etims-sbx.kra.go.ke";
  }

  private static FiscalException invalid(String message) {
    return new FiscalException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
