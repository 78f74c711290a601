package io.fiscald.agent.authority.zimra;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.store.FiscalDayRecord;
import io.fiscald.store.FiscalDays;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline day file of a closed fiscal day (sheet §15): JSON {@code {header, content, footer}} with
 * the receipts in the same {@code Receipt} shape submitReceipt uses ({@link ZimraReceipts#wire}) and the
 * closeDay counters and day signature of the Z report ({@link ZimraDays#closeDayBody}), Base64-encoded and
 * split so no part exceeds the size limit; the footer only in the last part. A pure function of the
 * journal, so a part rebuilt after a restart is byte-identical to the one sent before it.
 */
public final class ZimraDayFile {
  /** SPEC §4.9: at most 3 MB per file. */
  public static final int MAX_FILE_BYTES = 3 * 1024 * 1024;

  /**
   * One file of a day, as sent.
   *
   * @param base64 the file as uploaded; its length is what the limit counts
   * @param firstGlobalNo the first receipt in it, 0 when it holds none
   */
  public record Part(int fileSequence, String base64, int receipts, long firstGlobalNo, long lastGlobalNo,
      boolean footer, String sha256) {
    public int bytes() {
      return base64.length();
    }

    @Override
    public String toString() {
      return "Part[" + fileSequence + ", " + receipts + " receipts, footer " + footer + ", " + bytes() + " bytes]";
    }
  }

  private ZimraDayFile() {}

  /** The files of closed day {@code dayNo}, in fileSequence order; the limit counts the Base64 text. */
  public static List<Part> build(Connection c, ZimraSettings settings, long deviceId, long dayNo, int maxBytes) {
    FiscalDayRecord day = FiscalDays.get(c, dayNo).orElseThrow(() -> new FiscalException(ErrorCode.INVALID_ARGUMENT,
        "there is no fiscal day " + dayNo, Map.of("field", "day")));
    if (day.isOpen() || day.zReport() == null) {
      // SPEC §2.4: only closed days may be sent
      throw new FiscalException(ErrorCode.DAY_ALREADY_OPEN, "fiscal day " + dayNo + " is still open; close it "
          + "first (fiscalctl day close): only closed days go into a file", Map.of("day", dayNo));
    }
    DayReport z = ReceiptCodec.dayReport(day.zReport());
    Map<String, Object> footer = footer(z, settings);
    String footerJson = json(footer);
    List<String> receipts = new ArrayList<>();
    List<Long> globalNos = new ArrayList<>();
    for (ReceiptRecord row : Receipts.byDay(c, dayNo)) {
      receipts.add(json(ZimraReceipts.wire(ReceiptCodec.receipt(row.body()))));
      globalNos.add(row.globalNo());
    }
    String opened = z.authorityFields().get(ZimraDays.FISCAL_DAY_OPENED);
    List<Part> parts = new ArrayList<>();
    int from = 0;
    int sequence = 1;
    while (true) {
      // greedy: as many receipts as fit, then the footer if it fits after them (else it gets its own file)
      String header = json(header(deviceId, dayNo, opened, sequence));
      int to = from;
      while (to < receipts.size() && encodedSize(header, receipts.subList(from, to + 1), null) <= maxBytes) {
        to++;
      }
      if (to == from && from < receipts.size()) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "receipt " + globalNos.get(from) + " alone makes a file "
            + "bigger than " + maxBytes + " bytes; raise offlineFileMaxBytes", Map.of("field", "offlineFileMaxBytes"));
      }
      boolean last = to == receipts.size();
      boolean withFooter = last && encodedSize(header, receipts.subList(from, to), footerJson) <= maxBytes;
      if (last && !withFooter && to == from) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the footer of day " + dayNo + " alone is bigger than "
            + maxBytes + " bytes; raise offlineFileMaxBytes", Map.of("field", "offlineFileMaxBytes"));
      }
      String file = file(header, receipts.subList(from, to), withFooter ? footerJson : null);
      String base64 = Base64.getEncoder().encodeToString(file.getBytes(StandardCharsets.UTF_8));
      if (base64.length() != encodedSize(header, receipts.subList(from, to), withFooter ? footerJson : null)) {
        throw new IllegalStateException("day file size estimate is off for day " + dayNo);
      }
      parts.add(new Part(sequence, base64, to - from, to > from ? globalNos.get(from) : 0,
          to > from ? globalNos.get(to - 1) : 0, withFooter, sha256(base64)));
      if (withFooter) {
        return parts;
      }
      from = to;
      sequence++;
    }
  }

  /** {@code header {deviceID, fiscalDayNo, fiscalDayOpened, fileSequence}}. */
  static Map<String, Object> header(long deviceId, long dayNo, String fiscalDayOpened, int fileSequence) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("deviceID", deviceId);
    h.put("fiscalDayNo", dayNo);
    h.put("fiscalDayOpened", fiscalDayOpened);
    h.put("fileSequence", fileSequence);
    return h;
  }

  /** {@code footer {fiscalDayCounters[], fiscalDayDeviceSignature, receiptCounter, fiscalDayClosed}}: the closeDay body. */
  static Map<String, Object> footer(DayReport z, ZimraSettings settings) {
    Map<String, Object> close = ZimraDays.closeDayBody(z);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("fiscalDayCounters", close.get("fiscalDayCounters"));
    f.put("fiscalDayDeviceSignature", close.get("fiscalDayDeviceSignature"));
    f.put("receiptCounter", close.get("receiptCounter"));
    f.put("fiscalDayClosed", ZimraSignatures.RECEIPT_DATE.format(ZimraReceipts.localTime(z.closedAt(),
        settings.zone())));
    return f;
  }

  /** The file text: compact JSON written piece by piece, so its size is known before it is built. */
  private static String file(String header, List<String> receipts, String footer) {
    StringBuilder b = new StringBuilder(64 + receipts.stream().mapToInt(String::length).sum());
    b.append("{\"header\":").append(header);
    if (!receipts.isEmpty() || footer == null) {
      b.append(",\"content\":{\"receipts\":[").append(String.join(",", receipts)).append("]}");
    }
    if (footer != null) {
      b.append(",\"footer\":").append(footer);
    }
    return b.append('}').toString();
  }

  private static long encodedSize(String header, List<String> receipts, String footer) {
    long bytes = 11 + utf8(header); // {"header":...}
    if (!receipts.isEmpty() || footer == null) {
      bytes += 24 + 2; // ,"content":{"receipts":[ ... ]}
      for (String r : receipts) {
        bytes += utf8(r);
      }
      bytes += Math.max(0, receipts.size() - 1);
    }
    if (footer != null) {
      bytes += 10 + utf8(footer);
    }
    return 4 * ((bytes + 2) / 3);
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String json(Object value) {
    try {
      return FdmsClient.WIRE.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new FiscalException(ErrorCode.INTERNAL, "cannot write the day file: " + e.getMessage());
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
