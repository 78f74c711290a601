package io.fiscald.cli;

import picocli.CommandLine.Command;

/** The root command: every subcommand, under the global options ({@link GlobalOptions}). */
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
public final class Fiscalctl extends GlobalOptions {
}
