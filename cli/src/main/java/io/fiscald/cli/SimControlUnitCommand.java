package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.sim.controlunit.ControlUnitEmulator;
import io.fiscald.sim.controlunit.EmulatorKeys;
import io.fiscald.sim.controlunit.SocatPtyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl sim control-unit}: the control-unit emulator on a pseudo-terminal, until stopped. */
@Command(name = "control-unit", mixinStandardHelpOptions = true,
    description = {"Run the emulated serial control unit (fiscald reference command set) on a pseudo-terminal"
        + " made with socat, until Ctrl-C. Point a device at LINK with init --signer control-unit. The fault"
        + " options make it misbehave for the first N frames, to see the driver's retries.",
        "", "Example:",
        "  fiscalctl sim control-unit --pty /tmp/cu --key-file /tmp/cu.key &",
        "  fiscalctl --data-dir /tmp/shop init --signer control-unit --control-unit-port /tmp/cu"})
final class SimControlUnitCommand extends BaseCommand {
  @Option(names = "--pty", required = true, paramLabel = "LINK",
      description = "Path of the symbolic link to create for the driver's side of the line.")
  Path link;

  @Option(names = "--key-file", paramLabel = "FILE",
      description = "Keep the unit's private key in FILE (PKCS#8, mode 0600) so a restarted emulator is the same"
          + " unit; without it every run is a new unit with a new key.")
  Path keyFile;

  @Option(names = "--key", defaultValue = "EC_P256", paramLabel = "ALG",
      description = "Key type of a new unit: EC_P256 or RSA_2048 (default: ${DEFAULT-VALUE}).")
  String algorithm;

  @Option(names = "--serial", defaultValue = "CU-EMU-0001", paramLabel = "SERIAL",
      description = "Serial number the unit reports (default: ${DEFAULT-VALUE}).")
  String serial;

  @Option(names = "--nak", defaultValue = "0", paramLabel = "N", description = "Answer NAK to the first N frames.")
  int nak;

  @Option(names = "--busy", defaultValue = "0", paramLabel = "N", description = "Answer WAIT (busy) to the first N frames.")
  int busy;

  @Option(names = "--noise", defaultValue = "0", paramLabel = "N",
      description = "Send line noise before the first N responses.")
  int noise;

  @Option(names = "--silent", defaultValue = "0", paramLabel = "N", description = "Ignore the first N frames.")
  int silent;

  @Override
  int run() throws Exception {
    if (!SocatPtyPair.available()) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "socat is needed to make the pseudo-terminal pair;"
          + " install it (apt-get install socat)");
    }
    if (Files.isSymbolicLink(link) && !Files.exists(link)) {
      Files.delete(link); // left behind by an emulator that was killed
    }
    if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, link + " already exists; remove it or choose another"
          + " --pty path", Map.of("path", link.toString()));
    }
    KeyPair key = keyFile != null ? EmulatorKeys.loadOrCreate(keyFile, algorithm) : EmulatorKeys.generate(algorithm);
    Path unitSide = link.resolveSibling(link.getFileName() + ".unit");
    CountDownLatch stopped = new CountDownLatch(1);
    try (SocatPtyPair pair = SocatPtyPair.create(link, unitSide);
        ControlUnitEmulator unit = ControlUnitEmulator.onDevice(pair.unitLink(), key, serial)) {
      unit.nakNext(nak);
      unit.busyNext(busy);
      unit.noiseNext(noise);
      unit.silentNext(silent);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        unit.close();
        pair.close();
        stopped.countDown();
      }, "control-unit-emulator-stop"));
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("port", link.toString());
      view.put("serial", serial);
      view.put("algorithm", PublicKeys.algorithmOf(unit.publicKey()).name());
      view.put("publicKeyFingerprint", PublicKeys.fingerprint(unit.publicKey()));
      view.put("keyFile", keyFile == null ? null : keyFile.toString());
      if (json()) {
        System.out.println(Output.jsonLine(view));
        System.out.flush();
      } else {
        humanOut().println("control unit emulator " + serial + " listening on " + link + " ("
            + view.get("algorithm") + " key " + view.get("publicKeyFingerprint") + "); Ctrl-C to stop");
        humanOut().flush();
      }
      stopped.await();
    }
    return 0;
  }
}
