package io.fiscald.sim.zimra.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsTax;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** Writes and reads a device registration in the standalone state file. */
final class DeviceCodec {
  private DeviceCodec() { }

  static ObjectNode toJson(FdmsDevice d) {
    ObjectNode n = Json.object().put("deviceID", d.deviceID()).put("deviceSerialNo", d.deviceSerialNo())
        .put("activationKey", d.activationKey()).put("taxPayerName", d.taxPayerName())
        .put("taxPayerTIN", d.taxPayerTIN()).put("vatNumber", d.vatNumber())
        .put("deviceBranchName", d.deviceBranchName()).put("province", d.province()).put("city", d.city())
        .put("street", d.street()).put("houseNo", d.houseNo()).put("district", d.district())
        .put("phoneNo", d.phoneNo()).put("email", d.email()).put("operatingMode", d.operatingMode())
        .put("deviceModelName", d.deviceModelName()).put("deviceModelVersion", d.deviceModelVersion())
        .put("deviceActive", d.deviceActive()).put("taxpayerActive", d.taxpayerActive())
        .put("modelBlacklisted", d.modelBlacklisted());
    ArrayNode taxes = n.putArray("applicableTaxes");
    for (FdmsTax t : d.applicableTaxes()) {
      taxes.addObject().put("taxID", t.taxID()).put("taxPercent", t.taxPercent()).put("taxName", t.taxName())
          .put("validFrom", t.validFrom().toString())
          .put("validTill", t.validTill() == null ? null : t.validTill().toString()).put("vat", t.vat());
    }
    return n;
  }

  static FdmsDevice fromJson(JsonNode n) {
    List<FdmsTax> taxes = new ArrayList<>();
    for (JsonNode t : n.path("applicableTaxes")) {
      String till = Json.text(t, "validTill");
      taxes.add(new FdmsTax(t.path("taxID").asInt(), Json.decimal(t.get("taxPercent")), Json.text(t, "taxName"),
          LocalDateTime.parse(Json.text(t, "validFrom")), till == null ? null : LocalDateTime.parse(till),
          t.path("vat").asBoolean()));
    }
    return FdmsDevice.builder(n.path("deviceID").asInt(), Json.text(n, "deviceSerialNo"),
            Json.text(n, "activationKey"))
        .taxPayerName(Json.text(n, "taxPayerName")).taxPayerTIN(Json.text(n, "taxPayerTIN"))
        .vatNumber(Json.text(n, "vatNumber")).deviceBranchName(Json.text(n, "deviceBranchName"))
        .address(Json.text(n, "houseNo"), Json.text(n, "street"), Json.text(n, "city"), Json.text(n, "province"))
        .district(Json.text(n, "district")).contacts(Json.text(n, "phoneNo"), Json.text(n, "email"))
        .operatingMode(Json.text(n, "operatingMode")).applicableTaxes(taxes)
        .model(Json.text(n, "deviceModelName"), Json.text(n, "deviceModelVersion"))
        .deviceActive(n.path("deviceActive").asBoolean(true)).taxpayerActive(n.path("taxpayerActive").asBoolean(true))
        .modelBlacklisted(n.path("modelBlacklisted").asBoolean())
        .build();
  }
}
