package io.fiscald.agent.authority.zimra;

import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.profile.AuthorityContext;
import io.fiscald.agent.profile.AuthorityProfile;
import io.fiscald.agent.profile.ReceiptHeader;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.agent.tax.TaxRate;
import io.fiscald.agent.tax.TaxRounding;
import io.fiscald.agent.tax.TaxTable;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZIMRA FDMS rules for the fiscal core: taxes from getConfig with their validity, per-group rounding,
 * the receipt device signature chained within the day, QR data and verification code, the fiscal day
 * counters and day signature at close, and the Receipt48 fiscal block. Settings and the getConfig answer
 * come from {@code authority_state}; the sync engine pushes a fresh getConfig with {@link #updateConfig}.
 *
 * <p>The connection given at construction is the fiscal core's writer connection: the profile reads it
 * (day opening times, originals of notes, the day's receipts) only from {@link #authorityFields} and
 * {@link #dayCloseFields}, which the core calls on its writer thread inside its transaction.
 */
public final class ZimraProfile implements AuthorityProfile {
  public static final String NAME = "zimra";
  private static final Logger log = LoggerFactory.getLogger(ZimraProfile.class);

  private final long deviceId;
  private final ZimraSettings settings;
  private final Connection connection;
  private final Clock clock;
  private final AtomicReference<ZimraConfig> config;
  private final AtomicReference<TaxCache> taxes = new AtomicReference<>();

  private record TaxCache(LocalDate day, ZimraConfig config, TaxTable table) {}

  public ZimraProfile(long deviceId, ZimraSettings settings, ZimraConfig config, Connection connection, Clock clock) {
    this.deviceId = deviceId;
    this.settings = settings;
    this.connection = connection;
    this.clock = clock;
    this.config = new AtomicReference<>(config);
  }

  /**
   * The profile of a registered ZIMRA device, reading its settings and last getConfig from {@code c}; a
   * device not registered yet gets a profile that refuses receipts with DEVICE_NOT_REGISTERED.
   *
   * @param c the fiscal core's writer connection, or null for a profile that only renders stored receipts
   */
  public static ZimraProfile forDevice(DeviceRecord device, Connection c, Clock clock) {
    long id = deviceIdOf(device);
    ZimraSettings s = c == null ? null : ZimraState.settings(c).orElse(null);
    ZimraConfig cfg = c == null ? null : ZimraState.config(c).orElse(null);
    return new ZimraProfile(id, s == null ? ZimraSettings.defaults(device.environment(), null, null) : s, cfg, c, clock);
  }

  /** ZIMRA device ids are integers (SPEC §4). */
  public static long deviceIdOf(DeviceRecord device) {
    try {
      return Long.parseLong(device.deviceId());
    } catch (NumberFormatException e) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "device id '" + device.deviceId()
          + "' is not a ZIMRA deviceID (an integer)", Map.of("deviceId", device.deviceId()));
    }
  }

  public long deviceId() {
    return deviceId;
  }

  public ZimraSettings settings() {
    return settings;
  }

  public Optional<ZimraConfig> config() {
    return Optional.ofNullable(config.get());
  }

  /** Takes a fresh getConfig answer (taxes, limits, taxpayer data) for the receipts that follow. */
  public void updateConfig(ZimraConfig fresh) {
    config.set(fresh);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The taxes of getConfig valid now; for a non-VAT taxpayer only exempt, zero-rated and non-VAT taxes
   * (ZIMRA RCPT021, checklist 9). Tax codes are the taxIDs, e.g. {@code "517"}.
   */
  @Override
  public TaxTable taxTable() {
    ZimraConfig cfg = requireConfig();
    LocalDateTime now = LocalDateTime.now(clock.withZone(settings.zone()));
    TaxCache cached = taxes.get();
    if (cached != null && cached.config == cfg && cached.day.equals(now.toLocalDate())) {
      return cached.table;
    }
    List<TaxRate> rates = new ArrayList<>();
    for (ZimraConfig.ApplicableTax t : cfg.taxesAt(now)) {
      if (!cfg.vatPayer() && !t.exempt() && t.taxPercent().signum() > 0
          && !t.taxName().toLowerCase(Locale.ROOT).contains("non-vat")) {
        continue;
      }
      rates.add(new TaxRate(Long.toString(t.taxId()), t.taxName(), t.exempt() ? BigDecimal.ZERO : t.taxPercent(),
          t.exempt()));
    }
    if (rates.isEmpty()) {
      throw new FiscalException(ErrorCode.DEVICE_NOT_REGISTERED, "getConfig lists no tax valid today; refresh it "
          + "(fiscalctl sync --once) or ask ZIMRA", Map.of("date", now.toLocalDate().toString()));
    }
    TaxTable table = new TaxTable(rates);
    taxes.set(new TaxCache(now.toLocalDate(), cfg, table));
    return table;
  }

  /** ZIMRA §7: tax per (taxID, percent) group on the group's sum, half-up. */
  @Override
  public TaxRounding taxRounding() {
    return TaxRounding.PER_GROUP;
  }

  /**
   * ZIMRA's invoiceNo must be unique per taxpayer (RCPT013), who may run several devices, so it carries
   * the deviceID: {@code 321-INV-000042}.
   */
  @Override
  public String receiptNumber(ReceiptType type, long invoiceNo) {
    return String.format("%d-%s-%06d", deviceId, type.numberPrefix(), invoiceNo);
  }

  @Override
  public Map<String, String> authorityFields(FiscalReceipt receipt, AuthorityContext context) {
    ZimraConfig cfg = requireConfig();
    Connection c = requireConnection();
    LocalDateTime local = ZimraReceipts.localTime(receipt.issuedAt(), settings.zone());
    checkVatStatus(c, receipt);
    checkDayLength(c, receipt, cfg);
    checkBuyer(receipt);
    checkLines(receipt, cfg, local);

    Map<String, String> f = new LinkedHashMap<>();
    String receiptDate = ZimraSignatures.RECEIPT_DATE.format(local);
    // ZIMRA §13.2.1: no previous hash on the day's first receipt; the chain runs through every receipt type
    String previousHash = context.previousReceiptOfDay()
        .filter(p -> p.dayNo() == receipt.dayNo())
        .map(p -> p.authorityFields().get(ZimraReceipts.HASH)).orElse(null);
    String string = ZimraSignatures.receiptString(deviceId, ZimraReceipts.receiptType(receipt.type()),
        receipt.currency(), receipt.globalNo(), receiptDate,
        ZimraReceipts.cents(receipt.sign() * receipt.totalMinor(), receipt.minorDigits()),
        ZimraReceipts.taxLines(receipt), previousHash);
    String signature = ZimraSignatures.signBase64(context.signer(), string, settings.ecdsaEncoding());
    String qrData = ZimraQr.qrData(signature, settings.qrDataSource());
    f.put(ZimraReceipts.RECEIPT_DATE, receiptDate);
    f.put(ZimraReceipts.HASH, ZimraSignatures.hashBase64(string));
    f.put(ZimraReceipts.SIGNATURE, signature);
    f.put(ZimraReceipts.QR_DATA, qrData);
    f.put(ZimraReceipts.VERIFICATION_CODE, ZimraQr.verificationCode(qrData));
    f.put(ZimraReceipts.QR_URL, ZimraQr.qrUrl(cfg.qrUrl() == null ? "" : cfg.qrUrl(), deviceId, local.toLocalDate(),
        receipt.globalNo(), qrData));
    f.put(ZimraReceipts.DEVICE_SERIAL, serial(cfg));
    ZimraTaxpayer.of(cfg).putInto(f); // printed from the receipt itself: a reprint ignores later getConfig changes
    if (receipt.type().isNote()) {
      FiscalReceipt original = original(c, receipt.originalNumber());
      f.put(ZimraReceipts.ORIGINAL_DEVICE_ID, Long.toString(deviceId));
      f.put(ZimraReceipts.ORIGINAL_GLOBAL_NO, Long.toString(original.globalNo()));
      f.put(ZimraReceipts.ORIGINAL_DAY_NO, Long.toString(original.dayNo()));
      f.put(ZimraReceipts.ORIGINAL_DATE, original.authorityFields().getOrDefault(ZimraReceipts.RECEIPT_DATE,
          original.issuedAt()));
      f.put(ZimraReceipts.ORIGINAL_INVOICE_NO, original.receiptNumber());
    }
    return f;
  }

  /**
   * The fiscal day counters and the fiscal day device signature (SPEC §13.3.1), computed from the day's
   * journalled receipts exactly as they were sent.
   */
  @Override
  public Map<String, String> dayCloseFields(DayReport z, AuthorityContext context) {
    Connection c = requireConnection();
    Map<String, ZimraCounter> totals = new LinkedHashMap<>();
    long lastCounter = 0;
    for (ReceiptRecord row : Receipts.byDay(c, z.dayNo())) {
      FiscalReceipt r = ReceiptCodec.receipt(row.body());
      ZimraReceipts.accumulate(totals, ZimraReceipts.counters(r));
      lastCounter = Math.max(lastCounter, r.dayCounter());
    }
    List<ZimraCounter> counters = ZimraSignatures.ordered(new ArrayList<>(totals.values()), settings.counterOrder());
    LocalDateTime opened = ZimraReceipts.localTime(z.openedAt(), settings.zone());
    String dayDate = ZimraSignatures.DAY_DATE.format(opened);
    String string = ZimraSignatures.dayString(deviceId, z.dayNo(), dayDate, counters, settings.counterOrder());
    Map<String, String> f = new LinkedHashMap<>();
    f.put(ZimraDays.FISCAL_DAY_NO, Long.toString(z.dayNo()));
    f.put(ZimraDays.FISCAL_DAY_DATE, dayDate);
    f.put(ZimraDays.FISCAL_DAY_OPENED, ZimraSignatures.RECEIPT_DATE.format(opened));
    f.put(ZimraDays.COUNTERS, CanonicalJson.write(ZimraDays.wireCounters(counters)));
    f.put(ZimraDays.HASH, ZimraSignatures.hashBase64(string));
    f.put(ZimraDays.SIGNATURE, ZimraSignatures.signBase64(context.signer(), string, settings.ecdsaEncoding()));
    f.put(ZimraDays.RECEIPT_COUNTER, Long.toString(lastCounter));
    return f;
  }

  @Override
  public Optional<String> outboxMessageType() {
    return Optional.of(ZimraSync.SUBMIT_RECEIPT);
  }

  /** The ZIMRA part of the printed receipt (SPEC §10.3 items 17–23, 45–48). */
  @Override
  public List<String> fiscalBlock(FiscalReceipt receipt, ReceiptSeal seal) {
    Map<String, String> f = receipt.authorityFields();
    List<String> out = new ArrayList<>();
    out.add("Invoice No: " + receipt.dayCounter() + "/" + receipt.globalNo());
    out.add("Fiscal day No: " + receipt.dayNo());
    out.add("Customer reference No: " + receipt.receiptNumber());
    out.add("Device Serial No: " + f.getOrDefault(ZimraReceipts.DEVICE_SERIAL, ""));
    out.add("Device ID: " + deviceId);
    out.add("Date: " + f.getOrDefault(ZimraReceipts.RECEIPT_DATE, receipt.issuedAt()).replace('T', ' '));
    out.add("Verification code: " + f.getOrDefault(ZimraReceipts.VERIFICATION_CODE, ""));
    out.add("You can verify this receipt manually at");
    String url = f.getOrDefault(ZimraReceipts.QR_URL, "");
    out.add(url.contains("/") ? url.substring(0, url.lastIndexOf('/') + 1) : url);
    return out;
  }

  /**
   * The Receipt48 header (SPEC §10.1–10.3, sheet §13): taxpayer name, TIN, VAT number, branch name (when it
   * differs), address and contacts from getConfig; the title by receipt type and VAT status; the BUYER block;
   * the CREDITED / DEBITED INVOICE block of a note; HS codes, the number of items, {@code Invoice total, CUR},
   * and the tax table for VAT payers only. Empty before getConfig was stored (the generic header is printed).
   */
  @Override
  public Optional<ReceiptHeader> header(FiscalReceipt receipt) {
    ZimraConfig cfg = config.get();
    Optional<ZimraTaxpayer> copied = ZimraTaxpayer.of(receipt.authorityFields());
    if (cfg == null && copied.isEmpty()) {
      return Optional.empty();
    }
    // the copy made at issue time wins; receipts issued before fiscald copied it print the stored getConfig
    ZimraTaxpayer t = copied.orElseGet(() -> ZimraTaxpayer.of(cfg));
    List<String> lines = new ArrayList<>();
    if (t.tin() != null) {
      lines.add("TIN: " + t.tin());
    }
    if (t.vatPayer()) {
      lines.add("VAT No: " + t.vatNumber());
    }
    if (t.branchName() != null && !t.branchName().isBlank()
        && !t.branchName().trim().equalsIgnoreCase(t.name().trim())) {
      lines.add(t.branchName());
    }
    if (t.address() != null && !t.address().isEmpty()) {
      lines.add(t.address());
    }
    if (t.email() != null && !t.email().isBlank()) {
      lines.add("Email: " + t.email());
    }
    if (t.phone() != null && !t.phone().isBlank()) {
      lines.add("Tel: " + t.phone());
    }
    String title = switch (receipt.type()) {
      case INVOICE -> t.vatPayer() ? "FISCAL TAX INVOICE" : "FISCAL INVOICE";
      case CREDIT_NOTE -> "CREDIT NOTE";
      case DEBIT_NOTE -> "DEBIT NOTE";
    };
    List<String> buyer = new ArrayList<>();
    if (receipt.buyer() != null) {
      buyer.add("BUYER");
      if (receipt.buyer().name() != null) {
        buyer.add("Name: " + receipt.buyer().name());
      }
      if (receipt.buyer().tin() != null) {
        buyer.add("TIN: " + receipt.buyer().tin());
      }
    }
    List<String> reference = new ArrayList<>();
    Map<String, String> f = receipt.authorityFields();
    if (receipt.type().isNote() && f.containsKey(ZimraReceipts.ORIGINAL_GLOBAL_NO)) {
      reference.add(receipt.type() == ReceiptType.CREDIT_NOTE ? "CREDITED INVOICE" : "DEBITED INVOICE");
      reference.add("Device Serial No: " + f.getOrDefault(ZimraReceipts.DEVICE_SERIAL, cfg == null ? "" : serial(cfg)));
      reference.add("Invoice No: " + f.get(ZimraReceipts.ORIGINAL_GLOBAL_NO));
      reference.add("Date: " + f.getOrDefault(ZimraReceipts.ORIGINAL_DATE, "").replace('T', ' '));
      reference.add("Customer reference No: " + f.getOrDefault(ZimraReceipts.ORIGINAL_INVOICE_NO,
          String.valueOf(receipt.originalNumber())));
    }
    return Optional.of(new ReceiptHeader(t.name(), lines, title, buyer, reference, true,
        "Invoice total, " + receipt.currency(), true, t.vatPayer()));
  }

  private ZimraConfig requireConfig() {
    ZimraConfig cfg = config.get();
    if (cfg == null) {
      throw new FiscalException(ErrorCode.DEVICE_NOT_REGISTERED, "device " + deviceId + " has no FDMS configuration "
          + "yet; finish registration (fiscalctl device register --authority zimra ...) or run fiscalctl sync --once",
          Map.of("deviceId", deviceId));
    }
    return cfg;
  }

  private Connection requireConnection() {
    if (connection == null) {
      throw new FiscalException(ErrorCode.INTERNAL, "this ZIMRA profile renders stored receipts only");
    }
    return connection;
  }

  private String serial(ZimraConfig cfg) {
    return cfg.deviceSerialNo() != null ? cfg.deviceSerialNo()
        : settings.deviceSerialNo() == null ? "" : settings.deviceSerialNo();
  }

  private void checkVatStatus(Connection c, FiscalReceipt r) {
    long blocked = ZimraState.vatBlockedDay(c);
    if (blocked > 0 && r.dayNo() <= blocked) {
      throw new FiscalException(ErrorCode.VAT_STATUS_CHANGED, "the taxpayer became a VAT payer during fiscal day "
          + blocked + "; close this day and open a new one before issuing receipts (ZIMRA §4.4)",
          Map.of("dayNo", blocked));
    }
  }

  /** ZIMRA checklist 4–5: refuse receipts past taxPayerDayMaxHrs, warn taxpayerDayEndNotificationHrs before. */
  private void checkDayLength(Connection c, FiscalReceipt r, ZimraConfig cfg) {
    Instant opened = FiscalDays.get(c, r.dayNo()).map(d -> Instant.parse(d.openedAt())).orElse(null);
    if (opened == null) {
      return;
    }
    Instant at = Instant.parse(r.issuedAt());
    ZimraDayLimit limit = ZimraDayLimit.of(opened, at, cfg);
    if (limit.expired()) {
      throw new FiscalException(ErrorCode.DAY_TOO_LONG, "fiscal day " + r.dayNo() + " has reached ZIMRA's limit of "
          + cfg.taxPayerDayMaxHrs() + " h; close it and open a new one (fiscalctl day close)",
          Map.of("dayNo", r.dayNo(), "taxPayerDayMaxHrs", cfg.taxPayerDayMaxHrs(), "zimraCode", "RCPT041"));
    }
    if (limit.warning()) {
      log.warn("fiscal day {} must be closed within {} min (ZIMRA taxPayerDayMaxHrs {} h)", r.dayNo(),
          limit.remaining().toMinutes(), cfg.taxPayerDayMaxHrs());
    }
  }

  /** ZIMRA RCPT043: buyer data, when sent, needs the registered name and a TIN of at most 10 characters. */
  private static void checkBuyer(FiscalReceipt r) {
    if (r.buyer() == null) {
      return;
    }
    if (r.buyer().name() == null || r.buyer().name().isBlank()) {
      throw refused("buyer.name", "ZIMRA needs the buyer's registered name whenever buyer data is sent", "RCPT043");
    }
    if (r.buyer().tin() == null || r.buyer().tin().isBlank() || r.buyer().tin().length() > 10) {
      throw refused("buyer.tin", "ZIMRA needs the buyer's TIN (at most 10 characters) whenever buyer data is sent",
          "RCPT043");
    }
  }

  /** HS codes (RCPT047/RCPT048) and taxes valid at the receipt's date (RCPT025). */
  private static void checkLines(FiscalReceipt r, ZimraConfig cfg, LocalDateTime at) {
    Map<String, FiscalReceipt.Tax> taxes = new LinkedHashMap<>();
    r.taxes().forEach(t -> taxes.put(t.code(), t));
    for (FiscalReceipt.Tax t : r.taxes()) {
      boolean valid = cfg.taxesAt(at).stream().anyMatch(a -> Long.toString(a.taxId()).equals(t.code())
          && (a.exempt() ? t.exempt() : !t.exempt() && a.taxPercent().compareTo(new BigDecimal(t.percent())) == 0));
      if (!valid) {
        throw new FiscalException(ErrorCode.UNKNOWN_TAX_CODE, "tax " + t.code() + " is not valid on " + at.toLocalDate()
            + " according to FDMS getConfig", Map.of("taxCode", t.code(), "zimraCode", "RCPT025"));
      }
    }
    for (FiscalReceipt.Line l : r.lines()) {
      String field = "lines[" + l.index() + "].hsCode";
      String hs = l.hsCode();
      FiscalReceipt.Tax tax = taxes.get(l.taxCode());
      boolean zeroOrExempt = tax == null || tax.exempt() || new BigDecimal(tax.percent()).signum() == 0;
      if (hs == null) {
        if (cfg.vatPayer()) {
          throw refused(field, "the taxpayer is a VAT payer, so every line needs an HS code (ZIMRA RCPT047)", "RCPT047");
        }
        continue;
      }
      boolean digits = hs.chars().allMatch(Character::isDigit);
      boolean eight = digits && hs.length() == 8;
      boolean ok = cfg.vatPayer() && zeroOrExempt ? eight : eight || digits && hs.length() == 4;
      if (!ok) {
        throw refused(field, field + " \"" + hs + "\" must be " + (cfg.vatPayer() && zeroOrExempt
            ? "8 digits (VAT payer, zero-rated or exempt line)" : "4 or 8 digits") + " (ZIMRA RCPT048)", "RCPT048");
      }
    }
  }

  private static FiscalReceipt original(Connection c, String number) {
    return Receipts.findByNumber(c, number).map(row -> ReceiptCodec.receipt(row.body())).orElseThrow(() ->
        new FiscalException(ErrorCode.ORIGINAL_NOT_FOUND, "original receipt " + number + " does not exist",
            Map.of("field", "original.receiptNumber", "zimraCode", "RCPT032")));
  }

  private static FiscalException refused(String field, String message, String zimraCode) {
    return new FiscalException(ErrorCode.INVALID_FIELD, message, Map.of("field", field, "zimraCode", zimraCode));
  }
}
