package io.fiscald.cli;

import picocli.CommandLine.Command;

/** {@code fiscalctl zimra ...}: ZIMRA FDMS tools for the technician. */
@Command(name = "zimra", mixinStandardHelpOptions = true,
    description = {"ZIMRA FDMS tools: the receipt signature debugger (RCPT020).", "", "Example:",
        "  fiscalctl zimra signature --device-id 321 --input receipt.json --json"},
    subcommands = {ZimraSignatureCommand.class})
final class ZimraCommand {
}
