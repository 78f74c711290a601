package io.fiscald.agent.tax;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptLine;
import io.fiscald.agent.receipt.ReceiptRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Taxes a receipt request in exact decimal: the one place in fiscald where money is rounded, always
 * half-up to the currency's minor unit. Stateless and thread-safe.
 *
 * <p>Guarantees: every amount of the result is a non-negative long in minor units; for every tax group
 * net + tax = gross exactly; the receipt's net, tax and total are the sums of its groups; payments
 * cover the total and any change comes out of cash.
 */
public final class TaxCalculator {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  /** Decimal digits of Long.MAX_VALUE: a value with more whole digits cannot be a minor-unit amount. */
  private static final int LONG_DIGITS = 19;

  private TaxCalculator() {}

  /**
   * Taxes {@code request} with the device's table and its authority's rounding rule.
   *
   * @throws FiscalException UNKNOWN_TAX_CODE, UNKNOWN_CURRENCY, INVALID_AMOUNT, INVALID_QUANTITY,
   *     PAYMENTS_DO_NOT_COVER_TOTAL or OVERPAYMENT_WITHOUT_CASH, each naming the field at fault
   */
  public static TaxedReceipt compute(ReceiptRequest request, TaxTable table, TaxRounding rounding) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(rounding, "rounding");
    String currency = request.currency();
    int digits = minorDigits(currency);
    boolean inclusive = request.pricesIncludeTax();
    if (request.lines().isEmpty()) {
      throw FiscalException.field(ErrorCode.INVALID_FIELD, "lines", "lines must hold at least one line");
    }

    List<TaxedLine> lines = new ArrayList<>(request.lines().size());
    // Sorted by tax code, the order in which receipts and authorities list tax groups.
    Map<TaxRate, List<TaxedLine>> groups = new TreeMap<>(Comparator.comparing(TaxRate::code));
    for (int i = 0; i < request.lines().size(); i++) {
      ReceiptLine line = request.lines().get(i);
      TaxRate rate = table.require(line.taxCode(), "lines[" + i + "].taxCode");
      TaxedLine taxed = taxLine(i, line, rate, inclusive, digits, currency);
      lines.add(taxed);
      groups.computeIfAbsent(rate, r -> new ArrayList<>()).add(taxed);
    }

