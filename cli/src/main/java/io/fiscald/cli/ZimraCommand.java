package io.fiscald.cli;

import picocli.CommandLine.Command;

/** {@code fiscalctl zimra ...}: ZIMRA FDMS tools for the technician. */
@Command(name = "zimra", mixinStandardHelpOptions = true,
    description = {"ZIMRA FDMS tools: the receipt signature debugger (RCPT020), the offline day file export, and",
        "accept-day for a day FDMS closed elsewhere (FILE04).", "",
        "Examples:",
        "  fiscalctl zimra signature --device-id 321 --input receipt.json --json",
        "  fiscalctl zimra export-day --day 12 --out /media/usb",
        "  fiscalctl zimra accept-day --day 12 --reason \"closed by a portal upload, ref 4471\""},
    subcommands = {ZimraSignatureCommand.class, ZimraExportDayCommand.class, ZimraAcceptDayCommand.class})
final class ZimraCommand {
}
