package io.fiscald.agent.receipt;

/** How the buyer paid; authority profiles map these onto their own code lists. */
public enum PaymentMethod {
  CASH,
  CARD,
  MOBILE_MONEY,
  BANK_TRANSFER,
  CREDIT,
  VOUCHER,
  OTHER
}
