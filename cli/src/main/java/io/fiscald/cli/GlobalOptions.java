package io.fiscald.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The global options of fiscalctl, given before (or, all but --env, after) the command; shared by the whole
 * command tree ({@link Fiscalctl}) and the daemon's own short one ({@link ServeRoot}).
 */
abstract class GlobalOptions {
  @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Data directory of the device (default: $FISCALD_DATA_DIR, else ~/.local/share/fiscald).")
  Path dataDir;

  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Configuration file (default: $FISCALD_CONFIG, else <data-dir>/fiscald.conf; docs/CONFIG.md).")
  Path config;

  @Option(names = "--env", paramLabel = "ENV", description = "Environment of a data root: sandbox or production "
      + "(default: the one in <data-dir>/active-environment; docs/ENVIRONMENTS.md). Give it before the command.")
  String environment;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Machine-readable output: one JSON document on standard output.")
  boolean json;
}
