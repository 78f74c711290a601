package io.fiscald.agent.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.store.CanonicalJson;
import io.fiscald.store.StoreException;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Comparator;
import java.util.function.Predicate;

/**
 * The canonical JSON of a {@link FiscalReceipt}, streamed field by field in sorted order instead of
 * through a Jackson tree ({@link CanonicalJson#write}): the writer thread makes one per receipt, and the
 * tree was a fifth of its work. The bytes must be exactly those of {@code CanonicalJson.write} (the chain
 * hashes them); {@code ReceiptJsonTest} compares both over generated receipts. Strings go through the
 * same Jackson generator, so escaping is Jackson's own.
 */
final class ReceiptJson {
  private static final JsonFactory FACTORY = CanonicalJson.mapper().getFactory();

  /** Writes one property of {@code T}. */
  private interface Field<T> {
    void write(JsonGenerator g, T value) throws IOException;
  }

  private static final List<Prop<FiscalReceipt>> RECEIPT = sorted(List.of(
      prop("deviceId", (g, r) -> g.writeString(r.deviceId())),
      prop("authority", (g, r) -> g.writeString(r.authority())),
      prop("receiptNumber", (g, r) -> g.writeString(r.receiptNumber())),
      prop("type", (g, r) -> g.writeString(r.type() == null ? null : r.type().name())),
      prop("dayNo", (g, r) -> g.writeNumber(r.dayNo())),
      prop("dayCounter", (g, r) -> g.writeNumber(r.dayCounter())),
      prop("globalNo", (g, r) -> g.writeNumber(r.globalNo())),
      prop("invoiceNo", (g, r) -> g.writeNumber(r.invoiceNo())),
      prop("issuedAt", (g, r) -> g.writeString(r.issuedAt())),
      prop("currency", (g, r) -> g.writeString(r.currency())),
      prop("minorDigits", (g, r) -> g.writeNumber(r.minorDigits())),
      prop("pricesIncludeTax", (g, r) -> g.writeBoolean(r.pricesIncludeTax())),
      prop("lines", (g, r) -> writeArray(g, r.lines(), ReceiptJson.LINE)),
      prop("taxes", (g, r) -> writeArray(g, r.taxes(), ReceiptJson.TAX)),
      prop("netMinor", (g, r) -> g.writeNumber(r.netMinor())),
      prop("taxMinor", (g, r) -> g.writeNumber(r.taxMinor())),
      prop("totalMinor", (g, r) -> g.writeNumber(r.totalMinor())),
      prop("payments", (g, r) -> writeArray(g, r.payments(), ReceiptJson.PAID)),
      prop("paidMinor", (g, r) -> g.writeNumber(r.paidMinor())),
      prop("changeMinor", (g, r) -> g.writeNumber(r.changeMinor())),
      prop("buyer", (g, r) -> writeObject(g, r.buyer(), ReceiptJson.BUYER)),
      prop("originalNumber", (g, r) -> g.writeString(r.originalNumber())),
      prop("reason", (g, r) -> g.writeString(r.reason())),
      prop("authorityFields", (g, r) -> writeSortedMap(g, r.authorityFields())),
      new Prop<>("mode", r -> r.mode() != null, (g, r) -> g.writeString(r.mode().name()))));

  private static final List<Prop<FiscalReceipt.Line>> LINE = sorted(List.of(
      prop("index", (g, l) -> g.writeNumber(l.index())),
      prop("name", (g, l) -> g.writeString(l.name())),
      prop("code", (g, l) -> g.writeString(l.code())),
      prop("hsCode", (g, l) -> g.writeString(l.hsCode())),
      prop("unit", (g, l) -> g.writeString(l.unit())),
      prop("quantity", (g, l) -> g.writeString(l.quantity())),
      prop("unitPrice", (g, l) -> g.writeString(l.unitPrice())),
      prop("discountMinor", (g, l) -> g.writeNumber(l.discountMinor())),
      prop("amountMinor", (g, l) -> g.writeNumber(l.amountMinor())),
      prop("grossMinor", (g, l) -> g.writeNumber(l.grossMinor())),
      prop("netMinor", (g, l) -> g.writeNumber(l.netMinor())),
      prop("taxMinor", (g, l) -> g.writeNumber(l.taxMinor())),
      prop("taxCode", (g, l) -> g.writeString(l.taxCode()))));

  private static final List<Prop<FiscalReceipt.Tax>> TAX = sorted(List.of(
      prop("code", (g, t) -> g.writeString(t.code())),
      prop("label", (g, t) -> g.writeString(t.label())),
      prop("percent", (g, t) -> g.writeString(t.percent())),
      prop("exempt", (g, t) -> g.writeBoolean(t.exempt())),
      prop("netMinor", (g, t) -> g.writeNumber(t.netMinor())),
      prop("taxMinor", (g, t) -> g.writeNumber(t.taxMinor())),
      prop("grossMinor", (g, t) -> g.writeNumber(t.grossMinor()))));

