package io.fiscald.agent.profile;

import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.ReceiptMode;
import io.fiscald.agent.receipt.ReceiptType;
import java.util.EnumSet;
import java.util.Set;
import io.fiscald.agent.tax.TaxRounding;
import io.fiscald.agent.tax.TaxTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of one tax authority that the fiscal core applies without knowing the authority by name:
 * tax table and rounding, numbering, the fields the authority adds to a receipt (signatures, codes),
 * what goes to its outbox, and the printed fiscal block. Implementations are immutable and
 * thread-safe; the core calls them on its single writer thread.
 */
public interface AuthorityProfile {

  /** Short stable name stored with the device: {@code local}, {@code zimra}, {@code kra}. */
  String name();

  /** The taxes in force now. */
  TaxTable taxTable();

  TaxRounding taxRounding();

  /** The receipt number the POS and buyer see, unique on the device, e.g. {@code INV-000042}. */
  String receiptNumber(ReceiptType type, long invoiceNo);

  /**
   * Fields this authority adds to the receipt before it is journalled (e.g. ZIMRA's device signature
   * over its signature string); the receipt passed in has none yet.
   */
  Map<String, String> authorityFields(FiscalReceipt receipt, AuthorityContext context);

  /**
   * Fields this authority adds to the day's Z report when the day closes (e.g. ZIMRA's fiscal day
   * device signature over its counters); journalled with the close. Empty by default.
   */
  default Map<String, String> dayCloseFields(DayReport z, AuthorityContext context) {
    return Map.of();
  }

  /** The outbox message type for each receipt, or empty when there is no authority to submit to. */
  Optional<String> outboxMessageType();

  /** The outbox message type for {@code receipt}, or empty when it is not submitted (default: as for all). */
  default Optional<String> outboxMessageType(FiscalReceipt receipt) {
    return outboxMessageType();
  }

  /** The documents besides NORMAL receipts this authority knows (KRA: training, proforma); default none. */
  default Set<ReceiptMode> receiptModes() {
    return EnumSet.of(ReceiptMode.NORMAL);
  }

  /** The fiscal block printed under the totals: verification code, signature, authority data. */
  List<String> fiscalBlock(FiscalReceipt receipt, ReceiptSeal seal);

  /**
   * The authority's own receipt header and layout rules, or empty (the default) for the generic header
   * from the device settings.
   */
  default Optional<ReceiptHeader> header(FiscalReceipt receipt) {
    return Optional.empty();
  }
}
