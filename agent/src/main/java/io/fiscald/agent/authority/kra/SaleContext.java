package io.fiscald.agent.authority.kra;

import java.util.List;
import java.util.Objects;

/**
 * What a sale payload needs besides the receipt: who sends it, the eTIMS numbers allocated at transmit
 * time, the rates and codes read from the authority, and the registered item of each line.
 *
 * @param invcNo allocated at transmit time from the branch's counter (sheet §13)
 * @param orgInvcNo 0 for a sale; the original's {@code invcNo} for a credit note
 * @param items the registered item of each receipt line, in line order
 * @param rfdRsnCd credit-note reason (class 32); null for a sale
 */
public record SaleContext(
    String pin,
    String bhfId,
    long invcNo,
    long orgInvcNo,
    KraLabel label,
    KraRates rates,
    PriceMode priceMode,
    String pmtTyCd,
    List<KraItem> items,
    String rfdRsnCd,
    String tradeName,
    String address,
    String registrantId) {

  public SaleContext {
    Objects.requireNonNull(pin, "pin");
    Objects.requireNonNull(bhfId, "bhfId");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(rates, "rates");
    Objects.requireNonNull(priceMode, "priceMode");
    items = List.copyOf(items);
    if (invcNo < 1) {
      throw new IllegalArgumentException("invcNo starts at 1, got " + invcNo);
    }
  }
}
