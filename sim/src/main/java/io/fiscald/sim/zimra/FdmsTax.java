package io.fiscald.sim.zimra;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One entry of getConfig {@code applicableTaxes} (sheet §4): a tax the device may use between {@code validFrom} and
 * {@code validTill}; {@code taxPercent} null means exempt; {@code vat} marks a VAT tax (checked by RCPT021, never sent).
 */
public record FdmsTax(int taxID, BigDecimal taxPercent, String taxName, LocalDateTime validFrom,
    LocalDateTime validTill, boolean vat) {

  public FdmsTax {
    Objects.requireNonNull(taxName, "taxName");
    Objects.requireNonNull(validFrom, "validFrom");
  }

  /** True when the tax applies at {@code when} (validFrom inclusive, validTill inclusive). */
  public boolean validAt(LocalDateTime when) {
    return !when.isBefore(validFrom) && (validTill == null || !when.isAfter(validTill));
  }

  /**
   * The ZIMRA test environment's taxes (sheet §4, community): 1 Exempt, 2 Zero rated 0%, 514 Non-VAT Withholding
   * Tax 5%, 517 Standard rated 15.5% from 2025-12-15, plus 3 Standard rated 15% until 2025-12-14.
   */
  public static List<FdmsTax> testEnvironmentTaxes() {
    LocalDateTime epoch = LocalDateTime.of(2023, 1, 1, 0, 0);
    return List.of(
        new FdmsTax(1, null, "Exempt", epoch, null, false),
        new FdmsTax(2, new BigDecimal("0"), "Zero rated 0%", epoch, null, false),
        new FdmsTax(3, new BigDecimal("15"), "Standard rated 15%", epoch,
            LocalDateTime.of(2025, 12, 14, 23, 59, 59), true),
        new FdmsTax(514, new BigDecimal("5"), "Non-VAT Withholding Tax", epoch, null, false),
        new FdmsTax(517, new BigDecimal("15.5"), "Standard rated 15.5%", LocalDateTime.of(2025, 12, 15, 0, 0),
            null, true));
  }
}
