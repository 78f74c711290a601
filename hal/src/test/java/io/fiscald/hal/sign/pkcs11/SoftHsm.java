package io.fiscald.hal.sign.pkcs11;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SoftHSM2 for tests: a configuration at {@code $SOFTHSM2_CONF} (set by surefire, because SoftHSM
 * reads it from the environment once per process) whose token directory is a fresh temporary
 * directory, and tokens made with {@code softhsm2-util}. Tests that need it are skipped, loudly,
 * where SoftHSM2 is not installed; {@code .ci/run} installs it.
 */
public final class SoftHsm {
  public static final String USER_PIN = "1234";
  public static final String SO_PIN = "12345678";

  private static final List<Path> LIBRARIES = List.of(Path.of("/usr/lib/softhsm/libsofthsm2.so"),
      Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
      Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"),
      Path.of("/usr/local/lib/softhsm/libsofthsm2.so"));
  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");
  /** Tokens of this module's tests, all made before the module first loads. */
  public static final List<String> KNOWN_TOKENS = List.of("fiscald-contract", "fiscald-signer", "fiscald-pin");
  private static final Map<String, Long> TOKENS = new ConcurrentHashMap<>();
  private static Path tokenDir;

  private SoftHsm() {}

  /** The SoftHSM2 module library, or null when SoftHSM2 is not installed. */
  public static Path library() {
    return LIBRARIES.stream().filter(Files::isRegularFile).findFirst().orElse(null);
  }

  /** Skips the calling test, with a banner on standard error, unless SoftHSM2 and its config variable are there. */
  public static void assumeAvailable() {
    boolean installed = library() != null && onPath("softhsm2-util");
    if (!installed) {
      System.err.println("\n*** SKIPPED: SoftHSM2 is not installed (apt-get install softhsm2); the PKCS#11 tests"
          + " did not run. .ci/run installs it. ***\n");
    }
    assumeTrue(installed, "SoftHSM2 (softhsm2-util, libsofthsm2.so) is not installed");
    assumeTrue(System.getenv("SOFTHSM2_CONF") != null,
        "SOFTHSM2_CONF is not set: run the PKCS#11 tests through Maven (surefire sets it)");
  }

  /**
   * The slot id of an initialised token labelled {@code label} with {@link #USER_PIN}, created on first
   * use. All tokens are made before the module is first loaded in this JVM where possible, since
   * SoftHSM reads its token directory when the module initialises.
   */
  public static synchronized long token(String label) {
    assumeAvailable();
    if (TOKENS.isEmpty()) {
      for (String known : KNOWN_TOKENS) {
        TOKENS.put(known, initToken(known));
      }
    }
    return TOKENS.computeIfAbsent(label, SoftHsm::initToken);
  }

  private static long initToken(String label) {
    Path conf = Path.of(System.getenv("SOFTHSM2_CONF"));
    try {
      if (tokenDir == null) {
        tokenDir = Files.createTempDirectory("fiscald-softhsm-tokens");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "directories.tokendir = " + tokenDir + "\nobjectstore.backend = file\n"
            + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
      }
      String out = run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", USER_PIN,
          "--so-pin", SO_PIN);
      Matcher m = SLOT.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("softhsm2-util did not report the slot: " + out);
      }
      return Long.parseLong(m.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command with SOFTHSM2_CONF inherited and returns its combined output; fails on a non-zero exit. */
  public static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return out;
  }

  private static boolean onPath(String program) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
  }
}
