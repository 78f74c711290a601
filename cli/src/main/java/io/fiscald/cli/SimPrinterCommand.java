package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.sim.printer.PrinterEmulator;
import io.fiscald.sim.printer.SocatPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl sim printer}: the ESC/POS printer emulator on a pseudo-terminal or TCP port, until stopped. */
@Command(name = "printer", mixinStandardHelpOptions = true,
    description = {"Run the ESC/POS receipt printer emulator until Ctrl-C: on a pseudo-terminal made with socat",
        "(--pty LINK: point the driver at LINK) or on a TCP port like a network printer (--listen HOST:PORT).",
        "It prints what it receives as text on standard output (receipt by receipt, at each cut), answers",
        "status queries, and on exit writes the paper roll as a PNG (--png).", "",
        "Examples:", "  fiscalctl sim printer --pty /tmp/printer --png /tmp/roll.png &",
        "  fiscalctl printer test --port /tmp/printer",
        "  fiscalctl sim printer --listen 127.0.0.1:9100 --paper-out"})
final class SimPrinterCommand extends BaseCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  /** Exactly one of --pty and --listen. */
  static final class Where {
    @Option(names = "--pty", paramLabel = "LINK",
        description = "Create a pseudo-terminal pair with socat and listen on it; LINK is the driver's side.")
    Path pty;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Listen on TCP (port 0: any free port).")
    String listen;
  }

  @Option(names = "--paper-out", description = "Start with no paper (status: paper out) to see the driver wait.")
  boolean paperOut;

  @Option(names = "--png", paramLabel = "FILE", description = "Write the paper roll as a PNG to FILE on exit.")
  Path png;

  @Option(names = "--width", defaultValue = "48", paramLabel = "COLUMNS",
      description = "Paper width in columns: 32, 42 or 48 (default ${DEFAULT-VALUE}).")
  int width;

  @Override
  int run() throws Exception {
    if (width != 32 && width != 42 && width != 48) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--width must be 32, 42 or 48, got " + width);
    }
    PrinterEmulator emulator = new PrinterEmulator(width, width == 32 ? 384 : width == 42 ? 512 : 576);
    emulator.paperOut(paperOut);
    SocatPair pair = null;
    if (where.pty != null) {
      if (!SocatPair.available()) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "socat is needed for --pty; install it (apt-get"
            + " install socat) or use --listen HOST:PORT");
      }
      if (Files.exists(where.pty, LinkOption.NOFOLLOW_LINKS)) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, where.pty + " already exists; remove it or choose"
            + " another --pty path", Map.of("path", where.pty.toString()));
      }
      pair = SocatPair.start(where.pty, where.pty.resolveSibling(where.pty.getFileName() + ".printer"));
      emulator.listenOnPty(pair.b());
    } else {
      int colon = where.listen.lastIndexOf(':');
      if (colon <= 0) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--listen wants HOST:PORT, e.g. 127.0.0.1:9100");
      }
      try {
        emulator.listenOnTcp(where.listen.substring(0, colon), Integer.parseInt(where.listen.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--listen port is not a number: " + where.listen);
      } catch (IOException e) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "cannot listen on " + where.listen + ": "
            + e.getMessage());
      }
    }
    String address = pair != null ? pair.a().toString() : "tcp:" + where.listen.substring(0,
        where.listen.lastIndexOf(':')) + ":" + emulator.port();
    CountDownLatch stopped = new CountDownLatch(1);
    SocatPair cable = pair;
    java.io.PrintStream echo = humanOut();
    Thread printerOut = new Thread(() -> echoReceipts(emulator, stopped, echo), "sim-printer-echo");
    printerOut.setDaemon(true);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      if (cable != null) {
        cable.close();
      }
      if (png != null) {
        try {
          emulator.roll().writePng(png);
          System.err.println("paper roll written to " + png.toAbsolutePath());
        } catch (IOException e) {
          System.err.println("cannot write " + png + ": " + e.getMessage());
        }
      }
      stopped.countDown();
    }, "sim-printer-stop"));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("port", address);
    view.put("columns", width);
    view.put("paperOut", paperOut);
    if (json()) {
      System.out.println(Output.jsonLine(view));
    } else {
      System.out.println("printer emulator listening on " + address + " (" + width + " columns"
          + (paperOut ? ", paper out" : "") + "); try: fiscalctl printer test "
          + (pair != null ? "--port " : "--tcp ") + address.replaceFirst("^tcp:", "") + "   (Ctrl-C to stop)");
    }
    System.out.flush();
    printerOut.start();
    stopped.await();
    return 0;
  }

  /** Prints each receipt as it is cut off, so the technician sees what the printer would have printed. */
  private static void echoReceipts(PrinterEmulator emulator, CountDownLatch stopped, java.io.PrintStream out) {
    int shown = 0;
    try {
      while (stopped.getCount() > 0) {
        if (emulator.awaitCuts(shown + 1, java.time.Duration.ofSeconds(1))) {
          var receipts = emulator.receipts();
          for (; shown < receipts.size(); shown++) {
            out.print(receipts.get(shown));
            out.println("- - - - - - - - - 8< - - - - - - - - -");
            out.flush();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
