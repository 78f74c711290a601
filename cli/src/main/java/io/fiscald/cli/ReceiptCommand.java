package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.core.ReceiptView;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.profile.AuthorityProfiles;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.agent.render.ReceiptText;
import io.fiscald.store.Database;
import io.fiscald.store.DeviceRecord;
import io.fiscald.store.Devices;
import io.fiscald.store.Journal;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.PrintJobs;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fiscalctl receipt issue|show}. */
@Command(name = "receipt", mixinStandardHelpOptions = true, description = "Issue and look up fiscal receipts.",
    subcommands = {ReceiptCommand.Issue.class, ReceiptCommand.Show.class})
final class ReceiptCommand {

  static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "no such file: " + file);
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
    }
  }

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = {"Issue the receipt described in a request file (docs/RECEIPT-REQUEST.md), N times.",
          "Prints one JSON line per receipt as soon as it is committed to the journal, so the output is the",
          "list of acknowledged receipts even if the process is killed.", "", "Examples:",
          "  fiscalctl receipt issue --file docs/examples/receipt-request.json",
          "  fiscalctl receipt issue --file sale.json --repeat 20000 --concurrency 32"})
  static final class Issue extends BaseCommand {
    @Option(names = "--file", required = true, paramLabel = "REQUEST.json", description = "The receipt request.")
    Path file;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N", description = "Issue it N times (default 1).")
    int repeat;

    @Option(names = "--concurrency", defaultValue = "32", paramLabel = "C",
        description = "Receipts in flight at once; they share commits (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    int run() throws Exception {
      if (repeat < 1 || concurrency < 1) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--repeat and --concurrency must be at least 1");
      }
      ReceiptRequest request = new ReceiptRequestParser().parse(readFile(file));
      var daemon = DaemonClient.ifRunning(dataDirectory());
      if (daemon.isPresent()) { // fiscald owns the data directory: go through its API
        return daemon.get().issueAll(readFile(file), repeat, concurrency, System.out);
      }
      try (Agent agent = openAgent()) {
        return issueAll(agent.core(), request);
      }
    }

    private int issueAll(FiscalCore core, ReceiptRequest request) throws InterruptedException {
      PrintStream out = System.out;
      ExecutorService printer = Executors.newSingleThreadExecutor(r -> new Thread(r, "receipt-printer"));
      Semaphore inFlight = new Semaphore(concurrency);
      AtomicReference<FiscalException> failure = new AtomicReference<>();
      AtomicLong issued = new AtomicLong();
      long commitsBefore = core.commits();
      ProgressBar progress = repeat > 1 && System.console() != null && !json()
          ? new ProgressBarBuilder().setTaskName("Issuing").setInitialMax(repeat)
              .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()
          : null;
      long start = System.nanoTime();
      for (int i = 0; i < repeat && failure.get() == null; i++) {
        inFlight.acquire();
        core.submit(request).whenCompleteAsync((receipt, error) -> {
          if (error != null) {
            failure.compareAndSet(null, ErrorReporter.toFiscal(error));
          } else {
            out.println(Output.jsonLine(ReceiptView.of(receipt)));
            out.flush();
            issued.incrementAndGet();
            if (progress != null) {
              progress.step();
            }
          }
          inFlight.release();
        }, printer);
      }
      inFlight.acquire(concurrency);
      printer.shutdown();
      printer.awaitTermination(1, TimeUnit.MINUTES);
      if (progress != null) {
        progress.close();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (failure.get() != null) {
        throw failure.get();
      }
      if (repeat > 1) {
        long commits = core.commits() - commitsBefore;
        System.err.printf("issued %d receipts in %.2f s: %.0f receipts/s, %d commits (%.1f receipts per commit)%n",
            issued.get(), seconds, issued.get() / seconds, commits, issued.get() / (double) Math.max(1, commits));
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"Show a receipt by its number, as JSON or as printed text.", "", "Examples:",
          "  fiscalctl receipt show INV-000001", "  fiscalctl receipt show INV-000001 --text"})
  static final class Show extends BaseCommand {
    @Parameters(paramLabel = "NUMBER", description = "Receipt number, e.g. INV-000001.")
    String number;

    @Option(names = "--text", description = "Print it as the printer would.")
    boolean text;

    @Option(names = "--width", defaultValue = "48", description = "Paper width in columns (32, 42 or 48).")
    int width;

    @Override
    int run() throws Exception {
      try (Connection c = Database.openReadOnly(initialisedDataDirectory().database())) {
        ReceiptRecord row = Receipts.findByNumber(c, number).orElseThrow(() -> new FiscalException(
            ErrorCode.RECEIPT_NOT_FOUND, "no receipt " + number + " on this device"));
        JournalEntry entry = Journal.get(c, row.journalSeq()).orElseThrow(() -> new FiscalException(
            ErrorCode.AUDIT_FAILED, "receipt " + number + " has no journal entry; run fiscalctl audit verify"));
        DeviceRecord device = Devices.find(c).orElseThrow();
        DeviceSettings settings = Agent.settingsOf(device);
        FiscalReceipt receipt = ReceiptCodec.receipt(row.body());
        ReceiptSeal seal = new ReceiptSeal(entry.seq(), entry.hash(), entry.signature());
        if (text && !json()) {
          var profile = AuthorityProfiles.forDevice(device, settings);
          if (io.fiscald.agent.authority.zimra.ZimraProfile.NAME.equals(device.authority())) {
            // the Receipt48 header comes from the stored getConfig, read here without a writer
            profile = io.fiscald.agent.authority.zimra.ZimraProfile.forDevice(device, c, java.time.Clock.systemUTC());
          }
          var block = profile.fiscalBlock(receipt, seal);
          System.out.print(ReceiptText.render(receipt, settings, block, profile.header(receipt).orElse(null), 0,
              width));
          return 0;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("receipt", receipt);
        view.put("journalSeq", seal.journalSeq());
        view.put("hash", seal.hashHex());
        view.put("verificationCode", seal.verificationCode());
        view.put("printState", PrintJobs.latestFor(c, row.id()).map(j -> j.status()).orElse("NONE"));
        Output.printJson(System.out, view);
      }
      return 0;
    }
  }
}
