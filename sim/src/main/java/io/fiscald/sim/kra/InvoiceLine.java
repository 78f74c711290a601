package io.fiscald.sim.kra;

import java.math.BigDecimal;

/** One accepted line of a sale or credit note, amounts as sent (and verified, sheet §6.1). */
public record InvoiceLine(int itemSeq, String itemCd, String itemClsCd, String itemNm, BigDecimal qty,
    BigDecimal prc, BigDecimal splyAmt, BigDecimal dcAmt, String taxTyCd, BigDecimal taxblAmt, BigDecimal taxAmt,
    BigDecimal totAmt) {
}