  private static final List<Prop<FiscalReceipt.Paid>> PAID = sorted(List.of(
      prop("method", (g, p) -> g.writeString(p.method())),
      prop("amountMinor", (g, p) -> g.writeNumber(p.amountMinor())),
      prop("reference", (g, p) -> g.writeString(p.reference()))));

  private static final List<Prop<Buyer>> BUYER = sorted(List.of(
      prop("name", (g, b) -> g.writeString(b.name())),
      prop("tin", (g, b) -> g.writeString(b.tin()))));

  private ReceiptJson() {}

  static String write(FiscalReceipt receipt) {
    return write(receipt, RECEIPT);
  }

  /**
   * As {@link #write(FiscalReceipt)}, with the lines, taxes, payments and buyer taken as already
   * written by {@link Parts#of} (on the caller's thread, before the receipt reached the writer). The parts
   * must be made from this receipt's own lines, taxes, payments and buyer (ReceiptAssembler does both).
   */
  static String write(FiscalReceipt receipt, Parts parts) {
    return write(receipt, parts.receiptProps);
  }

  private static String write(FiscalReceipt receipt, List<Prop<FiscalReceipt>> props) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writeObject(g, receipt, props);
    } catch (IOException e) {
      throw new StoreException("cannot encode receipt " + receipt.receiptNumber() + ": " + e.getMessage(), e);
    }
    return out.toString();
  }

  /**
   * The JSON of the parts of a receipt that do not depend on its numbers or on the chain, made once
   * per request off the writer thread; {@link #write(FiscalReceipt, Parts)} splices them in as they are.
   */
  static final class Parts {
    private final List<Prop<FiscalReceipt>> receiptProps;

    private Parts(List<Prop<FiscalReceipt>> receiptProps) {
      this.receiptProps = receiptProps;
    }

    static Parts of(List<FiscalReceipt.Line> lines, List<FiscalReceipt.Tax> taxes, List<FiscalReceipt.Paid> payments,
        Buyer buyer) {
      Map<String, String> raw = Map.of("lines", fragment((g, none) -> writeArray(g, lines, LINE)),
          "taxes", fragment((g, none) -> writeArray(g, taxes, TAX)),
          "payments", fragment((g, none) -> writeArray(g, payments, PAID)),
          "buyer", fragment((g, none) -> writeObject(g, buyer, BUYER)));
      List<Prop<FiscalReceipt>> props = new ArrayList<>(RECEIPT.size());
      for (Prop<FiscalReceipt> p : RECEIPT) {
        String json = raw.get(p.name());
        props.add(json == null ? p : prop(p.name(), (g, r) -> g.writeRawValue(json)));
      }
      return new Parts(props);
    }

    private static String fragment(Field<Void> part) {
      StringWriter out = new StringWriter(512);
      try (JsonGenerator g = FACTORY.createGenerator(out)) {
        part.write(g, null);
      } catch (IOException e) {
        throw new StoreException("cannot encode receipt: " + e.getMessage(), e);
      }
      return out.toString();
    }
  }

  private static <T> void writeObject(JsonGenerator g, T value, List<Prop<T>> props) throws IOException {
    if (value == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (Prop<T> p : props) {
      if (p.present().test(value)) {
        g.writeFieldName(p.name());
        p.writer().write(g, value);
      }
    }
    g.writeEndObject();
  }

  private static <T> void writeArray(JsonGenerator g, List<T> values, List<Prop<T>> props) throws IOException {
    g.writeStartArray();
    for (T v : values) {
      writeObject(g, v, props);
    }
    g.writeEndArray();
  }

  private static void writeSortedMap(JsonGenerator g, Map<String, String> map) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, String> e : (map.size() < 2 ? map : new TreeMap<>(map)).entrySet()) {
      g.writeFieldName(e.getKey());
      g.writeString(e.getValue());
    }
    g.writeEndObject();
  }

  /** One property: its name, whether it is written at all, and how. */
  private record Prop<T>(String name, Predicate<T> present, Field<T> writer) {}

  private static <T> Prop<T> prop(String name, Field<T> writer) {
    return new Prop<>(name, v -> true, writer);
  }

  /** The properties in the order the tree-based writer emits them: names sorted as Java strings. */
  private static <T> List<Prop<T>> sorted(List<Prop<T>> props) {
    List<Prop<T>> out = new ArrayList<>(props);
    out.sort(Comparator.comparing(Prop::name));
    return List.copyOf(out);
  }
}
