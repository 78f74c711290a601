package io.fiscald.agent.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.StoreException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.sql.Connection;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The auditor's copy of a journal: JSON Lines, a header with the device's public key, then one line
 * per entry (docs/JOURNAL.md). {@link #verify} checks such a file with no database at all.
 */
public final class JournalExport {
  public static final String FORMAT = "fiscald-journal/1";
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private JournalExport() {}

  /** Writes the whole chain to {@code out} (atomically: a partial export never carries the name). */
  public static long write(Connection c, Path out, String exportedAt) {
    DeviceRecord device = Devices.find(c).orElseThrow(() -> new StoreException("no device in this database"));
    Path tmp = out.resolveSibling(out.getFileName() + ".partial");
    long[] count = {0};
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        var st = c.createStatement()) {
      st.execute("BEGIN"); // one read snapshot: the header's head and the entries agree
      JournalEntry head = Journal.last(c).orElse(null);
      ObjectNode header = CanonicalJson.mapper().createObjectNode();
      header.put("format", FORMAT);
      header.put("deviceId", device.deviceId());
      header.put("authority", device.authority());
      header.put("environment", device.environment());
      header.put("keyAlgorithm", device.keyAlgorithm());
      header.put("publicKeyPem", PublicKeys.toPem(PublicKeys.fromDer(device.publicKey())));
      header.put("exportedAt", exportedAt);
      header.put("headSeq", head == null ? 0 : head.seq());
      header.put("headHash", head == null ? "" : HexFormat.of().formatHex(head.hash()));
      w.write(CanonicalJson.write(header));
      w.newLine();
      Journal.forEach(c, 1, e -> {
        try {
          w.write(CanonicalJson.write(toJson(e)));
          w.newLine();
          count[0]++;
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      });
      st.execute("COMMIT");
    } catch (IOException | UncheckedIOException | java.sql.SQLException e) {
      throw new StoreException("cannot write journal export " + out + ": " + e.getMessage(), e);
    }
    try {
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StoreException("cannot write journal export " + out + ": " + e.getMessage(), e);
    }
    return count[0];
  }

  private static ObjectNode toJson(JournalEntry e) {
    ObjectNode n = CanonicalJson.mapper().createObjectNode();
    n.put("seq", e.seq());
    n.put("kind", e.kind());
    n.put("createdAt", e.createdAt());
    n.put("payload", e.payload());
    n.put("prevHash", HexFormat.of().formatHex(e.prevHash()));
    n.put("hash", HexFormat.of().formatHex(e.hash()));
    n.put("signature", B64.encodeToString(e.signature()));
    return n;
  }

  /** Result of checking an export file. */
  public record Verification(String deviceId, String publicKeyFingerprint, long entries, String headHash,
      AuditFinding finding) {
    public boolean ok() {
      return finding == null;
    }
  }

  /** Checks every link of an exported journal against the public key in its header. */
  public static Verification verify(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String headerLine = r.readLine();
      if (headerLine == null) {
        return new Verification(null, null, 0, null, new AuditFinding(0, "the file is empty"));
      }
      JsonNode header = CanonicalJson.read(headerLine);
      if (!FORMAT.equals(header.path("format").asText())) {
        return new Verification(null, null, 0, null,
            new AuditFinding(0, "not a fiscald journal export (format is not " + FORMAT + ")"));
      }
      PublicKey key = PublicKeys.fromPem(header.path("publicKeyPem").asText());
      ChainVerifier chain = new ChainVerifier(key);
      if (header.path("headSeq").asLong() >= 2_000) {
        chain.withTables(); // the header's head is only a hint here: a long chain pays for the P-256 tables
      }
      String deviceId = header.path("deviceId").asText();
      String fingerprint = PublicKeys.fingerprint(key);
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        JournalEntry e = fromJson(CanonicalJson.read(line));
        AuditFinding finding = chain.next(e);
        if (finding == null && e.seq() == 1) {
          finding = checkDeviceId(e, deviceId);
        }
        if (finding != null) {
          return new Verification(deviceId, fingerprint, chain.verified(), null, finding);
        }
      }
      String lastHash = HexFormat.of().formatHex(chain.lastHash());
      long headSeq = header.path("headSeq").asLong();
      if (chain.verified() != headSeq || !lastHash.equals(header.path("headHash").asText())) {
        return new Verification(deviceId, fingerprint, chain.verified(), lastHash, new AuditFinding(
            chain.verified() + 1, "the export ends at seq " + chain.verified() + " but its header says the chain"
                + " ends at seq " + headSeq + " (entries cut off the end)"));
      }
      return new Verification(deviceId, fingerprint, chain.verified(), lastHash, null);
    } catch (CharacterCodingException e) {
      return new Verification(null, null, 0, null,
          new AuditFinding(0, "not a fiscald journal export (the file is not UTF-8 text)"));
    } catch (IOException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      return new Verification(null, null, 0, null, new AuditFinding(0, "unreadable export: " + e.getMessage()));
    }
  }

  /** The header's device id is only a label; entry 1, signed, says which device the chain is. */
  private static AuditFinding checkDeviceId(JournalEntry first, String headerDeviceId) {
    String signed = CanonicalJson.read(first.payload()).path("deviceId").asText();
    return signed.equals(headerDeviceId) ? null : new AuditFinding(1, "the header names device " + headerDeviceId
        + " but the chain was initialised for device " + signed);
  }

  private static JournalEntry fromJson(JsonNode n) {
    return new JournalEntry(n.path("seq").asLong(), n.path("kind").asText(), n.path("createdAt").asText(),
        n.path("payload").asText(), HexFormat.of().parseHex(n.path("prevHash").asText()),
        HexFormat.of().parseHex(n.path("hash").asText()), B64D.decode(n.path("signature").asText()));
  }
}
