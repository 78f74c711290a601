package io.fiscald.agent.receipt;

/** The kinds of fiscal receipt a POS can ask for. */
public enum ReceiptType {
  INVOICE,
  CREDIT_NOTE,
  DEBIT_NOTE;

  /** Notes correct an earlier invoice and must name it. */
  public boolean isNote() {
    return this != INVOICE;
  }
}
