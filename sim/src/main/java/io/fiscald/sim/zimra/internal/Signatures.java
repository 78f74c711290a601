package io.fiscald.sim.zimra.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.sim.zimra.FdmsSimulator.EcdsaEncoding;
import io.fiscald.sim.zimra.FiscalCounterOrder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The signature strings of the ZIMRA sheet, rebuilt independently of the agent: the receipt device signature (§8),
 * the FDMS receipt signature (§10.1), the fiscal-day device signature (§10.2) and the fiscal-day FDMS signature
 * (§10.3); plus SHA-256 and signature verification.
 */
public final class Signatures {

  private Signatures() { }

  /** A receipt tax line as it enters the §8 string. */
  public record TaxLine(int taxID, String taxCode, BigDecimal taxPercent, BigDecimal taxAmount,
      BigDecimal salesAmountWithTax) { }

  /** A fiscal counter as it enters the §10.2 string (taxPercent null = exempt; moneyType null for byTax). */
  public record Counter(String type, String currency, Integer taxID, BigDecimal taxPercent, String moneyType,
      BigDecimal value) { }

  /** Counter types by enum index (sheet §10.2). */
  public static final List<String> COUNTER_TYPES = List.of("SaleByTax", "SaleTaxByTax", "CreditNoteByTax",
      "CreditNoteTaxByTax", "DebitNoteByTax", "DebitNoteTaxByTax", "BalanceByMoneyType", "PayoutByTax",
      "PayoutTaxByTax");

  /** Money types by enum index (SWAGGER MoneyType). */
  public static final List<String> MONEY_TYPES = List.of("Cash", "Card", "MobileWallet", "Coupon", "Credit",
      "BankTransfer", "Other");

  /** Integer cents with the sign kept, HALF_UP (§8 rule 6). */
  public static String cents(BigDecimal amount) {
    return amount.movePointRight(2).setScale(0, RoundingMode.HALF_UP).toPlainString();
  }

  /** Percent with two decimals and a dot; exempt (null) is the empty string (§8). */
  public static String percent(BigDecimal p) {
    return p == null ? "" : p.setScale(2, RoundingMode.HALF_UP).toPlainString();
  }

