package io.fiscald.agent.profile;

import java.util.List;

/**
 * The top of a printed receipt as an authority prescribes it, replacing the generic header taken from the
 * device settings (e.g. ZIMRA's Receipt48 layout: taxpayer and branch data from getConfig, the receipt type
 * title, the buyer block, the credited/debited invoice). Profiles without such rules print the generic layout.
 *
 * @param name the first line, printed bold and centred (the taxpayer's legal name)
 * @param lines centred lines under the name (TIN, VAT number, branch, address, contacts)
 * @param title the receipt's title, e.g. {@code FISCAL TAX INVOICE}
 * @param buyer the buyer block (its label first), empty when no buyer data was sent
 * @param reference the referenced-original block of a note (its label first), empty otherwise
 * @param hsCodes print each line's HS code
 * @param totalLabel the label of the total, e.g. {@code Invoice total, USD}
 * @param itemCount print the number of items (Σ quantities of the lines)
 * @param taxTable print the per-tax table (not for a non-VAT taxpayer)
 */
public record ReceiptHeader(
    String name,
    List<String> lines,
    String title,
    List<String> buyer,
    List<String> reference,
    boolean hsCodes,
    String totalLabel,
    boolean itemCount,
    boolean taxTable) {

  public ReceiptHeader {
    lines = List.copyOf(lines);
    buyer = List.copyOf(buyer);
    reference = List.copyOf(reference);
  }
}
