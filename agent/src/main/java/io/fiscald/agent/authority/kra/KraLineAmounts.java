package io.fiscald.agent.authority.kra;

import java.math.BigDecimal;

/**
 * One sale line's eTIMS amounts, each with 2 decimals: {@code splyAmt = qty × prc}, then the discount,
 * then the band's split into taxable amount and tax (sheet §6.1).
 */
public record KraLineAmounts(
    KraBand band,
    BigDecimal qty,
    BigDecimal prc,
    BigDecimal splyAmt,
    BigDecimal dcRt,
    BigDecimal dcAmt,
    BigDecimal taxblAmt,
    BigDecimal taxAmt,
    BigDecimal totAmt) {}
