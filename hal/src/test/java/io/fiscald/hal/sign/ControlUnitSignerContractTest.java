package io.fiscald.hal.sign;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fiscald.hal.controlunit.ControlUnitLink;
import io.fiscald.hal.controlunit.ControlUnitSigner;
import io.fiscald.hal.controlunit.LinkSettings;
import io.fiscald.hal.controlunit.ReferenceCommandSet;
import io.fiscald.sim.controlunit.ControlUnitEmulator;
import io.fiscald.sim.controlunit.EmulatorKeys;
import io.fiscald.sim.controlunit.SocatPtyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The shared signer vectors against the emulated control unit, over a socat pseudo-terminal pair. */
class ControlUnitSignerContractTest extends SignerContract {
  private static final Map<KeyAlgorithm, ControlUnitSigner> SIGNERS = new EnumMap<>(KeyAlgorithm.class);
  private static final List<AutoCloseable> OPEN = new ArrayList<>();

  @Override
  Signer signer(KeyAlgorithm algorithm) {
    assumeTrue(SocatPtyPair.available(), "socat is not installed: control-unit contract skipped");
    synchronized (SIGNERS) {
      return SIGNERS.computeIfAbsent(algorithm, ControlUnitSignerContractTest::start);
    }
  }

  private static ControlUnitSigner start(KeyAlgorithm algorithm) {
    try {
      Path dir = Files.createTempDirectory("fiscald-cu-contract");
      SocatPtyPair pair = SocatPtyPair.create(dir.resolve("cu"), dir.resolve("cu.unit"));
      OPEN.add(pair);
      ControlUnitEmulator unit = ControlUnitEmulator.onDevice(pair.unitLink(), EmulatorKeys.generate(algorithm.name()),
          "CONTRACT-" + algorithm);
      OPEN.add(0, unit);
      ControlUnitSigner signer = ControlUnitSigner.open(ControlUnitLink.openDevice(pair.hostLink(),
          LinkSettings.defaults()), new ReferenceCommandSet());
      OPEN.add(0, signer);
      return signer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : OPEN) {
      c.close();
    }
    OPEN.clear();
    SIGNERS.clear();
  }
}
