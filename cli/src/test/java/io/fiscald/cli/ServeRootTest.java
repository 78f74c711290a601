package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The daemon's short command tree (ServeRoot) parses and answers exactly as the full fiscalctl tree. */
class ServeRootTest {
  @TempDir
  static Path tmp;

  @Test
  void takesServeAfterGlobalOptionsOnly() {
    assertThat(ServeRoot.handles("serve")).isTrue();
    assertThat(ServeRoot.handles("--data-dir", "/d", "--json", "serve", "--listen", "x")).isTrue();
    assertThat(ServeRoot.handles("--config=/c", "--env", "sandbox", "serve")).isTrue();
    assertThat(ServeRoot.handles("--data-dir", "serve")).as("serve as the value of --data-dir").isFalse();
    assertThat(ServeRoot.handles("--data-dir", "serve", "status")).isFalse();
    assertThat(ServeRoot.handles("status", "serve")).isFalse();
    assertThat(ServeRoot.handles("--help", "serve")).isFalse();
    assertThat(ServeRoot.handles("help", "serve")).isFalse();
    assertThat(ServeRoot.handles("--verbose", "serve")).as("an option it does not know").isFalse();
    assertThat(ServeRoot.handles()).isFalse();
  }

  @Test
  void knowsEveryGlobalOptionOfTheFullTree() {
    Set<String> withValue = new HashSet<>();
    Set<String> flags = new HashSet<>();
    for (OptionSpec o : new CommandLine(new Fiscalctl()).getCommandSpec().options()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      (o.arity().max() == 0 ? flags : withValue).add(o.longestName());
    }
    assertThat(withValue).isEqualTo(ServeRoot.OPTIONS_WITH_VALUE);
    assertThat(flags).isEqualTo(ServeRoot.FLAGS);
  }

  static Stream<Arguments> serveArguments() {
    String missing = tmp.resolve("no-device").toString();
    return Stream.of(
        Arguments.of((Object) new String[] {"serve", "--help"}),
        Arguments.of((Object) new String[] {"--json", "serve", "--bogus"}),
        Arguments.of((Object) new String[] {"serve", "--bogus"}),
        Arguments.of((Object) new String[] {"--data-dir", missing, "serve", "--json"}),
        Arguments.of((Object) new String[] {"--data-dir=" + missing, "serve"}),
        Arguments.of((Object) new String[] {"--env", "staging", "--data-dir", missing, "serve", "--json"}),
        Arguments.of((Object) new String[] {"--data-dir", missing, "serve", "--listen", "nowhere", "--json"}),
        Arguments.of((Object) new String[] {"--data-dir", missing, "--data-dir", missing, "serve"}),
        Arguments.of((Object) new String[] {"--data-dir", missing, "serve", "--backup-keep", "x"}));
  }

  @ParameterizedTest
  @MethodSource("serveArguments")
  void answersAsTheFullTree(String[] args) {
    assertThat(ServeRoot.handles(args)).isTrue();
    String[] full = run(() -> Main.configured(new Fiscalctl()), args);
    String[] shortTree = run(() -> Main.commandLine(args), args);
    assertThat(shortTree).isEqualTo(full);
    assertThat(full[1] + full[2]).as("help or an error, printed").isNotBlank();
  }

  /** Exit code, standard output, standard error (picocli takes System.out when the tree is built). */
  private static synchronized String[] run(Supplier<CommandLine> tree, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      try {
        code = tree.get().execute(args);
      } finally {
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
    }
    return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)};
  }
}
