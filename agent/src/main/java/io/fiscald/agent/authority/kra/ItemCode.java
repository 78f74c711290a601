package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An eTIMS item code: {@code orgnNatCd(2) + itemTyCd(1) + pkgUnitCd(2) + qtyUnitCd(2) + seq(7)}, e.g.
 * {@code KE2NTBA0000012} (sheet §3). Units must be exactly 2 characters: KRA cross-checks them.
 */
public record ItemCode(String originCountry, String itemType, String packagingUnit, String quantityUnit, long sequence) {
  private static final Pattern FORMAT = Pattern.compile("([A-Z]{2})([123])([A-Z0-9]{2})([A-Z0-9]{2})(\\d{7})");
  public static final long MAX_SEQUENCE = 9_999_999L;

  public ItemCode {
    if (originCountry == null || !originCountry.matches("[A-Z]{2}")) {
      throw invalid("orgnNatCd must be a 2-letter country code such as KE, got '" + originCountry + "'");
    }
    if (itemType == null || !itemType.matches("[123]")) {
      throw invalid("itemTyCd must be 1 (raw material), 2 (finished product) or 3 (service), got '" + itemType + "'");
    }
    // Sheet §3: 1- or 3-character units are refused live ("Incorrect QtyUnitCd Prefix").
    if (packagingUnit == null || !packagingUnit.matches("[A-Z0-9]{2}")) {
      throw invalid("pkgUnitCd must be exactly 2 characters (e.g. NT, BA, CT), got '" + packagingUnit
          + "'; KRA rejects: The ItemCd isn't made up of correct PkgUnitCd");
    }
    if (quantityUnit == null || !quantityUnit.matches("[A-Z0-9]{2}")) {
      throw invalid("qtyUnitCd must be exactly 2 characters (e.g. NO, KG), got '" + quantityUnit
          + "'; KRA rejects: The ItemCd isn't made up of correct QtyUnitCd");
    }
    if (sequence < 1 || sequence > MAX_SEQUENCE) {
      throw invalid("item sequence must be 1 to " + MAX_SEQUENCE + ", got " + sequence);
    }
  }

  /** Reads a 14-character code back into its parts. */
  public static ItemCode parse(String code) {
    Matcher m = FORMAT.matcher(code == null ? "" : code);
    if (!m.matches()) {
      throw invalid("'" + code + "' is not an eTIMS item code (country 2, type 1, packaging 2, quantity 2, sequence 7)");
    }
    return new ItemCode(m.group(1), m.group(2), m.group(3), m.group(4), Long.parseLong(m.group(5)));
  }

  /** The code as sent in {@code itemCd}. */
  public String code() {
    return originCountry + itemType + packagingUnit + quantityUnit + String.format("%07d", sequence);
  }

  @Override
  public String toString() {
    return code();
  }

  private static FiscalException invalid(String message) {
    return new FiscalException(ErrorCode.INVALID_ARGUMENT, message, Map.of("field", "itemCd"));
  }
}
