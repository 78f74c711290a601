package io.fiscald.agent.tax;

/** Where an authority rounds tax to the minor unit: once per tax group, or on every line. */
public enum TaxRounding {
  /** Tax is computed once per tax code on the group's summed amount (ZIMRA's rule). */
  PER_GROUP,
  /** Tax is rounded on every line and the rounded line taxes are summed (KRA's rule). */
  PER_LINE
}
