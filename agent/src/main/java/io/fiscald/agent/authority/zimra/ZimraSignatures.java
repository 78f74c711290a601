package io.fiscald.agent.authority.zimra;

import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.Signer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * ZIMRA's signature strings and their hashing and signing (SPEC §13): the receipt device signature,
 * the fiscal day device signature and the FDMS receipt signature. Pure functions; the golden tests
 * pin every worked string of the protocol sheet.
 */
public final class ZimraSignatures {
  /** ZIMRA §13.2.1: receiptDate as {@code YYYY-MM-DDTHH:mm:ss}, 24 h, local, no zone, no milliseconds. */
  public static final DateTimeFormatter RECEIPT_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  /** ZIMRA §13.3.1: fiscalDayDate, the day the fiscal day was opened. */
  public static final DateTimeFormatter DAY_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  private ZimraSignatures() {}

  /**
   * The receipt device signature string (SPEC §13.2.1): deviceID ‖ RECEIPTTYPE ‖ currency ‖
   * receiptGlobalNo ‖ receiptDate ‖ receiptTotal (cents) ‖ taxes ‖ previousReceiptHash.
   *
   * @param receiptType the wire value ({@code FiscalInvoice}, {@code CreditNote}, {@code DebitNote}); upper-cased here
   * @param taxes in any order: sorted here by taxID, then taxCode
   * @param previousReceiptHash null for the first receipt of the fiscal day
   */
  public static String receiptString(long deviceId, String receiptType, String currency, long receiptGlobalNo,
      String receiptDate, long receiptTotalCents, List<ZimraTaxLine> taxes, String previousReceiptHash) {
    StringBuilder s = new StringBuilder(256);
    s.append(deviceId)
        .append(receiptType.toUpperCase(Locale.ROOT))
        .append(currency.toUpperCase(Locale.ROOT))
        .append(receiptGlobalNo)
        .append(receiptDate)
        .append(receiptTotalCents);
    List<ZimraTaxLine> sorted = new ArrayList<>(taxes);
    sorted.sort(ZimraTaxLine.SIGNATURE_ORDER);
    for (ZimraTaxLine t : sorted) {
      // ZIMRA §13.2.1: taxCode as sent (empty if not sent) ‖ percent x.00 (empty if exempt) ‖ tax ‖ sales, in cents
      s.append(t.taxCode() == null ? "" : t.taxCode())
          .append(percent(t.taxPercent()))
          .append(t.taxAmountCents())
          .append(t.salesAmountWithTaxCents());
    }
    // ZIMRA §13.2.1: no previous hash on the day's first receipt
    if (previousReceiptHash != null) {
      s.append(previousReceiptHash);
    }
    return s.toString();
  }

  /**
   * The fiscal day device signature string (SPEC §13.3.1): deviceID ‖ fiscalDayNo ‖ fiscalDayDate ‖
   * the non-zero counters in {@code order}, each TYPE ‖ CURRENCY ‖ (percent or MONEYTYPE) ‖ cents.
   */
  public static String dayString(long deviceId, long fiscalDayNo, String fiscalDayDate, List<ZimraCounter> counters,
      CounterOrder order) {
    StringBuilder s = new StringBuilder(512);
    s.append(deviceId).append(fiscalDayNo).append(fiscalDayDate);
    for (ZimraCounter c : ordered(counters, order)) {
      s.append(c.type().signatureText()).append(c.currency().toUpperCase(Locale.ROOT));
      s.append(c.type().byTax() ? percent(c.taxPercent()) : c.moneyType().signatureText());
      s.append(c.valueCents());
    }
    return s.toString();
  }

  /** ZIMRA §5/§10.2: only non-zero counters, in the configured order (also the closeDay JSON order). */
  public static List<ZimraCounter> ordered(List<ZimraCounter> counters, CounterOrder order) {
    List<ZimraCounter> out = new ArrayList<>();
    for (ZimraCounter c : counters) {
      if (c.valueCents() != 0) {
        out.add(c);
      }
    }
    out.sort(order.comparator());
    return out;
  }

