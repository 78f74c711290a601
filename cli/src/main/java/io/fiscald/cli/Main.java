package io.fiscald.cli;

import picocli.CommandLine;

/** Entry point of the {@code fiscalctl} command line (and of the packaged jar). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    SqliteNativeLibrary.useCachedCopy();
    System.exit(run(args));
  }

  /** Runs one command and returns its exit code: 0 ok, 1 the device's trouble, 2 the caller's mistake. */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** The command tree for {@code args}: serve's alone when they start the daemon (a quicker start), else all. */
  static CommandLine commandLine(String... args) {
    return configured(ServeRoot.handles(args) ? new ServeRoot() : new Fiscalctl());
  }

  /** The command tree of {@code root} with fiscalctl's error handling. */
  static CommandLine configured(GlobalOptions root) {
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(new ErrorReporter());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }
}
