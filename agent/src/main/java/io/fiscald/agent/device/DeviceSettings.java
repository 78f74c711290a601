package io.fiscald.agent.device;

import io.fiscald.agent.tax.TaxRate;
import io.fiscald.agent.tax.TaxRounding;
import io.fiscald.agent.tax.TaxTable;
import java.util.List;
import java.util.Objects;

/**
 * What a device was set up with: the taxpayer data printed on every receipt, the tax table of the
 * local profile and the day-length limit. Stored as JSON in the devices row and journalled at init.
 *
 * @param maxDayHours a fiscal day older than this refuses new receipts until it is closed
 */
public record DeviceSettings(
    String taxpayerName,
    String taxpayerTin,
    String branchName,
    String branchAddress,
    String defaultCurrency,
    int maxDayHours,
    TaxRounding taxRounding,
    List<TaxRate> taxes) {

  public static final int DEFAULT_MAX_DAY_HOURS = 24;

  public DeviceSettings {
    Objects.requireNonNull(taxpayerName, "taxpayerName");
    Objects.requireNonNull(defaultCurrency, "defaultCurrency");
    Objects.requireNonNull(taxRounding, "taxRounding");
    if (maxDayHours < 1 || maxDayHours > 24 * 31) {
      throw new IllegalArgumentException("maxDayHours must be between 1 and 744, got " + maxDayHours);
    }
    taxes = List.copyOf(taxes);
    new TaxTable(taxes); // validates codes are unique
  }

  /** A shop in Kenya with the standard VAT bands, for a plain {@code fiscalctl init}. */
  public static DeviceSettings defaults() {
    return new DeviceSettings("Demo Shop Ltd", "P051234567X", "Main branch", "Moi Avenue, Nairobi",
        "KES", DEFAULT_MAX_DAY_HOURS, TaxRounding.PER_GROUP, TaxTable.kenyaDefault().rates());
  }

  public TaxTable taxTable() {
    return new TaxTable(taxes);
  }
}
