package io.fiscald.agent.authority.zimra;

import io.fiscald.agent.receipt.PaymentMethod;
import java.util.Locale;

/** ZIMRA's {@code moneyTypeCode} values in enum order (sheet §6, §10.2). */
public enum ZimraMoneyType {
  Cash,
  Card,
  MobileWallet,
  Coupon,
  Credit,
  BankTransfer,
  Other;

  /** The ZIMRA money type of one of fiscald's payment methods. */
  public static ZimraMoneyType of(PaymentMethod method) {
    return switch (method) {
      case CASH -> Cash;
      case CARD -> Card;
      case MOBILE_MONEY -> MobileWallet;
      case VOUCHER -> Coupon;
      case CREDIT -> Credit;
      case BANK_TRANSFER -> BankTransfer;
      case OTHER -> Other;
    };
  }

  /** Parses the wire value, case-insensitively (the signature string uses upper case). */
  public static ZimraMoneyType parse(String text) {
    for (ZimraMoneyType t : values()) {
      if (t.name().equalsIgnoreCase(text)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown ZIMRA moneyTypeCode '" + text + "'");
  }

  public String signatureText() {
    return name().toUpperCase(Locale.ROOT);
  }
}
