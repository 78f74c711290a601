package io.fiscald.sim.kra;

import java.math.BigDecimal;
import java.util.List;

/** An accepted {@code insertStockIO} (sheet §2 #19, §16): its {@code sarNo} chain, type (class 12) and lines. */
public record StockMove(long sarNo, long orgSarNo, String sarTyCd, String ocrnDt, List<Line> items,
    String requestJson) {

  /** One stock line: the item and the quantity moved (always positive; the direction is in {@code sarTyCd}). */
  public record Line(int itemSeq, String itemCd, BigDecimal qty, BigDecimal totAmt) {
  }

  /** True for the incoming types {@code 01}–{@code 06} of class 12. */
  public boolean incoming() {
    return sarTyCd.compareTo("10") < 0;
  }
}