    List<TaxTotal> taxes = new ArrayList<>(groups.size());
    long net = 0;
    long tax = 0;
    long total = 0;
    try {
      for (Map.Entry<TaxRate, List<TaxedLine>> group : groups.entrySet()) {
        TaxTotal t = rounding == TaxRounding.PER_GROUP
            ? perGroup(group.getKey(), group.getValue(), inclusive)
            : perLine(group.getKey(), group.getValue());
        taxes.add(t);
        net = Math.addExact(net, t.netMinor());
        tax = Math.addExact(tax, t.taxMinor());
        total = Math.addExact(total, t.grossMinor());
      }
    } catch (ArithmeticException e) {
      throw new FiscalException(ErrorCode.INVALID_AMOUNT, "the lines add up to more than can be held in minor units of "
          + currency + "; split the sale into several receipts", Map.of("field", "lines", "currency", currency), e);
    }
    return settle(request, currency, digits, lines, taxes, net, tax, total);
  }

  private static TaxedLine taxLine(int index, ReceiptLine line, TaxRate rate, boolean inclusive, int digits,
      String currency) {
    String at = "lines[" + index + "]";
    BigDecimal quantity = line.quantity();
    BigDecimal unitPrice = line.unitPrice();
    // The parser has refused these already; a request built in code gets the same answer, not a bad receipt.
    if (quantity.signum() <= 0) {
      throw FiscalException.field(ErrorCode.INVALID_QUANTITY, at + ".quantity",
          at + ".quantity must be greater than zero (got " + quantity + ")");
    }
    if (unitPrice.signum() < 0) {
      throw FiscalException.field(ErrorCode.INVALID_AMOUNT, at + ".unitPrice",
          at + ".unitPrice must not be negative (got " + unitPrice + ")");
    }
    if (line.discount().signum() < 0) {
      throw FiscalException.field(ErrorCode.INVALID_AMOUNT, at + ".discount",
          at + ".discount must not be negative (got " + line.discount() + ")");
    }
    long extended;
    try {
      extended = roundHalfUp(quantity.multiply(unitPrice), digits);
    } catch (ArithmeticException e) {
      throw new FiscalException(ErrorCode.INVALID_AMOUNT, at + ": " + quantity + " × " + unitPrice
          + " is too large to hold in minor units of " + currency, Map.of("field", at), e);
    }
    long discount = exactMinor(line.discount(), digits, at + ".discount", currency);
    if (discount > extended) {
      throw FiscalException.field(ErrorCode.INVALID_AMOUNT, at + ".discount", at + ".discount "
          + currency + " " + Money.format(discount, digits) + " is more than the line's amount before discount, "
          + currency + " " + Money.format(extended, digits) + " (" + quantity + " × " + unitPrice + ")");
    }
    long amount = extended - discount;
    long tax = rate.exempt() ? 0 : inclusive ? taxIncluded(amount, rate.percent()) : taxAdded(amount, rate.percent());
    long gross;
    long net;
    if (inclusive) {
      gross = amount;
      net = amount - tax;
    } else {
      net = amount;
      try {
        gross = Math.addExact(amount, tax);
      } catch (ArithmeticException e) {
        throw new FiscalException(ErrorCode.INVALID_AMOUNT, at + " with tax is too large to hold in minor units of "
            + currency, Map.of("field", at), e);
      }
    }
    return new TaxedLine(index, line.name(), line.code(), line.hsCode(), line.unit(), quantity, unitPrice,
        discount, amount, gross, net, tax, rate.code());
  }

  /** ZIMRA's rule: the group's summed amount is taxed once, so the group's tax is rounded once. */
  private static TaxTotal perGroup(TaxRate rate, List<TaxedLine> group, boolean inclusive) {
    long amount = 0;
    for (TaxedLine line : group) {
      amount = Math.addExact(amount, line.amountMinor());
    }
    if (inclusive) {
      long tax = rate.exempt() ? 0 : taxIncluded(amount, rate.percent());
      return total(rate, amount - tax, tax, amount);
    }
    long tax = rate.exempt() ? 0 : taxAdded(amount, rate.percent());
    return total(rate, amount, tax, Math.addExact(amount, tax));
  }

  /** KRA's rule: each line's tax was rounded on its own; the group adds the rounded lines. */
  private static TaxTotal perLine(TaxRate rate, List<TaxedLine> group) {
    long net = 0;
    long tax = 0;
    long gross = 0;
    for (TaxedLine line : group) {
      net = Math.addExact(net, line.netMinor());
      tax = Math.addExact(tax, line.taxMinor());
      gross = Math.addExact(gross, line.grossMinor());
    }
    return total(rate, net, tax, gross);
  }

  private static TaxTotal total(TaxRate rate, long net, long tax, long gross) {
    return new TaxTotal(rate.code(), rate.label(), rate.percent(), rate.exempt(), net, tax, gross);
  }

  private static TaxedReceipt settle(ReceiptRequest request, String currency, int digits, List<TaxedLine> lines,
      List<TaxTotal> taxes, long net, long tax, long total) {
    List<TaxedPayment> payments = new ArrayList<>(request.payments().size());
    long paid = 0;
    long cash = 0;
    for (int i = 0; i < request.payments().size(); i++) {
      Payment payment = request.payments().get(i);
      String at = "payments[" + i + "].amount";
      if (payment.amount().signum() <= 0) {
        throw FiscalException.field(ErrorCode.INVALID_AMOUNT, at,
            at + " must be greater than zero (got " + payment.amount() + ")");
      }
      long amount = exactMinor(payment.amount(), digits, at, currency);
      try {
        paid = Math.addExact(paid, amount);
        cash = payment.method() == PaymentMethod.CASH ? Math.addExact(cash, amount) : cash;
      } catch (ArithmeticException e) {
        throw new FiscalException(ErrorCode.INVALID_AMOUNT, "the payments add up to more than can be held in minor units of "
            + currency, Map.of("field", "payments", "currency", currency), e);
      }
      payments.add(new TaxedPayment(payment.method(), amount, payment.reference()));
    }
    if (paid < total) {
      throw new FiscalException(ErrorCode.PAYMENTS_DO_NOT_COVER_TOTAL, "the payments add up to " + currency + " "
          + Money.format(paid, digits) + " but the receipt total is " + currency + " " + Money.format(total, digits)
          + "; " + currency + " " + Money.format(total - paid, digits) + " is still to be paid",
          Map.of("total", Money.format(total, digits), "paid", Money.format(paid, digits), "currency", currency));
    }
    long change = paid - total;
    if (change > cash) {
      // Change is handed over in cash, so only a cash tender can exceed what is owed.
      throw new FiscalException(ErrorCode.OVERPAYMENT_WITHOUT_CASH, "the payments exceed the total of " + currency + " "
          + Money.format(total, digits) + " by " + currency + " " + Money.format(change, digits) + ", but only "
          + currency + " " + Money.format(cash, digits) + " was paid in cash; change can only be given from cash, "
          + "so card, mobile money and other tenders must not exceed what is owed",
          Map.of("total", Money.format(total, digits), "paid", Money.format(paid, digits),
              "cash", Money.format(cash, digits), "currency", currency));
    }
    return new TaxedReceipt(currency, digits, request.pricesIncludeTax(), lines, taxes, net, tax, total, payments,
        paid, change);
  }

  /** Tax contained in a tax-inclusive amount: amount × p / (100 + p), half-up to the minor unit. */
  private static long taxIncluded(long grossMinor, BigDecimal percent) {
    // divide(…, 0, HALF_UP) rounds the exact quotient, even where its decimal expansion never ends.
    return BigDecimal.valueOf(grossMinor).multiply(percent)
        .divide(HUNDRED.add(percent), 0, RoundingMode.HALF_UP).longValueExact();
  }

  /** Tax on top of a tax-exclusive amount: amount × p / 100, half-up to the minor unit. */
  private static long taxAdded(long netMinor, BigDecimal percent) {
    return BigDecimal.valueOf(netMinor).multiply(percent).divide(HUNDRED, 0, RoundingMode.HALF_UP).longValueExact();
  }

  /** A decimal amount rounded half-up to whole minor units. */
  private static long roundHalfUp(BigDecimal value, int digits) {
    if (value.signum() == 0) {
      return 0;
    }
    // 10^(wholeDigits-1) <= |value| < 10^wholeDigits. Deciding the extremes here keeps setScale from
    // expanding an absurd exponent such as 1E+999999999 into a billion digits.
    long wholeDigits = (long) value.precision() - value.scale();
    if (wholeDigits + digits > LONG_DIGITS) {
      throw new ArithmeticException(value + " does not fit in a long of minor units");
    }
    if (wholeDigits < -digits) {
      return 0; // below a tenth of a minor unit
    }
    return value.setScale(digits, RoundingMode.HALF_UP).unscaledValue().longValueExact();
  }

  private static long exactMinor(BigDecimal amount, int digits, String field, String currency) {
    try {
      return Money.toMinor(amount, digits);
    } catch (ArithmeticException e) {
      String why = amount.stripTrailingZeros().scale() > digits
          ? " may have at most " + digits + " decimal places in " + currency
          : " is too large to hold in minor units of " + currency;
      throw new FiscalException(ErrorCode.INVALID_AMOUNT, field + why + " (got " + amount + ")",
          Map.of("field", field), e);
    }
  }

  private static int minorDigits(String currency) {
    try {
      return Money.minorDigits(currency);
    } catch (IllegalArgumentException e) {
      throw FiscalException.field(ErrorCode.UNKNOWN_CURRENCY, "currency",
          "currency \"" + currency + "\" is not an ISO 4217 code known to this device");
    }
  }
}
