package io.fiscald.agent.authority.kra;

import java.util.List;

/** The five eTIMS tax bands (code class 04); A is exempt and B the standard rate, never the other way round (sheet §7). */
public enum KraBand {
  A, B, C, D, E;

  /** The bands in wire order: every sale carries all five, zeros included (sheet §5.1, §17.6). */
  public static final List<KraBand> ALL = List.of(values());

  /** Whether the band sits outside VAT altogether (A exempt, D non-VAT) rather than at a rate. */
  public boolean outsideVat() {
    return this == A || this == D;
  }

  /** The band a tax code names, or empty for a code that is not a band letter. */
  public static java.util.Optional<KraBand> of(String code) {
    for (KraBand b : values()) {
      if (b.name().equals(code)) {
        return java.util.Optional.of(b);
      }
    }
    return java.util.Optional.empty();
  }
}
