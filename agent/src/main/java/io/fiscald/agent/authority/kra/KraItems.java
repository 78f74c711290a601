package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.store.Counters;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The items this PIN has (or will have) registered with eTIMS, keyed by how receipt lines name them;
 * each new item takes the next 7-digit sequence of the PIN (sheet §3) and is registered with
 * {@code saveItem} before its first sale (§14).
 */
public final class KraItems {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KraItems() {}

  /** The item of a receipt line, created (not yet registered) with the next sequence if it is new. */
  public static KraItem forLine(Connection c, KraConfig config, FiscalReceipt.Line line, String now) {
    String key = KraItem.keyOf(line.code(), line.name(), line.taxCode());
    Optional<KraItem> known = find(c, key);
    if (known.isPresent()) {
      return known.get();
    }
    String counter = KraState.itemCounter(config.pin());
    long seq = Counters.get(c, counter) + 1;
    KraItem item = draft(config, line, seq);
    Counters.set(c, counter, seq);
    save(c, item, now);
    return item;
  }

  /**
   * An item for a line with a given sequence, units and type from the device's defaults; a 2-character unit
   * on the line is used as the quantity unit (KRA refuses other lengths, sheet §3).
   */
  public static KraItem draft(KraConfig config, FiscalReceipt.Line line, long seq) {
    String unit = line.unit() == null ? null : line.unit().trim().toUpperCase(Locale.ROOT);
    String qtyUnit = unit != null && unit.matches("[A-Z0-9]{2}") ? unit : config.defaultQuantityUnit();
    ItemCode code = new ItemCode(config.originCountry(), config.defaultItemType(), config.defaultPackagingUnit(),
        qtyUnit, seq);
    return new KraItem(KraItem.keyOf(line.code(), line.name(), line.taxCode()), code.code(), config.defaultItemClass(),
        config.defaultItemType(), line.name(), config.defaultPackagingUnit(), qtyUnit, line.taxCode(), false);
  }

  public static Optional<KraItem> find(Connection c, String key) {
    JsonNode node = KraState.document(c, KraState.ITEMS).map(n -> n.get(key)).orElse(null);
    return node == null ? Optional.empty() : Optional.of(JSON.convertValue(node, KraItem.class));
  }

  public static void save(Connection c, KraItem item, String now) {
    ObjectNode doc = KraState.document(c, KraState.ITEMS).map(n -> (ObjectNode) n).orElse(JSON.createObjectNode());
    doc.set(item.key(), JSON.valueToTree(item));
    KraState.putDocument(c, KraState.ITEMS, doc, now);
  }

  public static List<KraItem> all(Connection c) {
    List<KraItem> out = new ArrayList<>();
    KraState.document(c, KraState.ITEMS).ifPresent(doc -> doc.forEach(n -> out.add(JSON.convertValue(n, KraItem.class))));
    out.sort(java.util.Comparator.comparing(KraItem::itemCd));
    return out;
  }

  /** The {@code saveItem} request of an item (sheet §2 row 11). */
  public static java.util.Map<String, Object> saveItemBody(KraItem item, java.math.BigDecimal defaultPrice,
      String registrant) {
    java.util.Map<String, Object> b = new java.util.LinkedHashMap<>();
    b.put("itemCd", item.itemCd());
    b.put("itemClsCd", item.itemClsCd());
    b.put("itemTyCd", item.itemTyCd());
    b.put("itemNm", item.itemNm());
    b.put("itemStdNm", null);
    b.put("orgnNatCd", item.itemCd().substring(0, 2));
    b.put("pkgUnitCd", item.pkgUnitCd());
    b.put("qtyUnitCd", item.qtyUnitCd());
    b.put("taxTyCd", item.taxTyCd());
    b.put("btchNo", null);
    b.put("bcd", null);
    b.put("dftPrc", defaultPrice);
    b.put("grpPrcL1", null);
    b.put("grpPrcL2", null);
    b.put("grpPrcL3", null);
    b.put("grpPrcL4", null);
    b.put("grpPrcL5", null);
    b.put("addInfo", null);
    b.put("sftyQty", null);
    b.put("isrcAplcbYn", "N");
    b.put("useYn", "Y");
    b.put("regrId", registrant);
    b.put("regrNm", registrant);
    b.put("modrId", registrant);
    b.put("modrNm", registrant);
    return b;
  }
}
