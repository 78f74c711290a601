package io.fiscald.sim.kra;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consistent copy of one branch's state (PIN + bhfId) for tests: accepted sales and credit notes in invcNo
 * order, registered items, stock moves, computed stock and the last {@code saveStockMaster} quantities.
 */
public record BranchSnapshot(String tin, String bhfId, long lastInvcNo, List<AcceptedInvoice> invoices,
    Map<String, RegisteredItem> items, long lastSarNo, List<StockMove> stockMoves,
    Map<String, BigDecimal> stockQuantities, Map<String, BigDecimal> stockMaster, long lastPurchaseInvcNo,
    List<DeviceInfo> devices) {

  /** The accepted document numbered {@code invcNo}, if any. */
  public Optional<AcceptedInvoice> invoice(long invcNo) {
    return invoices.stream().filter(i -> i.invcNo() == invcNo).findFirst();
  }

  /** The invcNo values accepted, in order; a correct client produces 1, 2, 3, … with no gap. */
  public List<Long> invcNos() {
    return invoices.stream().map(AcceptedInvoice::invcNo).toList();
  }
}
