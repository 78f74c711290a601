package io.fiscald.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JVM flags fiscald is packaged with: packaging/jvm.flags, copied into this jar at build time so a
 * harness starts its daemon exactly as ./fiscalctl and /usr/bin/fiscald do.
 */
public final class JvmFlags {
  private static final String RESOURCE = "jvm.flags";

  private JvmFlags() {}

  /** The packaged flags, in file order, comments and blank lines dropped. */
  public static List<String> packaged() {
    try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("jvm.flags is missing from the bench jar (built without packaging/jvm.flags?)");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> parse(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }
}
