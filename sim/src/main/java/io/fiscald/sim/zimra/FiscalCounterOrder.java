package io.fiscald.sim.zimra;

/**
 * How the simulator orders fiscal counters when it rebuilds the fiscal-day device signature string (sheet §10.2,
 * marked [conflict]; configurable on purpose).
 */
public enum FiscalCounterOrder {
  /**
   * The sheet's recommended comparator: counter type by enum index (SaleByTax 0 … BalanceByMoneyType 6), then
   * currency alphabetically, then taxID ascending (byTax) or money type by enum index (Cash, Card, MobileWallet,
   * Coupon, Credit, BankTransfer, Other).
   */
  RECOMMENDED,
  /** Trust the order of the {@code fiscalDayCounters} array as the device sent it. */
  AS_SENT
}
