package io.fiscald.agent.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fiscald.agent.tax.Money;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Any valid request, rendered to JSON in any of the accepted spellings, parses back to itself. */
class ReceiptRequestParserProperties {
  private static final ReceiptRequestParser PARSER = new ReceiptRequestParser();
  private static final JsonFactory JSON = new JsonFactory();

  @Property(tries = 300)
  void parseOfRenderIsIdentity(@ForAll("requests") ReceiptRequest request, @ForAll Random spelling) {
    String json = render(request, spelling);
    assertThat(PARSER.parse(json)).as(json).isEqualTo(request);
    assertThat(PARSER.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(request);
  }

  @Provide
  Arbitrary<ReceiptRequest> requests() {
    Arbitrary<String> currency = Arbitraries.of("KES", "USD", "JPY", "KWD", "ZAR", "UGX");
    return Combinators.combine(Arbitraries.of(ReceiptType.class), currency, Arbitraries.of(true, false))
        .flatAs((type, cur, inclusive) -> {
          int digits = Money.minorDigits(cur);
          return Combinators.combine(
              line(digits).list().ofMinSize(1).ofMaxSize(8),
              payment(digits).list().ofMinSize(1).ofMaxSize(4),
              buyer().injectNull(0.4),
              receiptNumber(),
              text(250))
              .as((lines, payments, buyer, number, reason) -> new ReceiptRequest(type, cur, inclusive, lines, payments,
                  buyer, type.isNote() ? new OriginalReference(number) : null, type.isNote() ? reason : null));
        });
  }

  private static Arbitrary<ReceiptLine> line(int digits) {
    Arbitrary<BigDecimal> discount = decimal(0, 1_000_000_000_000_000L, digits);
    return Combinators.combine(
        text(200),
        decimal(1, 1_000_000, 3),                       // quantity: the scale keeps it ≤ 1 000 000
        decimal(0, 1_000_000_000_000L, digits + 2),     // unit price ≤ 10^12
        token(1, 8),
        token(1, 64).injectNull(0.5),
        Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(BigDecimal.ZERO)), Tuple.of(1, discount)),
        token(1, 32).injectNull(0.5),
        Arbitraries.of("kg", "pcs", "l", "m²").injectNull(0.5))
        .as(ReceiptLine::new);
  }

  private static Arbitrary<Payment> payment(int digits) {
    return Combinators.combine(Arbitraries.of(PaymentMethod.class),
        decimal(1, 1_000_000_000_000_000L, digits), token(1, 64).injectNull(0.5)).as(Payment::new);
  }

  private static Arbitrary<Buyer> buyer() {
    Arbitrary<String> tin = Arbitraries.strings().withCharRange('A', 'Z').numeric().withChars('-')
        .ofMinLength(1).ofMaxLength(20);
    return Combinators.combine(text(200).injectNull(0.3), tin.injectNull(0.3)).as(Buyer::new)
        .filter(b -> b.name() != null || b.tin() != null);
  }

  private static Arbitrary<String> receiptNumber() {
    return Arbitraries.longs().between(1, 999_999_999).map(n -> "INV-" + n);
  }

  /** Free text: letters, punctuation that JSON must escape, non-Latin letters and an emoji. */
  private static Arbitrary<String> text(int maxLength) {
    return Arbitraries.strings().alpha().numeric().withChars(' ', '"', '\\', '/', '\'', 'é', 'ñ', '€', 'ü', 'Ж')
        .ofMinLength(1).ofMaxLength(Math.min(maxLength - 2, 60))
        .map(s -> s.hashCode() % 5 == 0 ? s + "🍞" : s) // a surrogate pair counts as one character
        .filter(s -> !s.isBlank());
  }

  private static Arbitrary<String> token(int min, int max) {
    return Arbitraries.strings().alpha().numeric().withChars('-', '.', '_').ofMinLength(min).ofMaxLength(max);
  }

  /** A decimal with between 0 and {@code maxScale} decimals, from {@code minUnscaled}, and at most {@code max}. */
  private static Arbitrary<BigDecimal> decimal(long minUnscaled, long max, int maxScale) {
    return Arbitraries.integers().between(0, maxScale).flatMap(scale -> {
      long maxUnscaled = BigDecimal.valueOf(max).movePointRight(scale).min(BigDecimal.valueOf(Long.MAX_VALUE))
          .longValueExact();
      return Arbitraries.longs().between(minUnscaled, maxUnscaled).map(u -> BigDecimal.valueOf(u, scale));
    });
  }

  /**
   * Renders {@code r} as the POS contract describes, choosing at random between the accepted spellings:
   * amounts as strings or numbers, defaults written out or left out.
   */
  static String render(ReceiptRequest r, Random spelling) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      if (r.type() != ReceiptType.INVOICE || spelling.nextBoolean()) {
        g.writeStringField("type", r.type().name());
      }
      g.writeStringField("currency", r.currency());
      if (!r.pricesIncludeTax() || spelling.nextBoolean()) {
        g.writeBooleanField("pricesIncludeTax", r.pricesIncludeTax());
      }
      g.writeArrayFieldStart("lines");
      for (ReceiptLine line : r.lines()) {
        g.writeStartObject();
        g.writeStringField("name", line.name());
        decimal(g, "quantity", line.quantity(), spelling);
        decimal(g, "unitPrice", line.unitPrice(), spelling);
        g.writeStringField("taxCode", line.taxCode());
        optional(g, "code", line.code(), spelling);
        // An omitted discount reads as BigDecimal.ZERO, so only that exact value may be left out.
        if (!line.discount().equals(BigDecimal.ZERO) || spelling.nextBoolean()) {
          decimal(g, "discount", line.discount(), spelling);
        }
        optional(g, "hsCode", line.hsCode(), spelling);
        optional(g, "unit", line.unit(), spelling);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("payments");
      for (Payment p : r.payments()) {
        g.writeStartObject();
        g.writeStringField("method", p.method().name());
        decimal(g, "amount", p.amount(), spelling);
        optional(g, "reference", p.reference(), spelling);
        g.writeEndObject();
      }
      g.writeEndArray();
      if (r.buyer() != null) {
        g.writeObjectFieldStart("buyer");
        optional(g, "name", r.buyer().name(), spelling);
        optional(g, "tin", r.buyer().tin(), spelling);
        g.writeEndObject();
      } else if (spelling.nextInt(4) == 0) {
        g.writeNullField("buyer");
      }
      if (r.original() != null) {
        g.writeObjectFieldStart("original");
        g.writeStringField("receiptNumber", r.original().receiptNumber());
        g.writeEndObject();
      }
      if (r.reason() != null) {
        g.writeStringField("reason", r.reason());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void decimal(JsonGenerator g, String name, BigDecimal value, Random spelling) throws IOException {
    g.writeFieldName(name);
    if (spelling.nextBoolean()) {
      g.writeString(value.toPlainString());
    } else {
      g.writeNumber(value.toPlainString()); // the literal as a JSON number token, e.g. 522.00
    }
  }

  private static void optional(JsonGenerator g, String name, String value, Random spelling) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    } else if (spelling.nextInt(4) == 0) {
      g.writeNullField(name); // null reads as absent
    }
  }

  @Property(tries = 100)
  void numbersAndStringsParseToTheSameRequest(@ForAll("requests") ReceiptRequest request) {
    String asStrings = render(request, new AllTrue());
    String asNumbers = render(request, new AllFalse());
    assertThat(PARSER.parse(asStrings)).isEqualTo(PARSER.parse(asNumbers)).isEqualTo(request);
  }

  /** Spells every amount as a string and writes every default out. */
  private static final class AllTrue extends Random {
    @Override
    public boolean nextBoolean() {
      return true;
    }
  }

  /** Spells every amount as a number token and leaves defaults out. */
  private static final class AllFalse extends Random {
    @Override
    public boolean nextBoolean() {
      return false;
    }
  }
}
