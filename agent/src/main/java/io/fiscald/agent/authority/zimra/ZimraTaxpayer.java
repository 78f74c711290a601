package io.fiscald.agent.authority.zimra;

import java.util.Map;
import java.util.Optional;

/**
 * The taxpayer and branch data a receipt prints (SPEC §10.1, checklist 3), copied from getConfig onto the
 * receipt's authority fields when it is issued, so a reprint shows what was true then, whatever getConfig
 * says later.
 *
 * @param vatNumber null when the taxpayer is not a VAT payer
 * @param address printable, houseNo, street, city, province
 */
public record ZimraTaxpayer(String name, String tin, String vatNumber, String branchName, String address,
    String email, String phone) {
  static final String NAME = "taxPayerName";
  static final String TIN = "taxPayerTIN";
  static final String VAT_NUMBER = "vatNumber";
  static final String BRANCH_NAME = "deviceBranchName";
  static final String ADDRESS = "deviceBranchAddress";
  static final String EMAIL = "deviceBranchEmail";
  static final String PHONE = "deviceBranchPhoneNo";

  public static ZimraTaxpayer of(ZimraConfig cfg) {
    return new ZimraTaxpayer(cfg.taxPayerName(), cfg.taxPayerTin(), cfg.vatPayer() ? cfg.vatNumber() : null,
        cfg.deviceBranchName(), cfg.address() == null ? null : cfg.address().printable(), cfg.email(), cfg.phoneNo());
  }

  /** The copy a receipt carries; empty for receipts issued before fiscald copied it. */
  public static Optional<ZimraTaxpayer> of(Map<String, String> fields) {
    if (!fields.containsKey(NAME)) {
      return Optional.empty();
    }
    return Optional.of(new ZimraTaxpayer(fields.get(NAME), fields.get(TIN), fields.get(VAT_NUMBER),
        fields.get(BRANCH_NAME), fields.get(ADDRESS), fields.get(EMAIL), fields.get(PHONE)));
  }

  /** Adds the non-empty fields to a receipt's authority fields. */
  void putInto(Map<String, String> fields) {
    put(fields, NAME, name);
    put(fields, TIN, tin);
    put(fields, VAT_NUMBER, vatNumber);
    put(fields, BRANCH_NAME, branchName);
    put(fields, ADDRESS, address);
    put(fields, EMAIL, email);
    put(fields, PHONE, phone);
  }

  public boolean vatPayer() {
    return vatNumber != null && !vatNumber.isBlank();
  }

  private static void put(Map<String, String> fields, String key, String value) {
    if (value != null && !value.isBlank()) {
      fields.put(key, value);
    }
  }
}
