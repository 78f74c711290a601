package io.fiscald.cli;

import picocli.CommandLine.Command;

/** {@code fiscalctl device ...}: the device's identity and keys, and its registration with the authority. */
@Command(name = "device", mixinStandardHelpOptions = true,
    description = {"The device's signing key and its standing with the authority.", "", "Example:",
        "  fiscalctl device keys"},
    subcommands = {DeviceKeysCommand.class, DeviceRegisterCommand.class, DeviceRenewCertCommand.class})
final class DeviceCommand {
}
