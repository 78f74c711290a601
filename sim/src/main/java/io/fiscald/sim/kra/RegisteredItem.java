package io.fiscald.sim.kra;

import java.math.BigDecimal;

/** An item saved with {@code saveItem} for a branch (sheet §2 #11, §3). */
public record RegisteredItem(String itemCd, String itemClsCd, String itemTyCd, String itemNm, String orgnNatCd,
    String pkgUnitCd, String qtyUnitCd, String taxTyCd, BigDecimal dftPrc, String useYn) {

  /** Goods (product types 1 and 2 of class 24) need stock before a sale; services (3) do not (sheet §14). */
  public boolean goods() {
    return !"3".equals(itemTyCd);
  }
}
