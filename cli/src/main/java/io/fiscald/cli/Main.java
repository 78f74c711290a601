package io.fiscald.cli;

import picocli.CommandLine;

/** Entry point of the {@code fiscalctl} command line (and of the packaged jar). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command and returns its exit code: 0 ok, 1 the device's trouble, 2 the caller's mistake. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Fiscalctl());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(new ErrorReporter());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli.execute(args);
  }
}
