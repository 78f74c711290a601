package io.fiscald.agent.authority.kra;

import static io.fiscald.agent.authority.kra.KraFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.DayReport;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.receipt.OriginalReference;
import io.fiscald.agent.receipt.ReceiptMode;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.sim.kra.Transport;
import io.fiscald.store.Counters;
import io.fiscald.store.Outbox;
import io.fiscald.store.Receipts;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training and proforma documents asked for in the receipt request: journalled with their mode and label
 * (TS, TC, PS), printed watermarked, never sent to eTIMS (no invcNo consumed), kept out of the day's totals;
 * the payload builder gives each label its sales type.
 */
class KraReceiptModesTest {
  private static final Buyer ACME = new Buyer("Acme Ltd", "P051111111A");
  private static final ReceiptRequestParser PARSER = new ReceiptRequestParser();

  @TempDir
  java.nio.file.Path tmp;

  static ReceiptRequest withMode(ReceiptRequest r, ReceiptMode mode) {
    return new ReceiptRequest(r.type(), r.currency(), r.pricesIncludeTax(), r.lines(), r.payments(), r.buyer(),
        r.original(), r.reason(), mode);
  }

  @Test
  void payloadOfEachLabelCarriesItsSalesAndReceiptType() {
    FiscalReceipt sale = KraFixtures.receipt(KraFixtures.sale(ACME, "1044.00", line("Sugar 1kg", "2", "522.00", "B")),
        "INV-000001", KraFixtures.ISSUED);
    for (KraLabel label : List.of(KraLabel.NS, KraLabel.TS, KraLabel.PS)) {
      SaleContext ctx = new SaleContext(KraFixtures.PIN, "00", 1, 0, label, KraFixtures.rates(),
          PriceMode.INCLUSIVE, "01", KraFixtures.items(sale), null, "Shop", null, "fiscald");
      Map<String, Object> p = SalePayloadBuilder.build(sale, ctx).payload();
      assertThat(p.get("salesTyCd")).as(label.name()).isEqualTo(label.name().substring(0, 1));
      assertThat(p.get("rcptTyCd")).as(label.name()).isEqualTo("S");
    }
    assertThat(KraLabel.of(SaleMode.TRAINING, true)).isEqualTo(KraLabel.TC);
    assertThat(KraLabel.TC.salesTyCd()).isEqualTo("T");
    assertThat(KraLabel.TC.rcptTyCd()).isEqualTo("R");
    assertThatThrownBy(() -> KraLabel.of(SaleMode.PROFORMA, true)).isInstanceOf(FiscalException.class);
  }