  /** The FDMS receipt signature string (SPEC §13.2.2): device signature (Base64 as sent) ‖ receiptID ‖ serverDate. */
  public static String serverReceiptString(String deviceSignatureBase64, long receiptId, String serverDate) {
    return deviceSignatureBase64 + receiptId + serverDate;
  }

  /** A percent as {@code 15.00}, {@code 14.50}, {@code 0.00}; the empty string for an exempt tax. */
  public static String percent(BigDecimal percent) {
    return percent == null ? "" : percent.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
  }

  /** A decimal amount as integer cents, sign kept: {@code 12.34} is 1234, {@code -9450.00} is -945000. */
  public static long cents(BigDecimal amount, RoundingMode rounding) {
    return amount.movePointRight(2).setScale(0, rounding).longValueExact();
  }

  public static byte[] sha256(String signatureString) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(signatureString.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The {@code hash} field: Base64 (standard, padded) of SHA-256 over the UTF-8 string. */
  public static String hashBase64(String signatureString) {
    return Base64.getEncoder().encodeToString(sha256(signatureString));
  }

  /**
   * The {@code signature} field: SHA256withECDSA or SHA256withRSA over the same string, Base64; ECDSA in
   * {@code encoding}.
   */
  public static String signBase64(Signer signer, String signatureString, EcdsaEncoding encoding) {
    byte[] signature = signer.sign(signatureString.getBytes(StandardCharsets.UTF_8));
    if (signer.algorithm() == KeyAlgorithm.EC_P256 && encoding == EcdsaEncoding.RAW) {
      signature = derToRaw(signature, 32);
    }
    return Base64.getEncoder().encodeToString(signature);
  }

  /** True if {@code signatureBase64} signs {@code signatureString} under {@code key}; ECDSA may be DER or raw. */
  public static boolean verify(PublicKey key, String signatureString, String signatureBase64) {
    byte[] signature = signatureBytes(key, signatureBase64);
    return signature != null && PublicKeys.verify(key, signatureString.getBytes(StandardCharsets.UTF_8), signature);
  }

  /** {@link #verify(PublicKey, String, String)} with a verifier kept for {@code key} (no engine set up per call). */
  public static boolean verify(PublicKeys.Verifier verifier, PublicKey key, String signatureString,
      String signatureBase64) {
    byte[] signature = signatureBytes(key, signatureBase64);
    return signature != null && verifier.verify(signatureString.getBytes(StandardCharsets.UTF_8), signature);
  }

  /** The signature as the verifier takes it (raw ECDSA r ‖ s turned into DER), or null if not Base64. */
  private static byte[] signatureBytes(PublicKey key, String signatureBase64) {
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(signatureBase64);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (PublicKeys.algorithmOf(key) == KeyAlgorithm.EC_P256 && signature.length == 64) {
      signature = rawToDer(signature);
    }
    return signature;
  }

  /** An ECDSA DER signature as r ‖ s, each {@code size} bytes big-endian. */
  public static byte[] derToRaw(byte[] der, int size) {
    ASN1Sequence seq = ASN1Sequence.getInstance(der);
    byte[] out = new byte[2 * size];
    copyUnsigned(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), out, 0, size);
    copyUnsigned(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue(), out, size, size);
    return out;
  }

  /** A raw r ‖ s ECDSA signature as DER. */
  public static byte[] rawToDer(byte[] raw) {
    int size = raw.length / 2;
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, size));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, size, raw.length));
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode an ECDSA signature", e);
    }
  }

  private static void copyUnsigned(BigInteger value, byte[] out, int offset, int size) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > size ? bytes.length - size : 0;
    int length = bytes.length - start;
    System.arraycopy(bytes, start, out, offset + size - length, length);
  }
}
