package io.fiscald.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainHashTest {

  private static final String KIND = "DAY_OPENED";
  private static final String CREATED_AT = "2026-01-01T00:00:00.000Z";
  private static final String PAYLOAD = "{\"dayNo\":1}";

  /**
   * The documented worked vector (docs/JOURNAL.md): SHA-256 over the 97 bytes
   * {@code 00×32 ‖ 00 00 00 00 00 00 00 01 ‖ 00 00 00 0a "DAY_OPENED" ‖ 00 00 00 18
   * "2026-01-01T00:00:00.000Z" ‖ 00 00 00 0b {"dayNo":1}}. Exported journals are verified against
   * this encoding by auditors: if this constant has to change, every existing chain breaks.
   */
  static final String WORKED_VECTOR = "aad7a1346e5eba099111dc11a28fc6c5b55c72f12ec9345bc04fbf4c8594a7a3";

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void workedVectorMatchesAnIndependentEncodingAndTheDocumentedHex() throws Exception {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.write(new byte[32]);                                     // prev_hash: genesis
    in.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 1});              // seq = 1, 8 bytes big-endian
    in.write(new byte[] {0, 0, 0, 10});                         // len("DAY_OPENED")
    in.write(KIND.getBytes(UTF_8));
    in.write(new byte[] {0, 0, 0, 24});                         // len(created_at)
    in.write(CREATED_AT.getBytes(UTF_8));
    in.write(new byte[] {0, 0, 0, 11});                         // len({"dayNo":1})
    in.write(PAYLOAD.getBytes(UTF_8));
    byte[] input = in.toByteArray();
    assertThat(input).hasSize(97);
    String independent = hex(MessageDigest.getInstance("SHA-256").digest(input));

    byte[] actual = ChainHash.compute(new byte[32], 1, KIND, CREATED_AT, PAYLOAD);

    assertThat(actual).hasSize(ChainHash.LENGTH);
    assertThat(hex(actual)).isEqualTo(independent).isEqualTo(WORKED_VECTOR);
  }

  @Test
  void genesisIsThirtyTwoZeroBytesAndCannotBeAltered() {
    byte[] g = ChainHash.genesis();
    assertThat(g).hasSize(32).containsOnly((byte) 0);

    g[0] = 1;

    assertThat(ChainHash.genesis()).containsOnly((byte) 0);
    assertThat(hex(ChainHash.compute(ChainHash.genesis(), 1, KIND, CREATED_AT, PAYLOAD)))
        .isEqualTo(WORKED_VECTOR);
  }

  @Test
  void everyFieldIsCovered() {
    byte[] otherPrev = new byte[32];
    otherPrev[31] = 1;
    Set<String> hashes = new LinkedHashSet<>();
    hashes.add(hex(ChainHash.compute(new byte[32], 1, KIND, CREATED_AT, PAYLOAD)));
    hashes.add(hex(ChainHash.compute(otherPrev, 1, KIND, CREATED_AT, PAYLOAD)));
    hashes.add(hex(ChainHash.compute(new byte[32], 2, KIND, CREATED_AT, PAYLOAD)));
    hashes.add(hex(ChainHash.compute(new byte[32], 1L << 32 | 1, KIND, CREATED_AT, PAYLOAD)));
    hashes.add(hex(ChainHash.compute(new byte[32], 1, "DAY_CLOSED", CREATED_AT, PAYLOAD)));
    hashes.add(hex(ChainHash.compute(new byte[32], 1, KIND, "2026-01-01T00:00:00.001Z", PAYLOAD)));
    hashes.add(hex(ChainHash.compute(new byte[32], 1, KIND, CREATED_AT, "{\"dayNo\":2}")));

    assertThat(hashes).hasSize(7);
  }

  @Test
  void samePrevAndFieldsAlwaysGiveTheSameHash() {
    byte[] prev = ChainHash.compute(new byte[32], 1, KIND, CREATED_AT, PAYLOAD);

    assertThat(ChainHash.compute(prev, 2, "RECEIPT", CREATED_AT, "{\"n\":1}"))
        .isEqualTo(ChainHash.compute(prev.clone(), 2, "RECEIPT", CREATED_AT, "{\"n\":1}"));
  }

  @Test
  void lengthPrefixesKeepFieldBoundariesApart() {
    byte[] prev = new byte[32];

    // kind | created_at
    assertThat(ChainHash.compute(prev, 1, "ab", "c", PAYLOAD))
        .isNotEqualTo(ChainHash.compute(prev, 1, "a", "bc", PAYLOAD));
    // created_at | payload
    assertThat(ChainHash.compute(prev, 1, KIND, "ab", "c"))
        .isNotEqualTo(ChainHash.compute(prev, 1, KIND, "a", "bc"));
    // kind | created_at | payload with an empty field moved around
    assertThat(ChainHash.compute(prev, 1, "", "x", ""))
        .isNotEqualTo(ChainHash.compute(prev, 1, "x", "", ""))
        .isNotEqualTo(ChainHash.compute(prev, 1, "", "", "x"));
  }

  @Test
  void lengthsAreOfUtf8BytesNotChars() throws Exception {
    String kind = "É"; // 1 char, 2 UTF-8 bytes
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.write(new byte[32]);
    in.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 1});
    in.write(new byte[] {0, 0, 0, 2});
    in.write(kind.getBytes(UTF_8));
    in.write(new byte[] {0, 0, 0, 0});
    in.write(new byte[] {0, 0, 0, 0});

    assertThat(ChainHash.compute(new byte[32], 1, kind, "", ""))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(in.toByteArray()));
  }

  @Test
  void prevHashOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> ChainHash.compute(new byte[31], 1, KIND, CREATED_AT, PAYLOAD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes")
        .hasMessageContaining("31");
    assertThatThrownBy(() -> ChainHash.compute(new byte[33], 1, KIND, CREATED_AT, PAYLOAD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("33");
    assertThatThrownBy(() -> ChainHash.compute(new byte[0], 1, KIND, CREATED_AT, PAYLOAD))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void journalEntryChecksItsHashWithChainHash() {
    JournalEntry good = TestRows.entry(null, KIND, CREATED_AT, PAYLOAD);
    assertThat(hex(good.hash())).isEqualTo(WORKED_VECTOR);
    assertThat(good.hashMatches()).isTrue();

    JournalEntry tampered = new JournalEntry(1, KIND, CREATED_AT, "{\"dayNo\":9}", good.prevHash(),
        good.hash(), good.signature());
    assertThat(tampered.hashMatches()).isFalse();
  }
}
