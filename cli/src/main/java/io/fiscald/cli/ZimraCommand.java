package io.fiscald.cli;

import picocli.CommandLine.Command;

/** {@code fiscalctl zimra ...}: ZIMRA FDMS tools for the technician. */
@Command(name = "zimra", mixinStandardHelpOptions = true,
    description = {"ZIMRA FDMS tools: the receipt signature debugger (RCPT020) and the offline day file export.", "",
        "Examples:",
        "  fiscalctl zimra signature --device-id 321 --input receipt.json --json",
        "  fiscalctl zimra export-day --day 12 --out /media/usb"},
    subcommands = {ZimraSignatureCommand.class, ZimraExportDayCommand.class})
final class ZimraCommand {
}
