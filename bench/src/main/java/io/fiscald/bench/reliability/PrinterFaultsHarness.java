package io.fiscald.bench.reliability;

import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.agent.Agent;
import io.fiscald.agent.audit.JournalAuditor;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.print.PrintWorker;
import io.fiscald.agent.print.PrinterProfiles;
import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptLine;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.hal.port.PortSpec;
import io.fiscald.hal.port.SerialSettings;
import io.fiscald.hal.print.EscPosPrinter;
import io.fiscald.sim.printer.PrinterEmulator;
import io.fiscald.sim.printer.SocatPair;
import io.fiscald.store.Database;
import io.fiscald.store.PrintJob;
import io.fiscald.store.PrintJobs;
import io.fiscald.store.Receipts;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Issues receipts through the print worker to the ESC/POS printer emulator over a socat pseudo-terminal
 * pair while a seeded schedule throws the shop's printer faults at it — paper out (before and in the
 * middle of a job), offline, cover open, cable pulled and plugged back, garbage on the line — and asks
 * for reprints. In the end the fiscal record audits clean and the emulator's decoded paper shows every
 * receipt exactly once as an original, plus exactly the copies asked for, each marked as a copy.
 */
public final class PrinterFaultsHarness {
  /** Receipts to issue, fault schedule seed, scratch directory. */
  public record Settings(int receipts, long seed, Path work) {}

  private static final List<String> FAULTS = List.of("paper-out", "paper-out-mid-job", "offline", "cover-open",
      "unplug-replug", "garbage");
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

  private PrinterFaultsHarness() {}

  public static Report run(Settings s, PrintStream progress) throws Exception {
    Report report = new Report("printer-faults");
    if (!SocatPair.available()) {
      report.violation("socat is not installed: the printer harness needs pseudo-terminals (apt-get install socat)");
      return report;
    }
    report.put("receipts", 0).put("reprintsRequested", 0).put("faultsInjected", 0).put("faultsByKind", Map.of())
        .put("printFailuresRecorded", 0).put("originalsOnPaper", 0).put("copiesOnPaper", 0)
        .put("retryCopiesOnPaper", 0).put("copiesNotResent", 0)
        .put("receiptsNotPrinted", 0).put("receiptsPrintedTwice", 0).put("copiesMissingOrExtra", 0)
        .put("copiesUnmarked", 0).put("jobsStillPending", 0).put("chainBreaks", 0);
    BenchDevice device = BenchDevice.create(s.work().resolve("data"));
    DataDirectory dir = device.dir();
    Random random = new Random(s.seed());
    Map<String, Long> faults = new TreeMap<>();
    Map<String, Integer> copiesAsked = new LinkedHashMap<>();
    List<String> issued = new ArrayList<>();
    List<String> paper;
    try (Agent agent = Agent.open(dir, BenchDevice.ENV, Clock.systemUTC());
        SocatPair cable = SocatPair.start(s.work().resolve("lp"), s.work().resolve("lp-emulator"));
        PrinterEmulator emulator = new PrinterEmulator().listenOnPty(cable.b())) {
      agent.core().openDay();
      String path = cable.a().toString();
      EscPosPrinter printer = new EscPosPrinter(path, PortSpec.parse(path, SerialSettings.DEFAULT),
          PrinterProfiles.forColumns(48).withTimeouts(300, 5000));
      PrintWorker worker = PrintWorker.start(agent, printer,
          new PrintWorker.Settings(Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(200)),
          new PrintWorker.Listener() {
            @Override
            public void failed(PrintJob job, String receiptNumber, String error) {
              report.add("printFailuresRecorded", 1);
            }
          });
      try {
        for (int i = 0; i < s.receipts(); i++) {
          String fault = random.nextInt(3) == 0 ? FAULTS.get(random.nextInt(FAULTS.size())) : null;
          if (fault != null) {
            faults.merge(fault, 1L, Long::sum);
            report.add("faultsInjected", 1);
            inject(fault, emulator, cable, random);
          }
          String number = agent.core().issue(sale(i)).receipt().receiptNumber();
          issued.add(number);
          worker.wake();
          if (random.nextInt(8) == 0) {
            String again = issued.get(random.nextInt(issued.size()));
            worker.reprint(again);
            copiesAsked.merge(again, 1, Integer::sum);
            report.add("reprintsRequested", 1);
          }
          if (fault != null) {
            Thread.sleep(200 + random.nextInt(600)); // the fault lasts a while: jobs fail and wait
            clear(fault, emulator, cable);
          }
          report.put("receipts", issued.size());
          if (progress != null && (i + 1) % 25 == 0) {
            progress.printf("printer-faults: %d/%d receipts%n", i + 1, s.receipts());
          }
        }
        awaitDrained(dir, DRAIN_TIMEOUT);
      } finally {
        worker.close();
      }
      report.put("faultsByKind", faults);
      paper = emulator.receipts();
    }
    try (Connection c = Database.openReadOnly(dir.database())) {
      checkPaper(paper, issued, copiesAsked, copiesNotResent(c), report);
      long pending = PrintJobs.pendingCount(c);
      report.put("jobsStillPending", pending);
      if (pending > 0) {
        report.violation(pending + " print job(s) never printed");
      }
      if (Receipts.count(c) != issued.size()) {
        report.violation("the database holds " + Receipts.count(c) + " receipts, " + issued.size() + " were issued");
      }
      var audit = JournalAuditor.audit(c);
      report.put("chainBreaks", audit.ok() ? 0 : 1);
      if (!audit.ok()) {
        report.violation("audit failed: " + audit.finding());
      }
    }
    return report;
  }

