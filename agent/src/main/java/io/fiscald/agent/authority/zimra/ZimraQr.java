package io.fiscald.agent.authority.zimra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;

/** ZIMRA's receipt QR code and printed verification code (SPEC §11). */
public final class ZimraQr {
  private static final DateTimeFormatter QR_DATE = DateTimeFormatter.ofPattern("ddMMyyyy");

  private ZimraQr() {}

  /** receiptQrData: the first 16 hex characters, upper case, of the MD5 of the device signature. */
  public static String qrData(String deviceSignatureBase64, QrDataSource source) {
    byte[] signature = Base64.getDecoder().decode(deviceSignatureBase64);
    byte[] input = source == QrDataSource.RAW_SIGNATURE ? signature
        : HexFormat.of().withUpperCase().formatHex(signature).getBytes(StandardCharsets.US_ASCII);
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(input);
      return HexFormat.of().withUpperCase().formatHex(md5).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JVM", e);
    }
  }

  /** The printed verification code: receiptQrData in groups of four, e.g. {@code 4C8B-E276-6333-0417}. */
  public static String verificationCode(String qrData) {
    StringBuilder out = new StringBuilder(19);
    for (int i = 0; i < qrData.length(); i += 4) {
      out.append(i == 0 ? "" : "-").append(qrData, i, Math.min(i + 4, qrData.length()));
    }
    return out.toString();
  }

  /**
   * receiptQrCode = qrUrl / deviceID(10) ‖ receiptDate(ddMMyyyy) ‖ receiptGlobalNo(10) ‖ receiptQrData(16);
   * exactly one "/" joins the base and the data (SPEC §11).
   */
  public static String qrUrl(String qrUrlBase, long deviceId, LocalDate receiptDate, long receiptGlobalNo,
      String qrData) {
    String base = qrUrlBase;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/" + String.format("%010d", deviceId) + QR_DATE.format(receiptDate)
        + String.format("%010d", receiptGlobalNo) + qrData;
  }
}
