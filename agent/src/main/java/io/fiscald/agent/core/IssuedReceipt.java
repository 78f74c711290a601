package io.fiscald.agent.core;

import io.fiscald.agent.profile.ReceiptSeal;

/** The answer to the POS: the committed receipt and the journal seal that makes it tamper-evident. */
public record IssuedReceipt(FiscalReceipt receipt, ReceiptSeal seal) {}
