package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.print.PrinterProfiles;
import io.fiscald.hal.port.FlowControl;
import io.fiscald.hal.port.PortSpec;
import io.fiscald.hal.port.SerialSettings;
import io.fiscald.hal.print.EscPosPrinter;
import io.fiscald.hal.print.PrinterException;
import io.fiscald.hal.print.PrinterNotReadyException;
import io.fiscald.hal.print.PrinterProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where the printer is and what model it is: shared by the {@code printer} commands. */
final class PrinterOptions {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  /** Exactly one of --port and --tcp. */
  static final class Where {
    @Option(names = "--port", paramLabel = "PATH",
        description = "Serial port or device file: /dev/ttyUSB0, /dev/serial/by-id/..., /dev/usb/lp0, a pty.")
    String port;

    @Option(names = "--tcp", paramLabel = "HOST:PORT", description = "Network printer, raw port (usually 9100).")
    String tcp;
  }

  @Option(names = "--width", paramLabel = "COLUMNS",
      description = "Paper width: 32 (58 mm), 42 or 48 (80 mm). Default: the profile's, else 48.")
  Integer width;

  @Option(names = "--profile", paramLabel = "NAME|FILE",
      description = "Printer profile: a built-in name (generic-80mm, generic-58mm, generic-42col, epson-tm-t20,"
          + " basic-58mm-no-qr) or a JSON file (docs/PRINTERS.md).")
  String profile;

  @Option(names = "--baud", defaultValue = "9600", paramLabel = "BAUD",
      description = "Serial speed (default ${DEFAULT-VALUE}, 8N1).")
  int baud;

  @Option(names = "--flow", defaultValue = "NONE", paramLabel = "FLOW",
      description = "Serial flow control: NONE, RTS_CTS or XON_XOFF (default ${DEFAULT-VALUE}).")
  FlowControl flow;

  PrinterProfile profile() {
    PrinterProfile p;
    if (profile == null) {
      p = PrinterProfiles.forColumns(width == null ? 48 : width);
    } else if (Files.exists(Path.of(profile))) {
      p = PrinterProfiles.load(Path.of(profile), null);
    } else {
      p = PrinterProfiles.builtIn(profile);
    }
    if (width != null && width != p.columns()) {
      if (width != 32 && width != 42 && width != 48) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--width must be 32, 42 or 48, got " + width);
      }
      p = p.withColumns(width);
    }
    return p;
  }

  EscPosPrinter open() {
    SerialSettings serial;
    try {
      serial = SerialSettings.DEFAULT.withBaudRate(baud).withFlowControl(flow);
    } catch (IllegalArgumentException e) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
    }
    PortSpec spec;
    try {
      spec = where.tcp != null ? PortSpec.tcp(where.tcp, serial) : PortSpec.parse(where.port, serial);
    } catch (IllegalArgumentException e) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
    }
    return new EscPosPrinter(spec.path(), spec, profile());
  }

  /** The one error shape for a printer that failed: not ready (with its status) or unavailable. */
  static FiscalException error(PrinterException e) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("printer", e.printer());
    if (e.lastStatus() != null) {
      details.put("status", e.lastStatus().describe());
    }
    return new FiscalException(e instanceof PrinterNotReadyException ? ErrorCode.PRINTER_NOT_READY
        : ErrorCode.PRINTER_UNAVAILABLE, e.getMessage(), details, e);
  }
}
