package io.fiscald.hal.controlunit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fiscald.hal.controlunit.ControlUnitException.Kind;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.SigningException;
import io.fiscald.hal.sign.SigningException.Reason;
import io.fiscald.sim.controlunit.ControlUnitEmulator;
import io.fiscald.sim.controlunit.EmulatorKeys;
import io.fiscald.sim.controlunit.SocatPtyPair;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver against the emulator over a real pseudo-terminal pair made by socat. */
class ControlUnitSignerTest {
  private static final byte[] DATA = "RECEIPT 42 KES 116000".getBytes(UTF_8);
  // short timeouts keep the no-answer cases quick; nothing here asserts on time
  private static final LinkSettings FAST = new LinkSettings(Duration.ofMillis(300), Duration.ofMillis(600), 3, 10,
      Duration.ofMillis(5));

  @TempDir
  Path dir;
  private SocatPtyPair pair;
  private ControlUnitEmulator unit;
  private ControlUnitSigner signer;

  static void assumeSocat() {
    if (!SocatPtyPair.available()) {
      System.err.println("\n*** SKIPPED: socat is not installed (apt-get install socat); the control-unit tests"
          + " over pseudo-terminals did not run. .ci/run installs it. ***\n");
    }
    assumeTrue(SocatPtyPair.available(), "socat is not installed");
  }

  @BeforeEach
  void start() throws Exception {
    assumeSocat();
    pair = SocatPtyPair.create(dir.resolve("cu"), dir.resolve("cu.unit"));
    unit = ControlUnitEmulator.onDevice(pair.unitLink(), EmulatorKeys.generate("EC_P256"), "CU-0001");
    signer = ControlUnitSigner.open(ControlUnitLink.openDevice(pair.hostLink(), FAST), new ReferenceCommandSet());
  }

  @AfterEach
  void stop() {
    if (signer != null) {
      signer.close();
    }
    if (unit != null) {
      unit.close();
    }
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void signsAndTheSignatureVerifiesWithTheUnitsKey() {
    byte[] signature = signer.sign(DATA);

    assertThat(signer.publicKey().getEncoded()).isEqualTo(unit.publicKey().getEncoded());
    assertThat(signer.algorithm()).isEqualTo(KeyAlgorithm.EC_P256);
    assertThat(PublicKeys.verify(unit.publicKey(), DATA, signature)).isTrue();
    assertThat(signer.info().serial()).isEqualTo("CU-0001");
    assertThat(signer.info().vendor()).isEqualTo("fiscald-reference");
    assertThat(unit.signatures()).isEqualTo(1);
  }

  @Test
  void nakThenSuccess() {
    unit.nakNext(2);

    byte[] signature = signer.sign(DATA);

    assertThat(PublicKeys.verify(unit.publicKey(), DATA, signature)).isTrue();
    assertThat(signer.link().retransmissions()).isEqualTo(2);
    assertThat(unit.signatures()).isEqualTo(1);
  }

  @Test
  void busyThenSuccess() {
    unit.busyNext(5);

    byte[] signature = signer.sign(DATA);

    assertThat(PublicKeys.verify(unit.publicKey(), DATA, signature)).isTrue();
    assertThat(signer.link().retransmissions()).isEqualTo(5);
    assertThat(unit.signatures()).isEqualTo(1);
  }

  @Test
  void tooManyNaksIsATypedErrorWithTheLineState() {
    unit.nakNext(100);

    assertThatThrownBy(() -> signer.sign(DATA))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(pair.hostLink().toString())
        .hasMessageContaining("NAK 4 times")
        .satisfies(e -> {
          assertThat(((SigningException) e).reason()).isEqualTo(Reason.UNAVAILABLE);
          ControlUnitException cause = (ControlUnitException) e.getCause();
          assertThat(cause.kind()).isEqualTo(Kind.TOO_MANY_NAKS);
          assertThat(cause.details()).containsEntry("command", "SIGN").containsEntry("sends", 4)
              .containsEntry("naks", 4);
        });
    assertThat(unit.signatures()).isZero();
  }

  @Test
  void tooLongBusyIsATypedError() {
    unit.busyNext(100);

    assertThatThrownBy(() -> signer.sign(DATA))
        .isInstanceOf(SigningException.class)
        .extracting(e -> ((ControlUnitException) e.getCause()).kind()).isEqualTo(Kind.BUSY);
    assertThat(unit.signatures()).isZero();
  }

  @Test
  void noiseOnTheLineIsSkippedAndTheAnswerStillRead() {
    unit.noiseNext(1);

    byte[] signature = signer.sign(DATA);

    assertThat(PublicKeys.verify(unit.publicKey(), DATA, signature)).isTrue();
    assertThat(signer.link().garbageBytes()).isPositive();
    assertThat(unit.signatures()).isEqualTo(1);
    // and the line is clean for the next command
    assertThat(PublicKeys.verify(unit.publicKey(), DATA, signer.sign(DATA))).isTrue();
  }

  @Test
  void damagedResponseIsAskedForAgainNotSignedAgain() {
    unit.damageNext(1);

    byte[] signature = signer.sign(DATA);

    assertThat(PublicKeys.verify(unit.publicKey(), DATA, signature)).isTrue();
    assertThat(unit.signatures()).isEqualTo(1);
  }

  @Test
  void lostResponseIsReplayedByTheUnitNeverSignedTwice() {
    unit.dropResponseNext(1);

    byte[] signature = signer.sign(DATA);

    assertThat(PublicKeys.verify(unit.publicKey(), DATA, signature)).isTrue();
    assertThat(unit.signatures()).as("SIGN executed once").isEqualTo(1);
    assertThat(unit.replays()).as("the retransmission was answered from the cache").isEqualTo(1);
  }

  @Test
  void silentUnitIsNoAnswerAfterTheRetries() {
    unit.silentNext(1000);

    assertThatThrownBy(() -> signer.sign(DATA))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("did not acknowledge SIGN")
        .satisfies(e -> {
          ControlUnitException cause = (ControlUnitException) e.getCause();
          assertThat(cause.kind()).isEqualTo(Kind.NO_ANSWER);
          assertThat(cause.details()).containsEntry("sends", 4).containsEntry("timeouts", 4);
        });
    assertThat(unit.framesReceived()).isGreaterThanOrEqualTo(4 + 2); // GET_INFO, GET_PUBLIC_KEY, then 4 SIGNs
    assertThat(unit.signatures()).isZero();
  }

  @Test
  void unitRecoversAfterFaultsAreOver() {
    unit.silentNext(1000);
    assertThatThrownBy(() -> signer.sign(DATA)).isInstanceOf(SigningException.class);

    unit.silentNext(0);

    assertThat(PublicKeys.verify(unit.publicKey(), DATA, signer.sign(DATA))).isTrue();
  }

  @Test
  void unknownCommandIsReportedAsTheUnitsRefusal() {
    Frame answer = signer.link().exchange("VENDOR_X", 0x7f, new byte[0]);

    assertThat(answer.data()[0]).isEqualTo((byte) ReferenceCommandSet.STATUS_UNKNOWN_COMMAND);
  }

  @Test
  void missingPortIsNamed() {
    Path missing = dir.resolve("no-such-tty");

    assertThatThrownBy(() -> ControlUnitLink.openDevice(missing, FAST))
        .isInstanceOf(ControlUnitException.class)
        .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist")
        .extracting(e -> ((ControlUnitException) e).kind()).isEqualTo(Kind.IO);
  }
}