  /**
   * The §8 receipt device signature string: deviceID ‖ RECEIPTTYPE ‖ CURRENCY ‖ receiptGlobalNo ‖ receiptDate ‖
   * total cents ‖ tax lines (sorted by taxID then taxCode, empty first) ‖ previous hash (null on the day's first).
   */
  public static String receiptString(int deviceID, String receiptType, String currency, long receiptGlobalNo,
      String receiptDate, BigDecimal receiptTotal, List<TaxLine> taxes, String previousReceiptHash) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(deviceID).append(receiptType.toUpperCase(Locale.ROOT)).append(currency.toUpperCase(Locale.ROOT))
        .append(receiptGlobalNo).append(receiptDate).append(cents(receiptTotal));
    List<TaxLine> sorted = new ArrayList<>(taxes);
    sorted.sort(Comparator.comparingInt(TaxLine::taxID)
        .thenComparing(t -> t.taxCode() == null ? "" : t.taxCode()));
    for (TaxLine t : sorted) {
      sb.append(t.taxCode() == null ? "" : t.taxCode()).append(percent(t.taxPercent()))
          .append(cents(t.taxAmount())).append(cents(t.salesAmountWithTax()));
    }
    if (previousReceiptHash != null) {
      sb.append(previousReceiptHash);
    }
    return sb.toString();
  }

  /** The §8 string of a receipt in the gateway's Receipt JSON shape. */
  public static String receiptString(int deviceID, JsonNode receipt, String previousReceiptHash) {
    List<TaxLine> taxes = new ArrayList<>();
    for (JsonNode t : receipt.path("receiptTaxes")) {
      taxes.add(new TaxLine(t.path("taxID").asInt(), text(t.get("taxCode")), Json.decimal(t.get("taxPercent")),
          Json.decimalOrZero(t.get("taxAmount")), Json.decimalOrZero(t.get("salesAmountWithTax"))));
    }
    return receiptString(deviceID, receipt.path("receiptType").asText(), receipt.path("receiptCurrency").asText(),
        receipt.path("receiptGlobalNo").asLong(), receipt.path("receiptDate").asText(),
        Json.decimalOrZero(receipt.get("receiptTotal")), taxes, previousReceiptHash);
  }

  /** The §10.1 FDMS receipt signature string: device signature (base64 as sent) ‖ receiptID ‖ serverDate. */
  public static String serverReceiptString(String deviceSignatureBase64, long receiptID, String serverDate) {
    return deviceSignatureBase64 + receiptID + serverDate;
  }

  /** The counters part of §10.2 / §10.3: TYPE ‖ CURRENCY ‖ percent-or-MONEYTYPE ‖ cents, zero counters dropped. */
  public static String countersString(List<Counter> counters, FiscalCounterOrder order) {
    List<Counter> list = new ArrayList<>(counters);
    if (order == FiscalCounterOrder.RECOMMENDED) {
      list.sort(recommendedOrder());
    }
    StringBuilder sb = new StringBuilder();
    for (Counter c : list) {
      if (c.value().signum() == 0) {
        continue;
      }
      sb.append(c.type().toUpperCase(Locale.ROOT)).append(c.currency().toUpperCase(Locale.ROOT))
          .append(c.moneyType() != null ? c.moneyType().toUpperCase(Locale.ROOT) : percent(c.taxPercent()))
          .append(cents(c.value()));
    }
    return sb.toString();
  }

  /** §10.2 recommended comparator: type enum index, currency, taxID (byTax) or money type enum index (Balance). */
  public static Comparator<Counter> recommendedOrder() {
    return Comparator.<Counter>comparingInt(c -> indexOf(COUNTER_TYPES, c.type()))
        .thenComparing(c -> c.currency().toUpperCase(Locale.ROOT))
        .thenComparingInt(c -> c.taxID() == null ? -1 : c.taxID())
        .thenComparingInt(c -> c.moneyType() == null ? -1 : indexOf(MONEY_TYPES, c.moneyType()));
  }

  private static int indexOf(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return names.size();
  }

  /** The §10.2 fiscal-day device signature string: deviceID ‖ fiscalDayNo ‖ fiscalDayDate ‖ counters. */
  public static String dayString(int deviceID, int fiscalDayNo, String fiscalDayDate, List<Counter> counters,
      FiscalCounterOrder order) {
    return "" + deviceID + fiscalDayNo + fiscalDayDate + countersString(counters, order);
  }

  /**
   * The §10.3 fiscal-day FDMS signature string: deviceID ‖ fiscalDayNo ‖ fiscalDayDate ‖ fiscalDayUpdated ‖
   * AUTO|MANUAL ‖ counters ‖ device signature (omitted when closed manually).
   */
  public static String serverDayString(int deviceID, int fiscalDayNo, String fiscalDayDate, String fiscalDayUpdated,
      String reconciliationMode, List<Counter> counters, FiscalCounterOrder order, String deviceSignatureBase64) {
    return "" + deviceID + fiscalDayNo + fiscalDayDate + fiscalDayUpdated
        + reconciliationMode.toUpperCase(Locale.ROOT) + countersString(counters, order)
        + (deviceSignatureBase64 == null ? "" : deviceSignatureBase64);
  }

  /** Base64 (standard, padded) SHA-256 of the UTF-8 bytes of {@code s}. */
  public static String sha256Base64(String s) {
    try {
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs {@code s} with SHA256withRSA or SHA256withECDSA (DER), base64. */
  public static String sign(PrivateKey key, String s) {
    String alg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      Signature sig = engine(alg, key, true);
      sig.update(s.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(sig.sign()); // sign() resets it for the next use
    } catch (GeneralSecurityException | RuntimeException e) {
      ENGINES.get().remove(new EngineKey(alg, key));
      throw new IllegalStateException("cannot sign with the FDMS key", e);
    }
  }

  /** True when {@code signatureBase64} is a valid signature of {@code s} by {@code key} (§8 algorithms). */
  public static boolean verify(PublicKey key, String s, String signatureBase64, EcdsaEncoding ecdsa) {
    byte[] sigBytes;
    try {
      sigBytes = Base64.getDecoder().decode(signatureBase64);
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
    byte[] data = s.getBytes(StandardCharsets.UTF_8);
    if (key.getAlgorithm().equals("RSA")) {
      return verifyWith("SHA256withRSA", key, data, sigBytes);
    }
    return switch (ecdsa) {
      case DER -> verifyWith("SHA256withECDSA", key, data, sigBytes);
      case RAW -> verifyWith("SHA256withECDSAinP1363Format", key, data, sigBytes);
      case EITHER -> verifyWith("SHA256withECDSA", key, data, sigBytes)
          || verifyWith("SHA256withECDSAinP1363Format", key, data, sigBytes);
    };
  }

  private static boolean verifyWith(String alg, PublicKey key, byte[] data, byte[] sig) {
    try {
      Signature v = engine(alg, key, false);
      v.update(data);
      return v.verify(sig); // verify() resets it for the next use
    } catch (GeneralSecurityException | RuntimeException e) {
      ENGINES.get().remove(new EngineKey(alg, key)); // its state is unknown now
      return false;
    }
  }

  /** Which engine: algorithm and key (keys compare by their encoding). */
  private record EngineKey(String algorithm, Key key) {}

  /** Engines kept per thread; a long-running simulator with many devices starts over past this many. */
  private static final int MAX_ENGINES = 256;

  private static final Provider BC = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) != null
      ? Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) : new BouncyCastleProvider();

  private static final ThreadLocal<Map<EngineKey, Signature>> ENGINES = ThreadLocal.withInitial(HashMap::new);

  /**
   * A Signature engine for {@code alg} initialised with {@code key}, kept per thread and reused: setting one
   * up converts the key and, for ECDSA signing, precomputes the curve's fixed-point table, which would
   * otherwise be redone for every receipt. ECDSA runs on BouncyCastle, whose P-256 arithmetic is several times
   * faster than the JDK 17 provider's: the simulator checks and makes a signature per receipt and should not be
   * what bounds a client's throughput.
   */
  private static Signature engine(String alg, Key key, boolean sign) throws GeneralSecurityException {
    Map<EngineKey, Signature> mine = ENGINES.get();
    EngineKey id = new EngineKey(alg, key);
    Signature s = mine.get(id);
    if (s == null) {
      s = switch (alg) {
        case "SHA256withECDSA" -> Signature.getInstance(alg, BC);
        case "SHA256withECDSAinP1363Format" -> Signature.getInstance("SHA256withPLAIN-ECDSA", BC);
        default -> Signature.getInstance(alg);
      };
      if (sign) {
        s.initSign((PrivateKey) key);
      } else {
        s.initVerify((PublicKey) key);
      }
      if (mine.size() >= MAX_ENGINES) {
        mine.clear();
      }
      mine.put(id, s);
    }
    return s;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
