package io.fiscald.agent.receipt;

/** The kinds of fiscal receipt a POS can ask for. */
public enum ReceiptType {
  INVOICE,
  CREDIT_NOTE,
  DEBIT_NOTE;

  /** The short prefix of this type's receipt numbers: INV, CRN, DBN. */
  public String numberPrefix() {
    return switch (this) {
      case INVOICE -> "INV";
      case CREDIT_NOTE -> "CRN";
      case DEBIT_NOTE -> "DBN";
    };
  }

  /** Notes correct an earlier invoice and must name it. */
  public boolean isNote() {
    return this != INVOICE;
  }
}
