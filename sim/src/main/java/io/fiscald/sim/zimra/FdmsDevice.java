package io.fiscald.sim.zimra;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A device as ZIMRA's portal knows it before and after registration: its ID, serial and activation key, the
 * taxpayer and branch data getConfig serves (sheet §4), its operating mode, tax list and registered model.
 *
 * <p>Build with {@link #builder(int, String, String)}; every field but the three identifiers has a test-environment
 * default. {@code vatNumber} null means the taxpayer is not a VAT payer. {@code deviceModelName} /
 * {@code deviceModelVersion} null mean "any model is accepted" (the headers must still be present).
 */
public record FdmsDevice(
    int deviceID,
    String deviceSerialNo,
    String activationKey,
    String taxPayerName,
    String taxPayerTIN,
    String vatNumber,
    String deviceBranchName,
    String province,
    String city,
    String street,
    String houseNo,
    String district,
    String phoneNo,
    String email,
    String operatingMode,
    List<FdmsTax> applicableTaxes,
    String deviceModelName,
    String deviceModelVersion,
    boolean deviceActive,
    boolean taxpayerActive,
    boolean modelBlacklisted) {

  /** Operating mode value for a normal, connected device (sheet §4). */
  public static final String ONLINE = "Online";
  /** Operating mode value for a device that reports by submitFile only (sheet §15). */
  public static final String OFFLINE = "Offline";

  public FdmsDevice {
    Objects.requireNonNull(deviceSerialNo, "deviceSerialNo");
    Objects.requireNonNull(activationKey, "activationKey");
    Objects.requireNonNull(operatingMode, "operatingMode");
    applicableTaxes = List.copyOf(applicableTaxes);
    if (!operatingMode.equals(ONLINE) && !operatingMode.equals(OFFLINE)) {
      throw new IllegalArgumentException("operatingMode must be Online or Offline, not " + operatingMode);
    }
  }

  /** True when the taxpayer has a VAT number. */
  public boolean vatPayer() {
    return vatNumber != null && !vatNumber.isBlank();
  }

  /** A builder pre-filled with these values, to change a few of them. */
  public Builder toBuilder() {
    Builder b = new Builder(deviceID, deviceSerialNo, activationKey);
    b.taxPayerName = taxPayerName;
    b.taxPayerTIN = taxPayerTIN;
    b.vatNumber = vatNumber;
    b.deviceBranchName = deviceBranchName;
    b.province = province;
    b.city = city;
    b.street = street;
    b.houseNo = houseNo;
    b.district = district;
    b.phoneNo = phoneNo;
    b.email = email;
    b.operatingMode = operatingMode;
    b.applicableTaxes = applicableTaxes;
    b.deviceModelName = deviceModelName;
    b.deviceModelVersion = deviceModelVersion;
    b.deviceActive = deviceActive;
    b.taxpayerActive = taxpayerActive;
    b.modelBlacklisted = modelBlacklisted;
    return b;
  }

  /** A builder for a device with these identifiers and test-environment defaults for the rest. */
  public static Builder builder(int deviceID, String deviceSerialNo, String activationKey) {
    return new Builder(deviceID, deviceSerialNo, activationKey);
  }

  /** Fluent builder of {@link FdmsDevice}. */
  public static final class Builder {
    private final int deviceID;
    private final String deviceSerialNo;
    private final String activationKey;
    private String taxPayerName = "Fiscald Test Traders (Pvt) Ltd";
    private String taxPayerTIN = "2000123456";
    private String vatNumber = "220012345";
    private String deviceBranchName = "Fiscald Test Traders Harare";
    private String province = "Harare";
    private String city = "Harare";
    private String street = "Samora Machel Avenue";
    private String houseNo = "12";
    private String district;
    private String phoneNo = "+263242700000";
    private String email = "till@fiscald.test";
    private String operatingMode = ONLINE;
    private List<FdmsTax> applicableTaxes = FdmsTax.testEnvironmentTaxes();
    private String deviceModelName;
    private String deviceModelVersion;
    private boolean deviceActive = true;
    private boolean taxpayerActive = true;
    private boolean modelBlacklisted;

    private Builder(int deviceID, String deviceSerialNo, String activationKey) {
      this.deviceID = deviceID;
      this.deviceSerialNo = deviceSerialNo;
      this.activationKey = activationKey;
    }

    public Builder taxPayerName(String v) { this.taxPayerName = v; return this; }
    public Builder taxPayerTIN(String v) { this.taxPayerTIN = v; return this; }
    /** Null for a taxpayer who is not a VAT payer. */
    public Builder vatNumber(String v) { this.vatNumber = v; return this; }
    public Builder deviceBranchName(String v) { this.deviceBranchName = v; return this; }
    public Builder address(String houseNo, String street, String city, String province) {
      this.houseNo = houseNo; this.street = street; this.city = city; this.province = province; return this;
    }
    public Builder district(String v) { this.district = v; return this; }
    /** Both null to leave deviceBranchContacts out of getConfig. */
    public Builder contacts(String phoneNo, String email) { this.phoneNo = phoneNo; this.email = email; return this; }
    public Builder operatingMode(String v) { this.operatingMode = v; return this; }
    public Builder applicableTaxes(List<FdmsTax> v) { this.applicableTaxes = v; return this; }
    /** The model the headers must name (sheet §1, DEV06); null accepts any. */
    public Builder model(String name, String version) {
      this.deviceModelName = name; this.deviceModelVersion = version; return this;
    }
    public Builder deviceActive(boolean v) { this.deviceActive = v; return this; }
    public Builder taxpayerActive(boolean v) { this.taxpayerActive = v; return this; }
    public Builder modelBlacklisted(boolean v) { this.modelBlacklisted = v; return this; }

    public FdmsDevice build() {
      return new FdmsDevice(deviceID, deviceSerialNo, activationKey, taxPayerName, taxPayerTIN, vatNumber,
          deviceBranchName, province, city, street, houseNo, district, phoneNo, email, operatingMode,
          applicableTaxes, deviceModelName, deviceModelVersion, deviceActive, taxpayerActive, modelBlacklisted);
    }
  }

  /** Activation keys are case-insensitive (sheet §3). */
  public boolean activationKeyMatches(String candidate) {
    return candidate != null && candidate.toUpperCase(Locale.ROOT).equals(activationKey.toUpperCase(Locale.ROOT));
  }
}
