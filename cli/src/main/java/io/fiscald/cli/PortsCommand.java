package io.fiscald.cli;

import io.fiscald.hal.port.PortDiscovery;
import io.fiscald.hal.port.PortInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code fiscalctl ports list}: the serial ports and USB printers of this till, and whether fiscald may use them. */
@Command(name = "ports", mixinStandardHelpOptions = true,
    description = "Find the ports a printer or fiscal module may be on.", subcommands = PortsCommand.ListPorts.class)
final class PortsCommand {
  private PortsCommand() {}

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List serial ports (USB adapters, on-board UARTs) and USB line printers with their description,",
          "USB vendor/product ids where the system reports them, and whether this user may open them. When it may",
          "not, it says which group to join (usually dialout for serial ports, lp for USB printers).", "",
          "Examples:", "  fiscalctl ports list", "  fiscalctl ports list --json"})
  static final class ListPorts extends BaseCommand {
    @Override
    int run() {
      List<PortInfo> ports = PortDiscovery.list();
      if (json()) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("user", System.getProperty("user.name"));
        doc.put("ports", ports);
        Output.printJson(System.out, doc);
        return 0;
      }
      if (ports.isEmpty()) {
        System.out.println("No serial ports or USB printers found. Plug the device in, then check `dmesg | tail`"
            + " (a USB-serial adapter shows up as /dev/ttyUSB0 or /dev/ttyACM0, a USB printer as /dev/usb/lp0);"
            + " network printers are not listed: use tcp:HOST:9100.");
        return 0;
      }
      System.out.printf("%-44s %-7s %-9s %-6s %s%n", "PORT", "KIND", "USB ID", "ACCESS", "DESCRIPTION");
      for (PortInfo p : ports) {
        String usb = p.vendorId() != null ? p.vendorId() + ":" + (p.productId() == null ? "????" : p.productId()) : "-";
        System.out.printf("%-44s %-7s %-9s %-6s %s%s%n", p.path(), p.kind(), usb, p.accessible() ? "ok" : "NO",
            p.description(), p.serialNumber() != null ? " (serial " + p.serialNumber() + ")" : "");
      }
      List<PortInfo> denied = ports.stream().filter(p -> !p.accessible()).toList();
      for (PortInfo p : denied) {
        System.out.println();
        System.out.println(p.path() + ": " + p.problem());
      }
      if (!denied.isEmpty()) {
        System.out.println();
        System.out.println("Why: device files belong to a group (dialout for serial ports, lp for printers), and only"
            + " its members may open them. Adding fiscald's user to that group once fixes it for good.");
      }
      return 0;
    }
  }
}
