package io.fiscald.hal.print;

import io.fiscald.sim.printer.SocatPair;
import org.junit.jupiter.api.Assumptions;

/** Skips pseudo-terminal tests, loudly, only where socat is missing (CI installs it). */
final class PtyTests {
  private PtyTests() {}

  static void assumeSocat() {
    if (!SocatPair.available()) {
      System.err.println("*** SKIPPED: socat is not installed, so the pseudo-terminal printer tests cannot run."
          + " Install it (apt-get install socat); .ci/run does. ***");
    }
    Assumptions.assumeTrue(SocatPair.available(), "socat is not installed (apt-get install socat)");
  }
}
