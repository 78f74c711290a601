package io.fiscald.agent.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.receipt.ReceiptMode;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.store.CanonicalJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streamed receipt JSON is byte for byte the tree-based canonical JSON (the oracle: the chain hashes
 * these bytes), over generated receipts with escapes, unicode, extreme numbers, nulls and empty lists.
 */
class ReceiptJsonTest {
  /** Characters that exercise every escaping rule: controls, quotes, backslash, slash, non-ASCII, surrogates. */
  private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f",
      "\u0000", "\u0001", "\u001f", "\u007f", "\u0080", "é", "ß", "Ω", "€", "\u2028", "\u2029", "中文",
      "\uD83D\uDE00", "\uD83D", "\uDE00", "\uFFFF", "<>&'", "KES", "M-Pesa QX12"};
  private static final long[] EDGES = {0, 1, -1, 9, 10, 99, Integer.MAX_VALUE, Integer.MIN_VALUE,
      Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_000_000_000L};

  @Test
  void matchesTheTreeWriterOnGeneratedReceipts() {
    Random random = new Random(20261124L);
    for (int i = 0; i < 5_000; i++) {
      FiscalReceipt receipt = receipt(random);
      String oracle = CanonicalJson.write(receipt);
      assertThat(ReceiptJson.write(receipt)).as("receipt %d", i).isEqualTo(oracle);
      ReceiptJson.Parts parts = ReceiptJson.Parts.of(receipt.lines(), receipt.taxes(), receipt.payments(),
          receipt.buyer());
      assertThat(ReceiptJson.write(receipt, parts)).as("receipt %d from prepared parts", i).isEqualTo(oracle);
    }
  }

  @Test
  void readsBackAsTheSameReceipt() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      FiscalReceipt receipt = receipt(random);
      assertThat(ReceiptCodec.receipt(ReceiptJson.write(receipt))).isEqualTo(receipt);
    }
  }

  @Test
  void leavesOutANormalModeAndWritesNullsOtherwise() {
    FiscalReceipt normal = new FiscalReceipt("dev", "LOCAL", "INV-1", ReceiptType.INVOICE, 1, 1, 1, 1,
        "2026-11-24T10:00:00Z", "KES", 2, true, List.of(), List.of(), 0, 0, 0, List.of(), 0, 0, null, null, null,
        Map.of(), ReceiptMode.NORMAL);
    String json = ReceiptJson.write(normal);
    assertThat(json).doesNotContain("\"mode\"").contains("\"buyer\":null").contains("\"originalNumber\":null")
        .isEqualTo(CanonicalJson.write(normal));
  }

  private static FiscalReceipt receipt(Random r) {
    List<FiscalReceipt.Line> lines = new ArrayList<>();
    for (int i = r.nextInt(6); i > 0; i--) {
      lines.add(new FiscalReceipt.Line(r.nextInt(), text(r), text(r), text(r), text(r), text(r), text(r),
          number(r), number(r), number(r), number(r), number(r), text(r)));
    }
    List<FiscalReceipt.Tax> taxes = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      taxes.add(new FiscalReceipt.Tax(text(r), text(r), text(r), r.nextBoolean(), number(r), number(r), number(r)));
    }
    List<FiscalReceipt.Paid> payments = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      payments.add(new FiscalReceipt.Paid(text(r), number(r), text(r)));
    }
    Map<String, String> authorityFields = new HashMap<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      authorityFields.put(nonNullText(r), nonNullText(r));
    }
    Buyer buyer = r.nextInt(3) == 0 ? null : new Buyer(text(r), text(r));
    ReceiptType type = ReceiptType.values()[r.nextInt(ReceiptType.values().length)];
    ReceiptMode mode = r.nextInt(4) == 0 ? null : ReceiptMode.values()[r.nextInt(ReceiptMode.values().length)];
    return new FiscalReceipt(text(r), text(r), text(r), r.nextInt(10) == 0 ? null : type, number(r), number(r),
        number(r), number(r), text(r), text(r), r.nextInt(), r.nextBoolean(), lines, taxes, number(r), number(r),
        number(r), payments, number(r), number(r), buyer, text(r), text(r), authorityFields, mode);
  }

  private static String text(Random r) {
    return r.nextInt(8) == 0 ? null : nonNullText(r);
  }

  private static String nonNullText(Random r) {
    StringBuilder s = new StringBuilder();
    for (int i = r.nextInt(12); i > 0; i--) {
      s.append(r.nextInt(3) == 0 ? String.valueOf((char) r.nextInt(0x10000)) : PIECES[r.nextInt(PIECES.length)]);
    }
    return s.toString();
  }

  private static long number(Random r) {
    return r.nextInt(3) == 0 ? EDGES[r.nextInt(EDGES.length)] : r.nextLong() >> r.nextInt(64);
  }
}
