package io.fiscald.agent.doctor;

import io.fiscald.hal.port.PortDiscovery;
import io.fiscald.hal.port.PortInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The printer's port exists and this user may open it. With no port named, every serial port and USB
 * printer found is checked; one this user may not open is explained (group dialout or lp), as in
 * {@code fiscalctl ports list}.
 */
final class PrinterPortCheck implements Check {
  private static final String GROUP_WHY = "Device files belong to a group (dialout for serial ports, lp for USB "
      + "printers) and only its members may open them. Add fiscald's user once: sudo usermod -aG dialout,lp fiscald "
      + "(then restart fiscald; a logged-in user must log in again)";
  private final String port;

  /** @param port the printer's device path (e.g. /dev/ttyUSB0), or null to look at every port found */
  PrinterPortCheck(String port) {
    this.port = port;
  }

  @Override
  public String name() {
    return "printer-port";
  }

  @Override
  public Finding run(DoctorContext ctx) {
    List<PortInfo> ports = PortDiscovery.list();
    if (port != null) {
      var seen = Finding.facts("port", port, "user", System.getProperty("user.name"));
      PortInfo found = ports.stream().filter(p -> p.path().equals(port)).findFirst().orElse(null);
      if (found == null && !Files.exists(Path.of(port))) {
        return Finding.fail(name(), "the printer port " + port + " does not exist", seen, "Plug the printer in and "
            + "check `dmesg | tail` for its name (/dev/ttyUSB0, /dev/ttyACM0, /dev/usb/lp0); fiscalctl ports list "
            + "shows what is there");
      }
      boolean ok = found != null ? found.accessible()
          : Files.isReadable(Path.of(port)) && Files.isWritable(Path.of(port));
      seen.put("accessible", ok);
      if (found != null) {
        seen.put("group", found.group());
      }
      if (!ok) {
        return Finding.fail(name(), "this user may not open " + port + (found != null && found.problem() != null
            ? " (" + found.problem() + ")" : ""), seen, GROUP_WHY);
      }
      return Finding.ok(name(), "printer port " + port + " present and accessible", seen);
    }
    var seen = Finding.facts("portsFound", ports.size(), "user", System.getProperty("user.name"));
    List<PortInfo> denied = ports.stream().filter(p -> !p.accessible()).toList();
    if (!denied.isEmpty()) {
      seen.put("notAccessible", denied.stream().map(PortInfo::path).toList());
      return Finding.warn(name(), denied.size() + " port(s) this user may not open: " + denied.stream()
          .map(p -> p.path() + (p.group() == null ? "" : " (group " + p.group() + ")")).toList(), seen, GROUP_WHY);
    }
    return Finding.ok(name(), ports.isEmpty() ? "no serial ports or USB printers found (a network printer is not "
        + "listed)" : ports.size() + " port(s) found, all accessible", seen);
  }
}
