package io.fiscald.cli;

import picocli.CommandLine.Command;

/**
 * {@code fiscalctl bench …}: benchmarks and reliability harnesses from the bench module. Each prints a
 * table, or one JSON document with {@code --json}; docs/PERFORMANCE.md and docs/RELIABILITY.md record the figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure speed, footprint and resilience (docs/PERFORMANCE.md, docs/RELIABILITY.md).",
    subcommands = {
        // one line per harness, kept in groups: core and audit; API load and footprint; reliability
        BenchCeilingCommand.class,
        BenchCoreCommand.class,
        BenchAuditCommand.class,
        BenchApiCommand.class,
        BenchFootprintCommand.class,
        BenchSlowDiskCommand.class,
        BenchDrainCommand.class,
        BenchCrashCommand.class,
        BenchBadInputCommand.class,
        BenchTamperCommand.class,
        BenchDiskFullCommand.class,
        BenchPrinterFaultsCommand.class,
        BenchFaultsCommand.class,
    })
final class BenchCommand {
}
