package io.fiscald.agent.authority.kra;

/** The eTIMS sales type (code class 14): what kind of document a receipt is besides sale or credit note. */
public enum SaleMode {
  NORMAL("N"),
  /** A reprint of a signed receipt: a local re-render, never a second KRA call (sheet §7). */
  COPY("C"),
  TRAINING("T"),
  PROFORMA("P");

  private final String salesTyCd;

  SaleMode(String salesTyCd) {
    this.salesTyCd = salesTyCd;
  }

  public String salesTyCd() {
    return salesTyCd;
  }

  /** Parses {@code normal|copy|training|proforma}, case-insensitive. */
  public static SaleMode parse(String text) {
    return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
