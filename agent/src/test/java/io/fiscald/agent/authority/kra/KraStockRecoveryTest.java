package io.fiscald.agent.authority.kra;

import static io.fiscald.agent.authority.kra.KraFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.Agent;
import io.fiscald.sim.kra.BranchSnapshot;
import io.fiscald.sim.kra.EtimsEndpoint;
import io.fiscald.sim.kra.EtimsFaults;
import io.fiscald.sim.kra.StockMove;
import io.fiscald.sim.kra.Transport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stock movements survive lost answers: each sale's stock out and each opening stock in reach eTIMS exactly once. */
class KraStockRecoveryTest {
  @TempDir
  Path tmp;

  @Test
  void aSaleCommittedWhoseAnswerTimedOutStillSendsItsStockOutExactlyOnce() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.VSCU)) {
      h.register(Map.of("callTimeoutSeconds", 1), false);
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
        agent.core().openDay();
        h.sim.faults().timeoutAfterCommit(EtimsEndpoint.SAVE_SALE, 1);
        String number = kra.issue(KraFixtures.sale(null, "232.00", line("Soap", "2", "116.00", "B"))).issued()
            .receipt().receiptNumber();
        kra.sync(); // the first call times out; the sale is then reconciled
        KraSync.Result again = kra.sync();
        assertThat(again.pending()).isZero();
        assertThat(h.sim.faults().fired(EtimsFaults.Kind.TIMEOUT_AFTER_COMMIT)).isEqualTo(1);
        assertThat(kra.signature(number).orElseThrow().invcNo()).isEqualTo(1);
        h.sim.faults().releaseStalled();

        BranchSnapshot branch = h.sim.branch(KraSimHarness.PIN, "00");
        assertThat(branch.invcNos()).containsExactly(1L);
        assertThat(types(branch)).containsExactly("06", "11");
        assertThat(quantity(branch, "11")).isEqualByComparingTo("2");
        assertThat(quantity(branch, "06")).isEqualByComparingTo("1000");
        assertThat(branch.stockQuantities().values()).singleElement()
            .satisfies(q -> assertThat(q).isEqualByComparingTo("998"));
      }
    }
  }

  @Test
  void aStockMoveCommittedWhoseAnswerWasDroppedIsRecordedOnce() throws Exception {
    try (KraSimHarness h = KraSimHarness.start(tmp, Transport.OSCU)) {
      h.register();
      try (Agent agent = h.open(); KraRuntime kra = KraRuntime.attach(agent, h.clock)) {
        agent.core().openDay();
        // The opening stock in is committed but its connection drops: the sale waits for it.
        h.sim.faults().dropAfterCommit(EtimsEndpoint.SAVE_STOCK_IO, 1);
        kra.issue(KraFixtures.sale(null, "232.00", line("Soap", "2", "116.00", "B")));
        assertThat(kra.sync().pending()).isZero();
        // The stock out of the next sale is committed but its connection drops.
        h.sim.faults().dropAfterCommit(EtimsEndpoint.SAVE_STOCK_IO, 1);
        kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B")));
        assertThat(kra.sync().pending()).isZero();
        kra.issue(KraFixtures.sale(null, "116.00", line("Soap", "1", "116.00", "B")));
        assertThat(kra.sync().pending()).isZero();
        assertThat(h.sim.faults().fired(EtimsFaults.Kind.DROP_AFTER_COMMIT)).isEqualTo(2);

        BranchSnapshot branch = h.sim.branch(KraSimHarness.PIN, "00");
        assertThat(branch.invcNos()).containsExactly(1L, 2L, 3L);
        assertThat(types(branch)).containsExactly("06", "11", "11", "11");
        assertThat(branch.stockMoves()).extracting(StockMove::sarNo).containsExactly(1L, 2L, 3L, 4L);
        assertThat(quantity(branch, "06")).isEqualByComparingTo("1000");
        assertThat(quantity(branch, "11")).isEqualByComparingTo("4");
        assertThat(branch.stockQuantities().values()).singleElement()
            .satisfies(q -> assertThat(q).isEqualByComparingTo("996"));
      }
    }
  }

  private static List<String> types(BranchSnapshot branch) {
    return branch.stockMoves().stream().map(StockMove::sarTyCd).toList();
  }

  private static BigDecimal quantity(BranchSnapshot branch, String sarTyCd) {
    return branch.stockMoves().stream().filter(m -> m.sarTyCd().equals(sarTyCd))
        .flatMap(m -> m.items().stream()).map(StockMove.Line::qty).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
