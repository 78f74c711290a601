package io.fiscald.agent.authority.kra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fiscald.agent.authority.StateTransaction;
import io.fiscald.agent.authority.kra.client.EtimsCallException;
import io.fiscald.agent.authority.kra.client.EtimsClient;
import io.fiscald.agent.authority.kra.client.EtimsEndpoint;
import io.fiscald.agent.authority.kra.client.EtimsResponse;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.Counters;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stock movements for devices configured to track stock (sheet §14, §16): a goods item is stocked in
 * before its first sale, and every accepted sale (credit note) is followed by a stock out (return in)
 * and the new remaining quantity. Moves wait in a queue in {@code authority_state} and are sent in
 * order with the strict {@code sarNo} sequence, healed from "Expected: N".
 */
final class KraStock {
  private static final Logger log = LoggerFactory.getLogger(KraStock.class);
  private static final Pattern SAR_EXPECTED = Pattern.compile("sarNo:?\\s*Expected:?\\s*(\\d+)", Pattern.CASE_INSENSITIVE);
  static final String QUEUE = "stockQueue";
  static final String LEVELS = "stockLevels";

  private final Connection c;
  private final EtimsClient client;
  private final KraConfig config;
  private final Clock clock;

  KraStock(Connection c, EtimsClient client, KraConfig config, Clock clock) {
    this.c = c;
    this.client = client;
    this.config = config;
    this.clock = clock;
  }

  /** Queues an opening stock-in for each goods item that has none yet (before the sale that needs it). */
  void openFor(List<KraItem> items, List<KraLineAmounts> lines) {
    ObjectNode levels = levels();
    for (int i = 0; i < items.size(); i++) {
      KraItem item = items.get(i);
      if (item.goods() && !levels.has(item.itemCd())) {
        BigDecimal qty = config.openingStockQty();
        KraLineAmounts a = lines.get(i);
        queue("06", List.of(new Move(item, qty, a.prc())));
        levels.put(item.itemCd(), qty);
      }
    }
    KraState.putDocument(c, LEVELS, levels, now());
  }

