package io.fiscald.agent.receipt;

import java.util.Objects;

/** The receipt a credit or debit note corrects, by its fiscald receipt number. */
public record OriginalReference(String receiptNumber) {
  public OriginalReference {
    Objects.requireNonNull(receiptNumber, "receiptNumber");
  }
}
