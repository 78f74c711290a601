package io.fiscald.agent.authority.kra;

import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.profile.AuthorityContext;
import io.fiscald.agent.profile.AuthorityProfile;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.agent.receipt.ReceiptMode;
import io.fiscald.agent.receipt.ReceiptType;
import java.util.EnumSet;
import java.util.Set;
import io.fiscald.agent.tax.TaxRounding;
import io.fiscald.agent.tax.TaxTable;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import io.fiscald.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KRA eTIMS: bands A–E at the rates of code class 04, tax rounded per line (sheet §6.1), every receipt
 * queued for {@code saveTrnsSalesOsdc}. OSCU signs only online, so a receipt is answered once journalled
 * and its SCU block arrives later ({@link KraSync}); until then it prints a provisional block.
 *
 * <p>On the fiscal core's writer connection it reads the rates of the cached code list (class 04) and the
 * device's price mode, and checks credit notes against their originals (sheet §15.1) before they are
 * journalled; without one (rendering only) it falls back to the rates read at registration.
 */
public final class KraProfile implements AuthorityProfile {
  public static final String NAME = "kra";
  /** The outbox message type of a sale or credit note. */
  public static final String MESSAGE_TYPE = "saveTrnsSalesOsdc";
  /** Authority field: the label (NS, NC) the receipt was issued under. */
  public static final String LABEL_FIELD = "etimsLabel";

  private volatile TaxTable taxTable;
  private volatile PriceMode priceMode = PriceMode.INCLUSIVE;
  private final Connection writer;

  public KraProfile(DeviceSettings settings) {
    this(settings, null);
  }

  private KraProfile(DeviceSettings settings, Connection writer) {
    this.taxTable = settings.taxTable();
    this.writer = writer;
  }

  /** The profile of a KRA device; {@code writer} may be null when only stored receipts are rendered. */
  public static KraProfile forDevice(DeviceSettings settings, Connection writer) {
    KraProfile profile = new KraProfile(settings, writer);
    if (writer != null) {
      KraState.config(writer).ifPresent(config -> {
        profile.usePriceMode(config.prices());
        try {
          profile.useRates(KraState.rates(writer, config));
        } catch (FiscalException e) {
          // No complete class 04 cached: keep the rates read at registration.
        }
      });
    }
    return profile;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TaxTable taxTable() {
    return taxTable;
  }

  /** Charges the rates the authority now publishes (code class 04). */
  public void useRates(KraRates rates) {
    this.taxTable = rates.toTaxTable();
  }

  public void usePriceMode(PriceMode mode) {
    this.priceMode = mode;
  }

  @Override
  public TaxRounding taxRounding() {
    return TaxRounding.PER_LINE;
  }

  /** Our own number, sent as {@code trdInvcNo}; eTIMS's {@code invcNo} is allocated at transmit time (sheet §13). */
  @Override
  public String receiptNumber(ReceiptType type, long invoiceNo) {
    return String.format("%s-%06d", type.numberPrefix(), invoiceNo);
  }

  /** Refuses what eTIMS cannot take before it is journalled; records the label. */
  @Override
  public Map<String, String> authorityFields(FiscalReceipt receipt, AuthorityContext context) {
    SalePayloadBuilder.checkShape(receipt, priceMode);
    if (writer != null && receipt.type() == ReceiptType.CREDIT_NOTE) {
      checkCreditNote(receipt);
    }
    return Map.of(LABEL_FIELD, KraLabel.of(saleMode(receipt.receiptMode()), receipt.type() == ReceiptType.CREDIT_NOTE)
        .name());
  }

  /** The eTIMS sales type of a requested mode (code class 14). */
  static SaleMode saleMode(ReceiptMode mode) {
    return switch (mode) {
      case NORMAL -> SaleMode.NORMAL;
      case TRAINING -> SaleMode.TRAINING;
      case PROFORMA -> SaleMode.PROFORMA;
    };
  }

  /** TS, TC and PS documents besides normal receipts (sheet §7). */
  @Override
  public Set<ReceiptMode> receiptModes() {
    return EnumSet.allOf(ReceiptMode.class);
  }

  /**
   * Only normal receipts go to eTIMS. Training and proforma documents are local: KRA receives normal sales
   * ({@code salesTyCd N} is the only one confirmed live, sheet §5.1), so they consume no {@code invcNo} and
   * have no SCU block; they are journalled and print watermarked with their label.
   */
  @Override
  public Optional<String> outboxMessageType(FiscalReceipt receipt) {
    return receipt.receiptMode() == ReceiptMode.NORMAL ? outboxMessageType() : Optional.empty();
  }

  /** Sheet §15.1 at issue time, so the POS hears of a bad credit note at once and nothing is journalled. */
  private void checkCreditNote(FiscalReceipt note) {
    Optional<ReceiptRecord> original = Receipts.findByNumber(writer, note.originalNumber());
    if (original.isEmpty()) {
      return; // the core refuses it with ORIGINAL_NOT_FOUND
    }
    FiscalReceipt org = CanonicalJson.mapper().convertValue(CanonicalJson.read(original.get().body()),
        FiscalReceipt.class);
    if (org.type() != ReceiptType.INVOICE) {
      return;
    }
    List<FiscalReceipt> earlier = new ArrayList<>();
    String sql = "SELECT body FROM receipts WHERE original_number = ? AND type = 'CREDIT_NOTE' ORDER BY id";
    try (PreparedStatement ps = writer.prepareStatement(sql)) {
      ps.setString(1, note.originalNumber());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          earlier.add(CanonicalJson.mapper().convertValue(CanonicalJson.read(rs.getString(1)), FiscalReceipt.class));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the credit notes of " + note.originalNumber() + ": " + e.getMessage(), e);
    }
    KraCreditNotes.check(note, org, earlier);
  }

  @Override
  public Optional<String> outboxMessageType() {
    return Optional.of(MESSAGE_TYPE);
  }

  /** The block printed before the control unit has signed: no SCU data yet, so not a fiscal receipt (sheet §15.2). */
  @Override
  public List<String> fiscalBlock(FiscalReceipt receipt, ReceiptSeal seal) {
    String scu = receipt.receiptMode() == ReceiptMode.NORMAL ? "PENDING: awaiting the KRA control unit's signature"
        : "NOT SENT TO KRA: " + receipt.receiptMode().name().toLowerCase(java.util.Locale.ROOT) + " document ("
            + KraLabel.ofReceipt(receipt) + "), never signed";
    return List.of("SCU INFORMATION", scu,
        KraLabel.WATERMARK, "TIS INFORMATION", "Invoice Number: " + receipt.receiptNumber(),
        "Journal seq: " + seal.journalSeq() + "  Verification: " + seal.verificationCode());
  }
}
