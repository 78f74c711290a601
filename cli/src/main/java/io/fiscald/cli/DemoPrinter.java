package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.print.PrintWorker;
import io.fiscald.agent.print.PrinterProfiles;
import io.fiscald.hal.port.PortSpec;
import io.fiscald.hal.port.SerialSettings;
import io.fiscald.hal.print.EscPosPrinter;
import io.fiscald.sim.printer.PrinterEmulator;
import io.fiscald.sim.printer.SocatPair;
import io.fiscald.store.PrintJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's receipt printer: the printer emulator on a socat pseudo-terminal pair (TCP on loopback when
 * socat is missing), driven by the real print worker and ESC/POS driver, with one paper-out staged in the
 * middle of the day. Worker events are queued and told by the demo's own thread between receipts, so they
 * never cut into a receipt's text.
 */
final class DemoPrinter implements AutoCloseable {
  /** What the printer did, for the summary. */
  record Result(String port, String transport, int printed, Path paperRollPng) {}

  private final PrinterEmulator emulator;
  private final SocatPair cable;
  private final PrintWorker worker;
  private final String port;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final AtomicInteger printed = new AtomicInteger();
  private final CountDownLatch paperOut = new CountDownLatch(1);

  private DemoPrinter(PrinterEmulator emulator, SocatPair cable, PrintWorker worker, String port) {
    this.emulator = emulator;
    this.cable = cable;
    this.worker = worker;
    this.port = port;
  }

  static DemoPrinter start(Agent agent, Path dir, int width) throws IOException {
    PrinterEmulator emulator = new PrinterEmulator(width, width == 32 ? 384 : width == 42 ? 512 : 576);
    SocatPair cable = null;
    String port;
    if (SocatPair.available()) {
      cable = SocatPair.start(dir.resolve("printer.pty"), dir.resolve("printer.pty.emulator"));
      emulator.listenOnPty(cable.b());
      port = cable.a().toString();
    } else {
      emulator.listenOnTcp("127.0.0.1", 0);
      port = "tcp:127.0.0.1:" + emulator.port();
    }
    EscPosPrinter printer = new EscPosPrinter(port, PortSpec.parse(port, SerialSettings.DEFAULT),
        PrinterProfiles.forColumns(width));
    DemoPrinter[] self = new DemoPrinter[1];
    PrintWorker worker = PrintWorker.start(agent, printer,
        new PrintWorker.Settings(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(1)),
        new PrintWorker.Listener() {
          @Override
          public void printed(PrintJob job, String receiptNumber) {
            self[0].events.add("printer: " + receiptNumber + (job.copy() > 0 ? " copy " + job.copy() : "")
                + " printed" + (job.attempts() > 0 ? " (after " + job.attempts() + " failed attempt"
                + (job.attempts() > 1 ? "s" : "") + ")" : ""));
            synchronized (self[0].printed) {
              self[0].printed.incrementAndGet();
              self[0].printed.notifyAll();
            }
          }

          @Override
          public void failed(PrintJob job, String receiptNumber, String error) {
            self[0].events.add("printer: " + receiptNumber + " NOT printed - " + error.replace("[partly printed] ", "")
                + "; the job waits in the queue, the sale is already committed");
            self[0].paperOut.countDown();
          }
        });
    self[0] = new DemoPrinter(emulator, cable, worker, port);
    return self[0];
  }

  String port() {
    return port;
  }

  String transport() {
    return cable != null ? "pseudo-terminal (socat)" : "TCP (socat not installed)";
  }

  /** Once the {@code printedSoFar} receipts are on paper, the paper runs out a few hundred bytes into the next job. */
  void runOutOfPaperSoon(int printedSoFar) throws InterruptedException {
    awaitPrinted(printedSoFar);
    emulator.paperOutAfter(600);
  }

  /** Waits until the worker has reported the failed job (the paper-out), at most 20 s. */
  boolean awaitPaperOut() throws InterruptedException {
    return paperOut.await(20, TimeUnit.SECONDS);
  }

  /** The technician puts a new roll in; returns once the {@code waiting} receipts have printed (at most 20 s). */
  void newPaperRoll(int waiting) throws InterruptedException {
    emulator.paperOut(false);
    awaitPrinted(waiting);
  }

  private void awaitPrinted(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    synchronized (printed) {
      while (printed.get() < n && System.nanoTime() < deadline) {
        printed.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
    }
  }

  /** Looks for new print jobs now. */
  void wake() {
    worker.wake();
  }

  /** Tells what the printer did since the last call. */
  void tell(PrintStream say) {
    String e;
    while ((e = events.poll()) != null) {
      say.println(e);
    }
  }

  /** Waits until {@code jobs} jobs printed (at most 60 s), stops the worker and writes the paper roll. */
  /**
   * The demo's printer story after the {@code issued}-th receipt: paper runs out at the third, the
   * shop keeps selling, a new roll goes in at the fourth.
   */
  void narrateAfter(int issued, PrintStream say) throws InterruptedException {
    if (issued == 3 && awaitPaperOut()) {
      tell(say);
      say.println("(the shop keeps selling while the printer waits for paper)");
    } else if (issued == 4) {
      tell(say);
      say.println("printer: a new paper roll goes in");
      newPaperRoll(issued);
    }
    tell(say);
  }

  /** Waits for every job, writes the paper roll image and says how it went. */
  Result finishAndReport(int jobs, Path png, PrintStream say) throws InterruptedException, IOException {
    say.println();
    Result result = finish(jobs, png, say);
    say.println("printer: " + result.printed() + " of " + jobs + " receipts on paper; the paper roll as"
        + " an image: " + result.paperRollPng());
    return result;
  }

  Result finish(int jobs, Path png, PrintStream say) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (printed.get() < jobs && System.nanoTime() < deadline) {
      String e = events.poll(200, TimeUnit.MILLISECONDS);
      if (e != null) {
        say.println(e);
      }
    }
    worker.close();
    tell(say);
    emulator.roll().writePng(png);
    return new Result(port, transport(), printed.get(), png);
  }

  @Override
  public void close() {
    worker.close();
    emulator.close();
    if (cable != null) {
      cable.close();
    }
  }
}