  private static void inject(String fault, PrinterEmulator emulator, SocatPair cable, Random random) {
    switch (fault) {
      case "paper-out" -> emulator.paperOut(true);
      case "paper-out-mid-job" -> emulator.paperOutAfter(100 + random.nextInt(600));
      case "offline" -> emulator.offline(true);
      case "cover-open" -> emulator.coverOpen(true);
      case "unplug-replug" -> cable.stop();
      default -> emulator.garbage(true);
    }
  }

  private static void clear(String fault, PrinterEmulator emulator, SocatPair cable) {
    switch (fault) {
      case "paper-out", "paper-out-mid-job" -> emulator.paperOut(false);
      case "offline" -> emulator.offline(false);
      case "cover-open" -> emulator.coverOpen(false);
      case "unplug-replug" -> cable.restart();
      default -> emulator.garbage(false);
    }
  }

  private static ReceiptRequest sale(int i) {
    String price = (100 + i % 900) + ".00";
    return new ReceiptRequest(ReceiptType.INVOICE, "KES", true,
        List.of(new ReceiptLine("Item " + i, BigDecimal.ONE, new BigDecimal(price), "B")),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal(price), null)), null, null, null);
  }

  private static void awaitDrained(DataDirectory dir, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = Database.openReadOnly(dir.database())) {
        if (PrintJobs.pendingCount(c) == 0) {
          return;
        }
      }
      Thread.sleep(100);
    }
  }

  /** Asked-for copies the worker ended unconfirmed (status FAILED) rather than risk printing twice, by number. */
  private static Map<String, Integer> copiesNotResent(Connection c) throws java.sql.SQLException {
    Map<String, Integer> out = new TreeMap<>();
    try (var st = c.prepareStatement("SELECT r.receipt_number, count(*) FROM print_jobs j JOIN receipts r"
        + " ON r.id = j.receipt_id WHERE j.status = 'FAILED' GROUP BY r.receipt_number");
        var rs = st.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }

  /**
   * Reads the emulator's cut receipts: each number at most once as an original, and exactly the copies asked
   * for. A retry after a send that may have reached the paper is printed as a marked copy carrying the line
   * "an earlier print may be on paper" (docs/PRINTERS.md): such a retry copy is correct, stands in for an
   * original the faults may have eaten, and is not an asked-for copy; an asked-for copy whose send was
   * uncertain is not resent, so it may be missing, as the worker recorded.
   */
  private static void checkPaper(List<String> paper, List<String> issued, Map<String, Integer> copiesAsked,
      Map<String, Integer> notResent, Report report) {
    Map<String, int[]> seen = new LinkedHashMap<>();
    for (String number : issued) {
      seen.put(number, new int[3]); // originals, asked-for copies, retry copies
    }
    for (String r : paper) {
      for (String number : issued) {
        if (r.contains("No: " + number + " ")) {
          boolean copy = r.contains("*** COPY ");
          boolean retry = copy && r.contains("an earlier print may be on paper");
          seen.get(number)[retry ? 2 : copy ? 1 : 0]++;
          report.add(copy ? "copiesOnPaper" : "originalsOnPaper", 1);
          if (retry) {
            report.add("retryCopiesOnPaper", 1);
          }
          if (copy && r.contains("[DRAWER PIN")) {
            report.add("copiesUnmarked", 1);
            report.violation("a copy of " + number + " opened the cash drawer like an original");
          }
        }
      }
    }
    notResent.values().forEach(n -> report.add("copiesNotResent", n));
    seen.forEach((number, counts) -> {
      if (counts[0] == 0 && counts[2] == 0) {
        report.add("receiptsNotPrinted", 1);
        report.violation(number + " was never printed");
      } else if (counts[0] > 1) {
        report.add("receiptsPrintedTwice", 1);
        report.violation(number + " was printed " + counts[0] + " times as an original");
      }
      int asked = copiesAsked.getOrDefault(number, 0);
      int maybeOut = notResent.getOrDefault(number, 0);
      // more than asked is a doubled copy; fewer is a lost one, unless the worker ended it as maybe on paper
      if (counts[1] > asked || counts[1] + counts[2] < asked - maybeOut) {
        report.add("copiesMissingOrExtra", 1);
        report.violation(number + ": " + asked + " cop(ies) asked for, " + counts[1] + " on paper (and "
            + counts[2] + " retry copies, " + maybeOut + " not resent)");
      }
    });
  }
}