  /** Queues the stock out of an accepted sale ({@code 11}) or the return in of a credit note ({@code 03}). */
  void afterSale(List<KraItem> items, List<KraLineAmounts> lines, boolean credit) {
    ObjectNode levels = levels();
    List<Move> moves = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      KraItem item = items.get(i);
      if (item.goods()) {
        KraLineAmounts a = lines.get(i);
        moves.add(new Move(item, a.qty(), a.prc()));
        BigDecimal now = levels.path(item.itemCd()).decimalValue();
        levels.put(item.itemCd(), credit ? now.add(a.qty()) : now.subtract(a.qty()));
      }
    }
    if (!moves.isEmpty()) {
      queue(credit ? "03" : "11", moves);
      KraState.putDocument(c, LEVELS, levels, now());
    }
  }

  /**
   * Sends queued moves in order; false when eTIMS could not take one now (it stays queued). Each move is
   * removed from the queue in the same transaction that advances the {@code sarNo} counter.
   */
  boolean flush() {
    while (true) {
      ArrayNode queue = queueDoc();
      if (queue.isEmpty()) {
        return true;
      }
      if (!send(queue.get(0))) {
        return false;
      }
    }
  }

  /**
   * Sends the head of the queue. Its {@code sarNo} is written on the queued move before the call, so a move
   * whose answer was lost (timeout, dropped connection, kill) goes again with the same number. eTIMS has no
   * lookup for stock movements: if it then expects exactly that number + 1, the earlier send is taken as
   * committed (the device is the only writer of its branch's sarNo sequence) and the move is not sent again.
   */
  private boolean send(JsonNode move) {
    boolean resend = move.hasNonNull("sarNo");
    long sarNo = resend ? move.get("sarNo").asLong() : counter() + 1;
    if (!resend) {
      long pinned = sarNo;
      inTransaction(() -> pinHead(pinned));
    }
    for (int heal = 0; heal < 3; heal++) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("sarNo", sarNo);
      body.put("orgSarNo", 0); // an integer, never null (sheet §13)
      body.put("regTyCd", "A");
      body.put("custTin", null);
      body.put("custNm", null);
      body.put("custBhfId", null);
      body.put("sarTyCd", move.get("sarTyCd").asText());
      body.put("ocrnDt", KraDates.day(Instant.parse(move.get("at").asText())));
      body.put("totItemCnt", move.get("items").size());
      BigDecimal totTaxbl = BigDecimal.ZERO.setScale(2);
      BigDecimal totTax = BigDecimal.ZERO.setScale(2);
      BigDecimal totAmt = BigDecimal.ZERO.setScale(2);
      java.util.List<Map<String, Object>> items = new java.util.ArrayList<>();
      int seq = 0;
      KraRates rates = KraState.rates(c, config);
      for (JsonNode it : move.get("items")) {
        KraBand band = KraBand.valueOf(it.get("taxTyCd").asText());
        KraLineAmounts a = KraArithmetic.line(band, it.get("qty").decimalValue(), it.get("prc").decimalValue(),
            BigDecimal.ZERO, rates.rate(band), config.prices());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("itemSeq", ++seq);
        line.put("itemCd", it.get("itemCd").asText());
        line.put("itemClsCd", it.get("itemClsCd").asText());
        line.put("itemNm", it.get("itemNm").asText());
        line.put("bcd", null);
        line.put("pkgUnitCd", it.get("pkgUnitCd").asText());
        line.put("pkg", a.qty());
        line.put("qtyUnitCd", it.get("qtyUnitCd").asText());
        line.put("qty", a.qty());
        line.put("itemExprDt", null);
        line.put("prc", a.prc());
        line.put("splyAmt", a.splyAmt());
        line.put("totDcAmt", BigDecimal.ZERO.setScale(2));
        line.put("taxblAmt", a.taxblAmt());
        line.put("taxTyCd", band.name());
        line.put("taxAmt", a.taxAmt());
        line.put("totAmt", a.totAmt()); // never empty (sheet §6.1)
        items.add(line);
        totTaxbl = totTaxbl.add(a.taxblAmt());
        totTax = totTax.add(a.taxAmt());
        totAmt = totAmt.add(a.totAmt());
      }
      body.put("totTaxblAmt", totTaxbl);
      body.put("totTaxAmt", totTax);
      body.put("totAmt", totAmt);
      body.put("remark", null);
      body.put("regrId", config.registrantId());
      body.put("regrNm", config.registrantId());
      body.put("modrId", config.registrantId());
      body.put("modrNm", config.registrantId());
      body.put("itemList", items);
      EtimsResponse r;
      try {
        r = client.call(EtimsEndpoint.SAVE_STOCK_IO, body);
      } catch (EtimsCallException e) {
        log.warn("stock move {} not sent: {}", sarNo, e.getMessage());
        return false;
      }
      if (r.succeeded()) {
        long done = sarNo;
        inTransaction(() -> settleHead(done));
        return masters(move);
      }
      OptionalLong expected = expectedSarNo(r.resultMsg());
      if (expected.isPresent() && resend && expected.getAsLong() == sarNo + 1) {
        // The earlier send of this number was committed; its answer was lost.
        log.warn("eTIMS expects sarNo {} after a resend of {}: the earlier send was committed; not sending it again",
            expected.getAsLong(), sarNo);
        long done = sarNo;
        inTransaction(() -> settleHead(done));
        return masters(move);
      }
      if (expected.isPresent() && expected.getAsLong() != sarNo) {
        long next = expected.getAsLong();
        log.warn("eTIMS expected sarNo {} where {} was sent; healing", next, sarNo);
        inTransaction(() -> {
          Counters.set(c, KraState.stockCounter(config.pin(), config.bhfId()), next - 1);
          pinHead(next);
        });
        sarNo = next;
        resend = false;
        continue;
      }
      if (r.transientFailure()) {
        log.warn("stock move {} not taken now: {}", sarNo, r.describe());
        return false;
      }
      // A refused move cannot block sales for ever: logged as an alert, dropped from the queue.
      log.warn("ALERT eTIMS refused stock move {} ({}): {}", sarNo, move.get("sarTyCd").asText(), r.describe());
      inTransaction(() -> settleHead(-1));
      return true;
    }
    return false;
  }

  private long counter() {
    return Counters.get(c, KraState.stockCounter(config.pin(), config.bhfId()));
  }

  /** Writes {@code sarNo} on the head of the queue (before it is sent). */
  private void pinHead(long sarNo) {
    ArrayNode queue = queueDoc();
    ((ObjectNode) queue.get(0)).put("sarNo", sarNo);
    KraState.putDocument(c, QUEUE, queue, now());
  }

  /** The head is done: removed from the queue and, unless refused ({@code sarNo < 1}), the counter advanced. */
  private void settleHead(long sarNo) {
    if (sarNo > 0 && counter() < sarNo) {
      Counters.set(c, KraState.stockCounter(config.pin(), config.bhfId()), sarNo);
    }
    ArrayNode rest = queueDoc();
    rest.remove(0);
    KraState.putDocument(c, QUEUE, rest, now());
  }

  private void inTransaction(Runnable work) {
    StateTransaction.run(c, "write the KRA stock state", work);
  }

  /** The new remaining quantity of each item moved ({@code saveStockMaster}, after its stock IO). */
  private boolean masters(JsonNode move) {
    ObjectNode levels = levels();
    for (JsonNode it : move.get("items")) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("itemCd", it.get("itemCd").asText());
      body.put("rsdQty", levels.path(it.get("itemCd").asText()).decimalValue());
      body.put("regrId", config.registrantId());
      body.put("regrNm", config.registrantId());
      body.put("modrId", config.registrantId());
      body.put("modrNm", config.registrantId());
      try {
        EtimsResponse r = client.call(EtimsEndpoint.SAVE_STOCK_MASTER, body);
        if (!r.succeeded()) {
          log.warn("saveStockMaster {}: {}", it.get("itemCd").asText(), r.describe());
        }
      } catch (EtimsCallException e) {
        log.warn("saveStockMaster {} not sent: {}", it.get("itemCd").asText(), e.getMessage());
      }
    }
    return true;
  }

  static OptionalLong expectedSarNo(String message) {
    Matcher m = SAR_EXPECTED.matcher(message == null ? "" : message);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  private record Move(KraItem item, BigDecimal qty, BigDecimal prc) {}

  private void queue(String sarTyCd, List<Move> moves) {
    ArrayNode queue = queueDoc();
    ObjectNode move = queue.addObject();
    move.put("sarTyCd", sarTyCd);
    move.put("at", clock.instant().toString());
    ArrayNode items = move.putArray("items");
    for (Move m : moves) {
      items.addObject().put("itemCd", m.item().itemCd()).put("itemClsCd", m.item().itemClsCd())
          .put("itemNm", m.item().itemNm()).put("pkgUnitCd", m.item().pkgUnitCd())
          .put("qtyUnitCd", m.item().qtyUnitCd()).put("taxTyCd", m.item().taxTyCd()).put("qty", m.qty())
          .put("prc", m.prc());
    }
    KraState.putDocument(c, QUEUE, queue, now());
  }

  private ArrayNode queueDoc() {
    return KraState.document(c, QUEUE).filter(JsonNode::isArray).map(n -> (ArrayNode) KraJson.read(n.toString()))
        .orElseGet(() -> (ArrayNode) KraJson.read("[]"));
  }

  private ObjectNode levels() {
    return KraState.document(c, LEVELS).filter(JsonNode::isObject).map(n -> (ObjectNode) KraJson.read(n.toString()))
        .orElseGet(() -> (ObjectNode) KraJson.read("{}"));
  }

  private String now() {
    return Timestamps.format(clock.instant());
  }
}
