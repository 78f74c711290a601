package io.fiscald.agent.authority.kra;

/** Whether {@code prc}/{@code splyAmt} carry VAT: the live gateway wants them inclusive, ODOO sends them exclusive (sheet §6.2). */
public enum PriceMode {
  /** Sheet §6.1, the live rule (default): prices include VAT; {@code taxblAmt = round2(amount / (1 + rate))}. */
  INCLUSIVE,
  /** ODOO's shape: prices exclude VAT; {@code taxAmt = round2(amount × rate)}. A setting, to be proven on the sandbox. */
  EXCLUSIVE
}
