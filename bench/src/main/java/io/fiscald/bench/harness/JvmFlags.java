package io.fiscald.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM flags fiscald is packaged with: packaging/jvm.flags, copied into this jar at build time so a
 * harness starts its daemon exactly as ./fiscalctl and /usr/bin/fiscald do. The file holds JVM flags
 * ({@code -X...}) and environment variables of the daemon's process ({@code NAME=value}, e.g. glibc's
 * MALLOC_ARENA_MAX), which the launchers set unless the environment already has them.
 */
public final class JvmFlags {
  private static final String RESOURCE = "jvm.flags";

  private JvmFlags() {}

  /** The packaged JVM flags, in file order, comments, blank lines and environment variables dropped. */
  public static List<String> packaged() {
    return parse(text());
  }

  /** The packaged environment variables ({@code NAME=value} lines), in file order. */
  public static Map<String, String> packagedEnv() {
    return parseEnv(text());
  }

  static List<String> parse(String text) {
    return lines(text).filter(l -> l.startsWith("-")).toList();
  }

  static Map<String, String> parseEnv(String text) {
    Map<String, String> env = new LinkedHashMap<>();
    lines(text).filter(l -> !l.startsWith("-") && l.indexOf('=') > 0)
        .forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return env;
  }

  private static java.util.stream.Stream<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"));
  }

  private static String text() {
    try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("jvm.flags is missing from the bench jar (built without packaging/jvm.flags?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