  @Test
  void trainingAndProformaAreJournalledLabelledPrintedWatermarkedAndNeverSentToEtims() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.OSCU)) {
      h.register();
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
        agent.core().openDay();
        ReceiptRequest sugar = PARSER.parse("""
            {"mode": "TRAINING", "currency": "KES", "buyer": {"name": "Acme Ltd", "tin": "P051111111A"},
             "lines": [{"name": "Sugar 1kg", "quantity": "2", "unitPrice": "522.00", "taxCode": "B"}],
             "payments": [{"method": "CASH", "amount": "1044.00"}]}""");
        KraRuntime.Signed training = kra.issue(sugar);
        String trainingNo = training.issued().receipt().receiptNumber();
        KraRuntime.Signed trainingNote = kra.issue(withMode(KraFixtures.credit(trainingNo, ACME, "522.00",
            "Damaged", line("Sugar 1kg", "1", "522.00", "B")), ReceiptMode.TRAINING));
        KraRuntime.Signed proforma = kra.issue(withMode(KraFixtures.sale(null, "1044.00",
            line("Sugar 1kg", "2", "522.00", "B")), ReceiptMode.PROFORMA));
        KraRuntime.Signed real = kra.issue(KraFixtures.sale(ACME, "1044.00", line("Sugar 1kg", "2", "522.00", "B")));

        // stored with their mode and label
        assertThat(training.issued().receipt().receiptMode()).isEqualTo(ReceiptMode.TRAINING);
        assertThat(training.issued().receipt().authorityFields()).containsEntry(KraProfile.LABEL_FIELD, "TS");
        assertThat(trainingNote.issued().receipt().authorityFields()).containsEntry(KraProfile.LABEL_FIELD, "TC");
        assertThat(proforma.issued().receipt().authorityFields()).containsEntry(KraProfile.LABEL_FIELD, "PS");
        assertThat(real.issued().receipt().authorityFields()).containsEntry(KraProfile.LABEL_FIELD, "NS");
        assertThat(training.state().state()).isEqualTo(KraFiscalSignature.State.NOT_SENT);
        assertThat(proforma.signature()).isEmpty();
        assertThat(real.signature()).isPresent();
        try (Connection c = agent.newStateConnection()) {
          FiscalReceipt stored = ReceiptCodec.receipt(Receipts.findByNumber(c, trainingNo).orElseThrow().body());
          assertThat(stored.receiptMode()).isEqualTo(ReceiptMode.TRAINING);
          assertThat(Receipts.findByNumber(c, real.issued().receipt().receiptNumber()).orElseThrow().body())
              .doesNotContain("\"mode\""); // NORMAL receipts journal exactly as before
          for (KraRuntime.Signed local : List.of(training, trainingNote, proforma)) {
            long id = Receipts.findByNumber(c, local.issued().receipt().receiptNumber()).orElseThrow().id();
            assertThat(Outbox.latestForReceipt(c, id)).as("outbox row of a local document").isEmpty();
          }
          assertThat(Counters.get(c, KraState.invoiceCounter(KraSimHarness.PIN, "00"))).isEqualTo(1);
        }
        // eTIMS saw the real sale only, as invoice 1
        assertThat(h.sim.branch(KraSimHarness.PIN, "00").invcNos()).containsExactly(1L);
        assertThat(h.sim.branch(KraSimHarness.PIN, "00").invoice(1).orElseThrow().trdInvcNo())
            .isEqualTo(real.issued().receipt().receiptNumber());

        // printed watermarked with their label, no SCU data
        String ts = kra.render(trainingNo, false, 48);
        assertThat(ts).contains("*** " + KraLabel.WATERMARK + " ***").contains("TRAINING (TS)")
            .contains("NOT SENT TO KRA: training document").doesNotContain("CU INVOICE NO.");
        assertThat(ts.split(KraLabel.WATERMARK, -1)).hasSize(3);
        String tc = kra.render(trainingNote.issued().receipt().receiptNumber(), false, 48);
        assertThat(tc).contains(KraLabel.WATERMARK).contains("TRAINING (TC)").contains("CREDIT NOTE");
        String ps = kra.render(proforma.issued().receipt().receiptNumber(), false, 48);
        assertThat(ps).contains(KraLabel.WATERMARK).contains("PROFORMA (PS)")
            .contains("NOT SENT TO KRA: proforma document");
        String ns = kra.render(real.issued().receipt().receiptNumber(), false, 48);
        assertThat(ns).doesNotContain(KraLabel.WATERMARK).contains("RECEIPT NUMBER: 1/1 NS");

        // a real note never corrects a training sale
        assertThatThrownBy(() -> agent.core().issue(KraFixtures.credit(trainingNo, ACME, "522.00", "Damaged",
            line("Sugar 1kg", "1", "522.00", "B"))))
            .isInstanceOfSatisfying(FiscalException.class, e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
              assertThat(e.details()).containsEntry("field", "mode");
            });

        // training and proforma are counted apart, never in the day's money
        DayReport z = agent.core().closeDay();
        assertThat(z.countsByType()).containsEntry("INVOICE", 1L).containsEntry("TRAINING_INVOICE", 1L)
            .containsEntry("TRAINING_CREDIT_NOTE", 1L).containsEntry("PROFORMA_INVOICE", 1L);
        assertThat(z.currencies()).singleElement().satisfies(t -> {
          assertThat(t.salesMinor()).isEqualTo(104400);
          assertThat(t.creditNotesMinor()).isZero();
        });
      }
    }
  }

  @Test
  void aProformaNoteIsRefusedByTheParser() {
    assertThatThrownBy(() -> PARSER.parse("""
        {"mode": "PROFORMA", "type": "CREDIT_NOTE", "currency": "KES", "original": {"receiptNumber": "INV-000001"},
         "reason": "x", "lines": [{"name": "Sugar", "quantity": "1", "unitPrice": "1", "taxCode": "B"}],
         "payments": [{"method": "CASH", "amount": "1"}]}"""))
        .isInstanceOfSatisfying(FiscalException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
          assertThat(e.details()).containsEntry("field", "mode");
        });
    assertThat(new OriginalReference("INV-1").receiptNumber()).isEqualTo("INV-1");
  }
}
