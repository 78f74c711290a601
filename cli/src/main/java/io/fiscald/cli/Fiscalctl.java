package io.fiscald.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global options shared by every subcommand. */
@Command(
    name = "fiscalctl",
    mixinStandardHelpOptions = true,
    version = "fiscalctl 0.1.0",
    description = "Drive the fiscald fiscal device agent on this till.",
    footer = {"", "Exit codes: 0 ok, 1 the device has a problem, 2 the command or its input is wrong.",
        "Start here: fiscalctl demo"},
    subcommands = {
        InitCommand.class,
        StatusCommand.class,
        DayCommand.class,
        ReceiptCommand.class,
        AuditCommand.class,
        JournalCommand.class,
        BackupCommand.class,
        RestoreCommand.class,
        DemoCommand.class,
        ServeCommand.class,
        TokenCommand.class,
        DeviceCommand.class,
        ZimraCommand.class,
        KraCommand.class,
        SyncCommand.class,
        SimCommand.class,
        PortsCommand.class,
        PrinterCommand.class,
        BenchCommand.class,
        DoctorCommand.class,
        ConfigCommand.class,
        EnvCommand.class,
        GoLiveCheckCommand.class,
        picocli.CommandLine.HelpCommand.class,
    })
public final class Fiscalctl {
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
