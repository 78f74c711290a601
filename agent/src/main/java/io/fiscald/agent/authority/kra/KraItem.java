package io.fiscald.agent.authority.kra;

/**
 * An item as registered with eTIMS ({@code saveItem}) before its first sale (sheet §14).
 *
 * @param key how fiscald recognises the item on a receipt line: its POS code, else its name, with the band
 * @param registered whether eTIMS accepted its {@code saveItem}
 */
public record KraItem(
    String key,
    String itemCd,
    String itemClsCd,
    String itemTyCd,
    String itemNm,
    String pkgUnitCd,
    String qtyUnitCd,
    String taxTyCd,
    boolean registered) {

  public KraItem asRegistered() {
    return new KraItem(key, itemCd, itemClsCd, itemTyCd, itemNm, pkgUnitCd, qtyUnitCd, taxTyCd, true);
  }

  /** Goods (raw material, finished product) move stock; services (type 3) do not (sheet §14). */
  public boolean goods() {
    return !"3".equals(itemTyCd);
  }

  /** The key of a receipt line: POS code if it has one, else its name; with its band, since the item carries it. */
  public static String keyOf(String code, String name, String band) {
    return (code != null && !code.isBlank() ? "code:" + code : "name:" + name) + "|" + band;
  }
}
