package io.fiscald.agent.authority.kra;

import static io.fiscald.agent.authority.kra.KraFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.sim.kra.AcceptedInvoice;
import io.fiscald.sim.kra.BranchSnapshot;
import io.fiscald.sim.kra.Transport;
import io.fiscald.store.Counters;
import io.fiscald.store.Outbox;
import io.fiscald.store.OutboxMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The agent against the real eTIMS simulator on loopback, for each transport. */
class KraEndToEndTest {
  private static final Buyer ACME = new Buyer("Acme Ltd", "P051111111A");

  @TempDir
  Path tmp;

  @ParameterizedTest
  @EnumSource(Transport.class)
  void registerSellAndCreditOnEachTransport(Transport transport) throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, transport)) {
      KraRegistrar.Registered reg = h.register();
      assertThat(reg.initialised()).isTrue();
      assertThat(reg.sdcId()).isNotBlank();
      assertThat(reg.rates().rate(KraBand.B)).isEqualByComparingTo("16");
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
        assertThat(agent.core().profile()).isInstanceOf(KraProfile.class);
        agent.core().openDay();
        KraRuntime.Signed sale = kra.issue(KraFixtures.sale(ACME, "1044.00", line("Sugar 1kg", "2", "522.00", "B")));
        KraRuntime.Signed mixed = kra.issue(KraFixtures.sale(null, "3856.93",
            line("Rice 5kg", "2", "780.00", "B"), line("Fresh milk 500ml", "6", "60.00", "A"),
            line("Petrol", "10.125", "179.45", "E"), line("Bread 400g", "2", "65.00", "B", "10.00")));
        KraRuntime.Signed credit = kra.issue(KraFixtures.credit(sale.issued().receipt().receiptNumber(), ACME,
            "522.00", "Damaged", line("Sugar 1kg", "1", "522.00", "B")));

        assertThat(sale.signature()).isPresent();
        assertThat(mixed.signature()).isPresent();
        assertThat(credit.signature()).isPresent();
        BranchSnapshot branch = h.sim.branch(KraSimHarness.PIN, "00");
        assertThat(branch.invcNos()).containsExactly(1L, 2L, 3L);
        AcceptedInvoice first = branch.invoice(1).orElseThrow();
        assertThat(first.trdInvcNo()).isEqualTo(sale.issued().receipt().receiptNumber());
        assertThat(sale.signature().get().invcNo()).isEqualTo(1);
        assertThat(sale.signature().get().rcptSign()).isEqualTo(first.rcptSign());
        assertThat(sale.signature().get().intrlData()).isEqualTo(first.intrlData());
        assertThat(sale.signature().get().sdcId()).isEqualTo(reg.sdcId());
        assertThat(sale.signature().get().cuInvoiceNo(KraConfig.CU_NO_RECEIPT)).isEqualTo(first.cuInvoiceNo());
        AcceptedInvoice note = branch.invoice(3).orElseThrow();
        assertThat(note.rcptTyCd()).isEqualTo("R");
        assertThat(note.orgInvcNo()).isEqualTo(1);
        assertThat(note.rfdRsnCd()).isEqualTo("03"); // "Damaged" matched in class 32
        assertThat(note.totAmt()).isEqualByComparingTo("522.00");
        try (Connection c = agent.newStateConnection()) {
          assertThat(Counters.get(c, KraState.invoiceCounter(KraSimHarness.PIN, "00"))).isEqualTo(3);
          assertThat(Outbox.pendingCount(c)).isZero();
          assertThat(agent.secrets().exists(c, KraState.CMC_KEY)).isTrue();
        }
        String printed = kra.render(credit.issued().receipt().receiptNumber(), false, 48);
        assertThat(printed).contains("ORIGINAL CU INVOICE NO.#: " + first.cuInvoiceNo());
        assertThat(printed).contains("CU INVOICE NO.: " + note.cuInvoiceNo());
      }
    }
  }

  @Test
  void anInitialisedDeviceIsNotInitialisedAgainUnlessForced() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.OSCU)) {
      KraRegistrar.Registered reg = h.register();
      assertThatThrownBy(h::register).isInstanceOf(FiscalException.class)
          .satisfies(e -> assertThat(((FiscalException) e).code()).isEqualTo(ErrorCode.DEVICE_ALREADY_INITIALISED))
          .hasMessageContaining(reg.sdcId());
      // Forced, eTIMS answers 902 and hands out no key: the stored key must survive.
      assertThatThrownBy(() -> h.register(Map.of(), true)).isInstanceOf(FiscalException.class)
          .hasMessageContaining("902");
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
        agent.core().openDay();
        assertThat(kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B"))).signature())
            .isPresent();
      }
    }
  }

  @Test
  void aCommittedSaleWhoseAnswerWasLostIsReconciledNotResent() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.OSCU)) {
      h.register();
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
        agent.core().openDay();
        h.sim.faults().dropAfterCommit(io.fiscald.sim.kra.EtimsEndpoint.SAVE_SALE, 1);
        IssuedReceipt r = kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B"))).issued();
        assertThat(kra.signature(r.receipt().receiptNumber())).isEmpty();
        assertThat(h.sim.branch(KraSimHarness.PIN, "00").invcNos()).containsExactly(1L);
        KraSync.Result result = kra.sync();
        assertThat(result.sent()).isEqualTo(1);
        assertThat(kra.signature(r.receipt().receiptNumber()).orElseThrow().invcNo()).isEqualTo(1);
        assertThat(h.sim.branch(KraSimHarness.PIN, "00").invcNos()).containsExactly(1L);
        kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B")));
        assertThat(h.sim.branch(KraSimHarness.PIN, "00").invcNos()).containsExactly(1L, 2L);
      }
    }
  }

  @Test
  void timeoutAfterCommitKeepsTheNumberAndReconciles() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.VSCU)) {
      h.register(Map.of("callTimeoutSeconds", 1), false);
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
        agent.core().openDay();
        h.sim.faults().timeoutAfterCommit(io.fiscald.sim.kra.EtimsEndpoint.SAVE_SALE, 1);
        String number = kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B"))).issued()
            .receipt().receiptNumber();
        kra.sync(); // waits for the first call to time out, then reconciles
        KraSync.Result again = kra.sync();
        assertThat(again.pending()).isZero();
        assertThat(kra.signature(number).orElseThrow().invcNo()).isEqualTo(1);
        assertThat(h.sim.branch(KraSimHarness.PIN, "00").invcNos()).containsExactly(1L);
      }
    }
  }

  @Test
  void duplicate994AndServerErrorsAreRetriedInOrderWithoutSkipping() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.OSCU)) {
      h.register();
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
        agent.core().openDay();
        h.sim.faults().duplicate994(io.fiscald.sim.kra.EtimsEndpoint.SAVE_SALE, 1);
        h.sim.faults().serverError(io.fiscald.sim.kra.EtimsEndpoint.SAVE_SALE, 1);
        kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B")));
        kra.issue(KraFixtures.sale(null, "58.00", line("Soap", "0.5", "116.00", "B")));
        for (int i = 0; i < 4 && kra.sync().pending() > 0; i++) {
          // each drain gets past at most one fault
        }
        BranchSnapshot branch = h.sim.branch(KraSimHarness.PIN, "00");
        assertThat(branch.invcNos()).containsExactly(1L, 2L);
        assertThat(branch.invoice(1).orElseThrow().trdInvcNo()).isEqualTo("INV-000001");
        assertThat(branch.invoice(2).orElseThrow().trdInvcNo()).isEqualTo("INV-000002");
      }
    }
  }

  @Test
  void expectedNumberIsHealedInBothDirections() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.OSCU, io.fiscald.sim.kra.EtimsSimulator.Options
        .defaults().sequenceMessage(io.fiscald.sim.kra.SequenceMessage.USE_EXPECTED_VALUE))) {
      h.register();
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock);
          Connection c = agent.newStateConnection()) {
        agent.core().openDay();
        String counter = KraState.invoiceCounter(KraSimHarness.PIN, "00");
        Counters.set(c, counter, 5); // ahead: eTIMS expects 1
        kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B")));
        kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B")));
        Counters.set(c, counter, 0); // behind, as after restoring an old backup: 1 and 2 are taken by others
        kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B")));
        BranchSnapshot branch = h.sim.branch(KraSimHarness.PIN, "00");
        assertThat(branch.invcNos()).containsExactly(1L, 2L, 3L);
        assertThat(branch.invoices()).extracting(AcceptedInvoice::trdInvcNo)
            .containsExactly("INV-000001", "INV-000002", "INV-000003");
        assertThat(Counters.get(c, counter)).isEqualTo(3);
      }
    }
  }

  @Test
  void aRejectionReleasesTheNumberStoresTheErrorAndTheQueueMovesOn() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.OSCU)) {
      h.register();
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock);
          Connection c = agent.newStateConnection()) {
        agent.core().openDay();
        h.sim.setTaxRate("E", java.math.BigDecimal.ZERO); // the live gateway's E; our cached list still says 8
        String bad = kra.issue(KraFixtures.sale(null, "108.00", line("Diesel", "1", "108.00", "E"))).issued()
            .receipt().receiptNumber();
        OutboxMessage rejected = kra.outboxOf(bad).orElseThrow();
        assertThat(rejected.status()).isEqualTo("REJECTED");
        // KRA's own wording: E at 0 % leaves the whole 108.00 taxable
        assertThat(rejected.lastError()).contains("Invalid taxblAmt on item: 1. Expected: 108.00, But Found: 100.00");
        assertThat(Counters.get(c, KraState.invoiceCounter(KraSimHarness.PIN, "00"))).isZero();
        kra.refreshCodes();
        KraRuntime.Signed good = kra.issue(KraFixtures.sale(null, "108.00", line("Diesel", "1", "108.00", "E")));
        assertThat(good.signature().orElseThrow().invcNo()).isEqualTo(1); // the released number
        assertThat(good.issued().receipt().taxMinor()).isZero();
      }
    }
  }

  @Test
  void closingTheAgentMidBacklogLosesNothingAndNeverSkipsOrReusesANumber() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.VSCU)) {
      h.register();
      List<String> numbers = new java.util.ArrayList<>();
      try (Agent agent = h.open()) {
        agent.core().openDay();
        h.sim.faults().refuseConnections(true); // offline: the backlog builds up
        try (KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
          for (int i = 1; i <= 6; i++) {
            numbers.add(kra.issue(KraFixtures.sale(null, "116.00", line("Item " + (i % 2), "1", "116.00", "B")))
                .issued().receipt().receiptNumber());
          }
          assertThat(kra.sync().pending()).isEqualTo(6);
          h.sim.faults().refuseConnections(false);
        }
        // A drainer sends two, then the third is committed at KRA but its answer is lost, and the agent goes away.
        try (Connection c = agent.newStateConnection();
            var client = KraClients.create(KraState.requireConfig(c), c, agent.secrets(), true, h.clock)) {
          KraSync drainer = new KraSync(c, agent.secrets(), client, KraState.requireConfig(c), h.clock);
          assertThat(drainer.drain(2, true).sent()).isEqualTo(2);
          h.sim.faults().dropAfterCommit(io.fiscald.sim.kra.EtimsEndpoint.SAVE_SALE, 1);
          KraSync.Result cut = drainer.drain(1, true);
          assertThat(cut.sent()).isZero();
          assertThat(cut.pending()).isEqualTo(4);
          assertThat(h.sim.branch(KraSimHarness.PIN, "00").invcNos()).containsExactly(1L, 2L, 3L);
        }
      }
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
        KraSync.Result rest = kra.sync();
        assertThat(rest.pending()).isZero();
        assertThat(rest.sent()).isEqualTo(4);
        for (int i = 0; i < numbers.size(); i++) {
          assertThat(kra.signature(numbers.get(i)).orElseThrow().invcNo()).isEqualTo(i + 1);
        }
      }
      BranchSnapshot branch = h.sim.branch(KraSimHarness.PIN, "00");
      assertThat(branch.invcNos()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(branch.invoices()).extracting(AcceptedInvoice::trdInvcNo).containsExactlyElementsOf(numbers);
    }
  }
}
