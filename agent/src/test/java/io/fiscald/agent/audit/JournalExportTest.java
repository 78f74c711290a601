package io.fiscald.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.SoftwareSigner;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.Database;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import io.fiscald.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auditor's file: written from the database, checked with nothing but itself. */
class JournalExportTest {
  static final String EXPORTED_AT = "2026-11-25T09:00:00.000Z";

  @TempDir Path tmp;
  JournalFixture f;
  Path export;
  String fingerprint;
  String headHash;

  @BeforeEach
  void setUp() throws Exception {
    f = JournalFixture.create(tmp.resolve("data"));
    export = tmp.resolve("out").resolve("journal.jsonl");
    Files.createDirectories(export.getParent());
    try (Connection c = Database.openReadOnly(f.db())) {
      assertThat(JournalExport.write(c, export, EXPORTED_AT)).isEqualTo(12);
      fingerprint = PublicKeys.fingerprint(PublicKeys.fromDer(Devices.find(c).orElseThrow().publicKey()));
      headHash = HexFormat.of().formatHex(Journal.last(c).orElseThrow().hash());
    }
  }

  @Test
  void anUntouchedExportVerifies() {
    JournalExport.Verification v = JournalExport.verify(export);
    assertThat(v.ok()).as("finding: %s", v.finding()).isTrue();
    assertThat(v.entries()).isEqualTo(12);
    assertThat(v.deviceId()).isEqualTo("TEST-0001");
    assertThat(v.publicKeyFingerprint()).isEqualTo(fingerprint);
    assertThat(v.headHash()).isEqualTo(headHash);
  }

  @Test
  void theFileIsAHeaderThenOneLinePerEntry() throws Exception {
    List<String> lines = lines();
    assertThat(lines).hasSize(13);
    var header = CanonicalJson.read(lines.get(0));
    assertThat(header.path("format").asText()).isEqualTo(JournalExport.FORMAT);
    assertThat(header.path("deviceId").asText()).isEqualTo("TEST-0001");
    assertThat(header.path("environment").asText()).isEqualTo("sandbox");
    assertThat(header.path("keyAlgorithm").asText()).isEqualTo(KeyAlgorithm.EC_P256.name());
    assertThat(header.path("exportedAt").asText()).isEqualTo(EXPORTED_AT);
    assertThat(header.path("headSeq").asLong()).isEqualTo(12);
    assertThat(header.path("headHash").asText()).isEqualTo(headHash);
    assertThat(PublicKeys.fingerprint(PublicKeys.fromPem(header.path("publicKeyPem").asText())))
        .isEqualTo(fingerprint);
    for (int seq = 1; seq <= 12; seq++) {
      var entry = CanonicalJson.read(lines.get(seq));
      assertThat(entry.path("seq").asLong()).isEqualTo(seq);
      assertThat(entry.path("kind").asText()).isEqualTo(JournalFixture.KINDS.get(seq - 1));
    }
  }

