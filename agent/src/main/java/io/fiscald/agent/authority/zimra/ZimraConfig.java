package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.store.CanonicalJson;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The getConfig answer (SPEC §4.4) as fiscald uses it: taxpayer and branch data printed on receipts,
 * the day limits, the taxes with their validity, the QR base URL. Never hard-coded; refreshed before
 * each day is opened.
 *
 * @param vatNumber null when the taxpayer is not a VAT payer
 * @param raw the answer as received, kept in {@code authority_state}
 */
public record ZimraConfig(
    String taxPayerName,
    String taxPayerTin,
    String vatNumber,
    String deviceSerialNo,
    String deviceBranchName,
    Address address,
    String phoneNo,
    String email,
    String deviceOperatingMode,
    int taxPayerDayMaxHrs,
    int taxpayerDayEndNotificationHrs,
    List<ApplicableTax> applicableTaxes,
    String certificateValidTill,
    String qrUrl,
    String raw) {

  /** deviceBranchAddress; printed houseNo, street, city, province (SPEC §10.1). */
  public record Address(String province, String city, String street, String houseNo, String district) {
    public String printable() {
      List<String> parts = new ArrayList<>();
      for (String p : new String[] {houseNo, street, city, province}) {
        if (p != null && !p.isBlank()) {
          parts.add(p);
        }
      }
      return String.join(", ", parts);
    }
  }

  /**
   * One of {@code applicableTaxes}: usable from {@code validFrom} to {@code validTill} (inclusive, null = open).
   *
   * @param taxPercent null for an exempt tax
   */
  public record ApplicableTax(long taxId, BigDecimal taxPercent, String taxName, LocalDateTime validFrom,
      LocalDateTime validTill) {
    public boolean validAt(LocalDateTime when) {
      return (validFrom == null || !when.isBefore(validFrom)) && (validTill == null || !when.isAfter(validTill));
    }

    public boolean exempt() {
      return taxPercent == null;
    }
  }

  public ZimraConfig {
    applicableTaxes = List.copyOf(applicableTaxes);
  }

  public boolean vatPayer() {
    return vatNumber != null && !vatNumber.isBlank();
  }

  public boolean offlineMode() {
    return "Offline".equalsIgnoreCase(deviceOperatingMode);
  }

  /** The taxes in force at {@code when} (local time). */
  public List<ApplicableTax> taxesAt(LocalDateTime when) {
    return applicableTaxes.stream().filter(t -> t.validAt(when)).toList();
  }

  /** Parses a getConfig answer; fields it does not use are ignored, missing mandatory ones refused. */
  public static ZimraConfig parse(String json) {
    JsonNode n = CanonicalJson.read(json);
    List<ApplicableTax> taxes = new ArrayList<>();
    for (JsonNode t : n.path("applicableTaxes")) {
      taxes.add(new ApplicableTax(t.path("taxID").asLong(),
          t.hasNonNull("taxPercent") ? t.get("taxPercent").decimalValue().stripTrailingZeros() : null,
          text(t, "taxName"), dateTime(text(t, "validFrom")), dateTime(text(t, "validTill"))));
    }
    JsonNode a = n.path("deviceBranchAddress");
    JsonNode contacts = n.path("deviceBranchContacts");
    if (text(n, "taxPayerName") == null || taxes.isEmpty()) {
      throw new FiscalException(ErrorCode.AUTHORITY_REFUSED, "the getConfig answer has no taxpayer name or no "
          + "applicable taxes; it cannot be used", Map.of("operationID", String.valueOf(text(n, "operationID"))));
    }
    return new ZimraConfig(text(n, "taxPayerName"), text(n, "taxPayerTIN"), text(n, "vatNumber"),
        text(n, "deviceSerialNo"), text(n, "deviceBranchName"),
        new Address(text(a, "province"), text(a, "city"), text(a, "street"), text(a, "houseNo"), text(a, "district")),
        text(contacts, "phoneNo"), text(contacts, "email"), text(n, "deviceOperatingMode"),
        n.path("taxPayerDayMaxHrs").asInt(24), n.path("taxpayerDayEndNotificationHrs").asInt(2), taxes,
        text(n, "certificateValidTill"), text(n, "qrUrl"), json);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** Accepts a date, a local date-time or one with an offset (the swagger does not say which). */
  static LocalDateTime dateTime(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    if (t.length() == 10) {
      return LocalDate.parse(t).atStartOfDay();
    }
    String upper = t.toUpperCase(Locale.ROOT);
    if (upper.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
      return OffsetDateTime.parse(t).toLocalDateTime();
    }
    return LocalDateTime.parse(t);
  }
}
