package io.fiscald.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** packaging/jvm.flags as the harnesses read it: JVM flags and the daemon's environment, apart. */
class JvmFlagsTest {
  private static final String TEXT = """
      # a comment
      -XX:+UseSerialGC
        -Xmx96m \s
      MALLOC_ARENA_MAX=2

      -Dsun.net.httpserver.nodelay=true
      """;

  @Test
  void flagsAreTheDashLinesInOrder() {
    assertThat(JvmFlags.parse(TEXT)).containsExactly("-XX:+UseSerialGC", "-Xmx96m",
        "-Dsun.net.httpserver.nodelay=true");
  }

  @Test
  void environmentIsTheNameValueLines() {
    assertThat(JvmFlags.parseEnv(TEXT)).isEqualTo(Map.of("MALLOC_ARENA_MAX", "2"));
  }

  @Test
  void thePackagedFileHoldsTheSmallTillFlagsAndEnvironment() {
    assertThat(JvmFlags.packaged()).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
        .allMatch(f -> f.startsWith("-"));
    assertThat(JvmFlags.packagedEnv()).containsEntry("MALLOC_ARENA_MAX", "2");
  }
}