  @Test
  void theExportIsWrittenAtomically() throws Exception {
    try (Stream<Path> files = Files.list(export.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("journal.jsonl");
    }
    // a second export over the first replaces it whole
    String before = Files.readString(export);
    try (Connection c = Database.openReadOnly(f.db())) {
      JournalExport.write(c, export, "2026-11-26T09:00:00.000Z");
    }
    assertThat(Files.readString(export)).isEqualTo(before.replace(EXPORTED_AT, "2026-11-26T09:00:00.000Z"));
    try (Stream<Path> files = Files.list(export.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("journal.jsonl");
    }
  }

  @Test
  void aFailedExportLeavesThePreviousFileAsItWas() throws Exception {
    byte[] before = Files.readAllBytes(export);
    Files.createDirectory(export.resolveSibling("journal.jsonl.partial")); // the temp file cannot be written
    try (Connection c = Database.openReadOnly(f.db())) {
      assertThatThrownBy(() -> JournalExport.write(c, export, "2026-11-26T09:00:00.000Z"))
          .isInstanceOf(StoreException.class).hasMessageContaining("cannot write journal export");
    }
    assertThat(Files.readAllBytes(export)).isEqualTo(before);
  }

  @Test
  void anEditedPayloadLineIsNamed() throws Exception {
    editEntry(5, n -> n.put("payload", n.path("payload").asText().replace("\"totalMinor\":75000", "\"totalMinor\":7500")));
    assertFinding(5, "hash does not match");
  }

  @Test
  void anEditedPayloadWithARecomputedHashFailsOnTheSignature() throws Exception {
    editEntry(5, n -> {
      String payload = n.path("payload").asText().replace("\"totalMinor\":75000", "\"totalMinor\":7500");
      byte[] hash = io.fiscald.store.ChainHash.compute(HexFormat.of().parseHex(n.path("prevHash").asText()), 5,
          n.path("kind").asText(), n.path("createdAt").asText(), payload);
      n.put("payload", payload);
      n.put("hash", HexFormat.of().formatHex(hash));
      return n;
    });
    assertFinding(5, "signature does not verify");
  }

  @Test
  void aDeletedLineIsReportedAtTheMissingSeq() throws Exception {
    List<String> lines = lines();
    lines.remove(6);
    write(lines);
    assertFinding(6, "missing");
  }

  @Test
  void swappedLinesAreNamedAtTheFirst() throws Exception {
    List<String> lines = lines();
    Collections.swap(lines, 4, 5);
    write(lines);
    assertFinding(4, "");
  }

  @Test
  void aDroppedLastLineIsReportedAsACut() throws Exception {
    List<String> lines = lines();
    lines.remove(12);
    write(lines);
    JournalExport.Verification v = assertFinding(12, "cut off the end");
    assertThat(v.finding().problem()).contains("ends at seq 11").contains("says the chain ends at seq 12");
    assertThat(v.entries()).isEqualTo(11);
  }

  @Test
  void anotherPublicKeyInTheHeaderFailsAtTheFirstEntry() throws Exception {
    String otherPem = PublicKeys.toPem(SoftwareSigner.generate(KeyAlgorithm.EC_P256).publicKey());
    editLine(0, n -> n.put("publicKeyPem", otherPem));
    assertFinding(1, "signature does not verify");
  }

  @Test
  void anotherDeviceIdInTheHeaderIsNotVouchedFor() throws Exception {
    // the chain is genuine, but the header now claims it belongs to another device
    editLine(0, n -> n.put("deviceId", "TEST-0002"));
    JournalExport.Verification v = assertFinding(1, "TEST-0002");
    assertThat(v.finding().problem()).contains("TEST-0001");
  }

  @Test
  void aFileThatIsNotAnExportIsRefusedClearly() throws Exception {
    Path json = tmp.resolve("other.json");
    Files.writeString(json, "{\"hello\":\"world\"}\n");
    JournalExport.Verification v = JournalExport.verify(json);
    assertThat(v.ok()).isFalse();
    assertThat(v.finding().problem()).contains("not a fiscald journal export");

    Path text = tmp.resolve("notes.txt");
    Files.writeString(text, "these are not the lines you are looking for\n");
    assertThat(JournalExport.verify(text).ok()).isFalse();

    Path empty = tmp.resolve("empty.jsonl");
    Files.writeString(empty, "");
    assertThat(JournalExport.verify(empty).finding().problem()).contains("empty");
  }

  @Test
  void theDatabaseFileItselfIsRefusedAsNotAnExport() {
    // a technician's likely slip: `fiscalctl journal verify fiscald.db`
    JournalExport.Verification v = JournalExport.verify(f.db());
    assertThat(v.ok()).isFalse();
    assertThat(v.finding().problem()).contains("not a fiscald journal export");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private JournalExport.Verification assertFinding(long seq, String problem) {
    JournalExport.Verification v = JournalExport.verify(export);
    assertThat(v.ok()).as("the tampered export must not verify").isFalse();
    assertThat(v.finding().seq()).as("finding: %s", v.finding()).isEqualTo(seq);
    assertThat(v.finding().problem()).contains(problem);
    return v;
  }

  private List<String> lines() throws Exception {
    return new ArrayList<>(Files.readAllLines(export, StandardCharsets.UTF_8));
  }

  private void write(List<String> lines) throws Exception {
    Files.write(export, lines, StandardCharsets.UTF_8);
  }

  private void editEntry(long seq, UnaryOperator<ObjectNode> edit) throws Exception {
    editLine((int) seq, edit);
  }

  private void editLine(int index, UnaryOperator<ObjectNode> edit) throws Exception {
    List<String> lines = lines();
    ObjectNode node = (ObjectNode) CanonicalJson.read(lines.get(index));
    String before = CanonicalJson.write(node);
    String after = CanonicalJson.write(edit.apply(node));
    assertThat(after).as("the edit changed line " + index).isNotEqualTo(before);
    lines.set(index, after);
    write(lines);
  }
}
