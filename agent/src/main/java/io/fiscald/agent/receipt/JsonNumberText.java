package io.fiscald.agent.receipt;

/**
 * A JSON number kept as the literal text the POS sent, so that amounts are converted to BigDecimal
 * exactly and never pass through a binary floating-point value.
 */
record JsonNumberText(String text) {}
