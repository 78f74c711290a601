package io.fiscald.hal.port;

import com.fazecast.jSerialComm.SerialPort;
import io.fiscald.hal.port.internal.DeviceAccess;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Lists the serial ports and USB line printers of this machine and whether this user may open them. */
public final class PortDiscovery {
  private PortDiscovery() {}

  public static List<PortInfo> list() {
    Map<String, PortInfo> found = new TreeMap<>();
    for (SerialPort p : SerialPort.getCommPorts()) {
      String path = p.getSystemPortPath();
      if (path == null || path.startsWith("/dev/pts/")) {
        continue; // jSerialComm echoes back ptys opened earlier in this process; they are not hardware
      }
      int vid = p.getVendorID();
      int pid = p.getProductID();
      String serial = p.getSerialNumber();
      String description = p.getPortDescription().equals(p.getDescriptivePortName()) ? p.getPortDescription()
          : p.getPortDescription() + " (" + p.getDescriptivePortName() + ")";
      found.put(path, info(path, "serial", description,
          vid > 0 ? hex(vid) : null, pid > 0 ? hex(pid) : null,
          serial == null || serial.isBlank() || serial.equals("Unknown") ? null : serial));
    }
    for (String path : glob("/dev/usb", "lp*")) {
      found.put(path, info(path, "usb-lp", "USB line printer", null, null, null));
    }
    List<PortInfo> out = new ArrayList<>(found.values());
    for (String alias : glob("/dev/serial/by-id", "*")) {
      out.add(info(alias, "serial", "stable name for " + resolve(alias), null, null, null));
    }
    return out;
  }

  private static PortInfo info(String path, String kind, String description, String vid, String pid, String serial) {
    String problem = DeviceAccess.problem(path).orElse(null);
    return new PortInfo(path, kind, description, vid, pid, serial, DeviceAccess.group(path).orElse(null),
        problem == null, problem);
  }

  private static String hex(int id) {
    return String.format(Locale.ROOT, "%04x", id);
  }

  private static String resolve(String link) {
    try {
      return Path.of(link).toRealPath().toString();
    } catch (IOException e) {
      return link;
    }
  }

  private static List<String> glob(String dir, String pattern) {
    List<String> out = new ArrayList<>();
    Path d = Path.of(dir);
    if (!Files.isDirectory(d)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(d, pattern)) {
      s.forEach(p -> out.add(p.toString()));
    } catch (IOException e) {
      // an unreadable /dev directory lists nothing rather than failing the whole listing
    }
    out.sort(null);
    return out;
  }
}
