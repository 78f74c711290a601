package io.fiscald.cli;

import picocli.CommandLine.Command;

/** {@code fiscalctl sim …}: run the simulators of the outside world standalone. */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = "Run a simulator of the outside world (tax authority, devices) standalone.",
    subcommands = {SimKraCommand.class, SimControlUnitCommand.class, SimZimraCommand.class, SimPrinterCommand.class})
final class SimCommand {
}
