package io.fiscald.cli;

import java.util.Set;
import picocli.CommandLine.Command;

/**
 * fiscalctl with {@code serve} as its only command: what the daemon parses its arguments with. Building the
 * model of every fiscalctl command costs the daemon's start-up a few hundred classes and milliseconds
 * (docs/PERFORMANCE.md, "Footprint"); the options and messages are those of the full tree.
 */
@Command(name = "fiscalctl", subcommands = ServeCommand.class)
final class ServeRoot extends GlobalOptions {
  /** The global options that take a value (GlobalOptions); {@code ServeRootTest} keeps this list honest. */
  static final Set<String> OPTIONS_WITH_VALUE = Set.of("--data-dir", "--config", "--env");
  static final Set<String> FLAGS = Set.of("--json");

  /**
   * True when {@code args} are global options followed by {@code serve}, e.g. {@code --data-dir D serve ...};
   * anything else (help, another command, an unknown option) goes to the full tree.
   */
  static boolean handles(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("serve")) {
        return true;
      }
      int eq = a.indexOf('=');
      if (eq > 0 && OPTIONS_WITH_VALUE.contains(a.substring(0, eq))) {
        continue;
      }
      if (OPTIONS_WITH_VALUE.contains(a)) {
        i++; // its value, whatever it looks like
      } else if (!FLAGS.contains(a)) {
        return false;
      }
    }
    return false;
  }
}
