package io.fiscald.bench.reliability;

import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraRegistrar;
import io.fiscald.agent.authority.kra.KraRegistration;
import io.fiscald.agent.authority.kra.KraRuntime;
import io.fiscald.agent.authority.kra.KraSync;
import io.fiscald.agent.authority.zimra.FdmsClient;
import io.fiscald.agent.authority.zimra.ZimraDevice;
import io.fiscald.agent.authority.zimra.ZimraOnboarding;
import io.fiscald.agent.authority.zimra.ZimraProfile;
import io.fiscald.agent.authority.zimra.ZimraReceipts;
import io.fiscald.agent.authority.zimra.ZimraSettings;
import io.fiscald.agent.authority.zimra.ZimraState;
import io.fiscald.agent.authority.zimra.ZimraSync;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptLine;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.sim.kra.AcceptedInvoice;
import io.fiscald.sim.kra.EtimsEndpoint;
import io.fiscald.sim.kra.EtimsFaults;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.Transport;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsReceiptView;
import io.fiscald.sim.zimra.FdmsRoute;
import io.fiscald.sim.zimra.FdmsSimulator;
import io.fiscald.store.Database;
import io.fiscald.store.Outbox;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import io.fiscald.store.secret.Secret;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Issues receipts on a ZIMRA and/or a KRA device registered against the in-process authority simulators while a
 * seeded schedule throws authority faults at the sync — connections refused, server errors, stalls past the
 * client timeout, answers lost after the server committed (dropped or held past the timeout), duplicates (ZIMRA's
 * network duplicate, KRA's 994) and, on ZIMRA, TLS handshakes against an unknown CA — then clears them and drains.
 * In the end the simulator's stored receipts are compared with our journal: none lost, none sent twice with other
 * content, none out of order.
 */
public final class AuthorityFaults {
  /** Which authority ({@code zimra}, {@code kra} or {@code both}), receipts per authority, seed, scratch dir. */
  public record Settings(String authority, int receipts, long seed, Path work) {}

  static final List<String> ZIMRA_FAULTS = List.of("refused", "http-500", "stall-past-timeout",
      "answer-dropped-after-commit", "answer-late-after-commit", "duplicate", "tls-unknown-ca");
  static final List<String> KRA_FAULTS = List.of("refused", "http-503", "stall-past-timeout",
      "answer-dropped-after-commit", "answer-late-after-commit", "duplicate-994");

  private static final int ZIMRA_DEVICE = 30199;
  private static final String KRA_PIN = "P051234567X";
  private static final String KRA_SERIAL = "SN-KRA-0001";
  /** Short client timeouts so "past the timeout" costs a second, not ZIMRA's production 30 s. */
  private static final int TIMEOUT_SECONDS = 1;
  private static final Duration STALL = Duration.ofMillis(2500);
  private static final int DRAIN_ROUNDS = 200;

  private AuthorityFaults() {}

  public static Report run(Settings s, PrintStream progress) throws Exception {
    Report report = new Report("authority-faults");
    report.put("authority", s.authority()).put("receiptsPerAuthority", s.receipts()).put("seed", s.seed());
    boolean zimra = !"kra".equals(s.authority());
    boolean kra = !"zimra".equals(s.authority());
    if (zimra) {
      zimra(s, report, progress);
    }
    if (kra) {
      kra(s, report, progress);
    }
    return report;
  }

  /** Test mode lets a sandbox device reach the simulators on loopback; a fresh master key for each run. */
  private static Map<String, String> env() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Map.of("FISCALD_MASTER_KEY", Base64.getEncoder().encodeToString(key), "FISCALD_TEST_MODE", "true");
  }

  // ---------------------------------------------------------------------------------------------- ZIMRA

  private static void zimra(Settings s, Report report, PrintStream progress) throws Exception {
    Clock clock = Clock.systemUTC();
    Map<String, String> env = env();
    Random random = new Random(s.seed());
    Map<String, Long> injected = new TreeMap<>();
    ZIMRA_FAULTS.forEach(f -> injected.put(f, 0L));
    try (FdmsSimulator sim = FdmsSimulator.start(FdmsSimulator.Options.builder()
        .clock(Clock.system(ZoneId.of("Africa/Harare"))).closeDelay(Duration.ofMillis(50)).build())) {
      sim.addDevice(FdmsDevice.builder(ZIMRA_DEVICE, "SN-001", "ABC12345").build());
      DataDirectory dir = new DataDirectory(s.work().resolve("zimra"));
      ZimraOnboarding.register(dir, env, new ZimraOnboarding.Request(ZIMRA_DEVICE, "SN-001",
          Secret.ofUtf8("ABC12345"), "sandbox", sim.baseUrl(), sim.caCertificatePem(), KeyAlgorithm.EC_P256, "USD",
          null), clock);
      try (Agent agent = Agent.open(dir, env, clock); Connection state = agent.newStateConnection()) {
        ZimraState.saveSettings(state, withTimeout(ZimraState.requireSettings(state), TIMEOUT_SECONDS),
            Instant.now(clock).toString());
        agent.core().openDay();
        for (int i = 0; i < s.receipts(); i++) {
          agent.core().issue(zimraSale(i));
          if (random.nextInt(2) == 0) {
            String fault = ZIMRA_FAULTS.get(random.nextInt(ZIMRA_FAULTS.size()));
            int fired = sim.faults().fired();
            // the sync sends pipelined runs: the fault hits the first, second or third receipt of the round's run
            // (one that is pending, so that it fires)
            int before = (int) Math.min(random.nextInt(3), ZimraSync.status(state).pending() - 1);
            ZimraSync.Step step = zimraFault(sim, fault, before,
                () -> zimraRound(agent, state, clock, before + 1 + random.nextInt(2)));
            if (sim.faults().fired() > fired || ("refused".equals(fault) && step == ZimraSync.Step.BACKOFF)) {
              injected.merge(fault, 1L, Long::sum);
            }
            sim.faults().clear();
          } else {
            zimraRound(agent, state, clock, 1 + random.nextInt(3));
          }
          if (progress != null && (i + 1) % 50 == 0) {
            progress.printf("authority-faults zimra: %d/%d receipts%n", i + 1, s.receipts());
          }
        }
        sim.faults().clear();
        agent.core().closeDay();
        ZimraSync.Step last = ZimraSync.Step.PROGRESS;
        for (int r = 0; r < DRAIN_ROUNDS && last != ZimraSync.Step.IDLE && last != ZimraSync.Step.BLOCKED; r++) {
          last = zimraRound(agent, state, clock, 1000);
          if (last == ZimraSync.Step.WAITING || last == ZimraSync.Step.BACKOFF) {
            Thread.sleep(100);
          }
        }
        ZimraSync.Status status = ZimraSync.status(state);
        report.put("zimra.faultsInjected", injected).put("zimra.finalStep", last.name())
            .put("zimra.pendingAfterDrain", status.pending()).put("zimra.rejected", status.rejected())
            .put("zimra.serverDayStatus", String.valueOf(status.serverDayStatus()));
        if (status.pending() > 0 || status.rejected() > 0 || last != ZimraSync.Step.IDLE) {
          report.violation("ZIMRA sync did not drain: last step " + last + ", pending " + status.pending()
              + ", rejected " + status.rejected() + ", last error " + status.lastError());
        }
      }
      report.put("zimra.submitReceiptCalls", sim.calls(FdmsRoute.SUBMIT_RECEIPT));
      compareZimra(dir, sim.receipts(ZIMRA_DEVICE), report);
      checkInjected("zimra", injected, report);
    }
  }

  private static ZimraSync.Step zimraFault(FdmsSimulator sim, String fault, int passFirst, Round round)
      throws Exception {
    var f = sim.faults();
    if (passFirst > 0) {
      f.passNext(FdmsRoute.SUBMIT_RECEIPT, passFirst);
    }
    switch (fault) {
      case "refused" -> f.refuseConnections(true);
      case "http-500" -> f.failNext(FdmsRoute.SUBMIT_RECEIPT, 1, 500);
      case "stall-past-timeout" -> f.stallNext(FdmsRoute.SUBMIT_RECEIPT, 1, STALL);
      case "answer-dropped-after-commit" -> f.dropAnswerNext(FdmsRoute.SUBMIT_RECEIPT, 1);
      case "answer-late-after-commit" -> f.stallAfterCommitNext(FdmsRoute.SUBMIT_RECEIPT, 1, STALL);
      case "duplicate" -> f.duplicateNext(FdmsRoute.SUBMIT_RECEIPT, 1);
      case "tls-unknown-ca" -> f.failTlsHandshakes(1);
      default -> throw new IllegalArgumentException(fault);
    }
    try {
      return round.run();
    } finally {
      f.refuseConnections(false);
    }
  }

  /** One sync round with a fresh client, so pooled connections never hide a refused port or a new handshake. */
  private static ZimraSync.Step zimraRound(Agent agent, Connection state, Clock clock, int maxSteps) {
    try (FdmsClient client = ZimraDevice.client(state, agent.secrets(), agent.device(), true, clock)) {
      ZimraSync sync = new ZimraSync(state, client, ZimraState.requireSettings(state),
          (ZimraProfile) agent.core().profile(), clock, Duration.ofMillis(50), 200);
      return sync.drain(maxSteps);
    }
  }

  private static ZimraSettings withTimeout(ZimraSettings s, int seconds) {
    return new ZimraSettings(s.baseUrl(), s.environment(), s.deviceSerialNo(), s.deviceModelName(),
        s.deviceModelVersion(), s.versionHeaderName(), s.csrCommonNameTemplate(), s.csrOptionalSubject(),
        s.ecdsaEncoding(), s.roundingMode(), s.counterOrder(), s.qrDataSource(), s.submitFileTransport(), seconds,
        s.timeZone(), s.trustedCaPem(), s.renewBeforeDays(), s.offlineFileMaxBytes());
  }

  private static ReceiptRequest zimraSale(int i) {
    String price = (1 + i % 50) + ".20";
    return new ReceiptRequest(ReceiptType.INVOICE, "USD", true,
        List.of(new ReceiptLine("Bread " + i, BigDecimal.ONE, new BigDecimal(price), "2", null, null, "19059000",
            null)),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal(price), null)), null, null, null);
  }

  /** Ours vs FDMS's: every globalNo there with our hash, never two hashes for one number, arrival ascending. */
  private static void compareZimra(DataDirectory dir, List<FdmsReceiptView> server, Report report) throws Exception {
    Map<Long, String> ours = new TreeMap<>();
    try (Connection c = Database.openReadOnly(dir.database())) {
      for (ReceiptRecord row : Receipts.all(c)) {
        ours.put(row.globalNo(), ReceiptCodec.receipt(row.body()).authorityFields().get(ZimraReceipts.HASH));
      }
    }
    Map<Long, Set<String>> hashes = new HashMap<>();
    long lost = 0;
    long twiceDifferent = 0;
    long storedTwice = 0;
    long orderViolations = 0;
    long validationErrors = 0;
    long previous = 0;
    for (FdmsReceiptView v : server) {
      long n = v.receiptGlobalNo();
      if (hashes.containsKey(n)) {
        storedTwice++; // FDMS stored the number again; with the same hash it is an idempotent replay
      }
      hashes.computeIfAbsent(n, k -> new HashSet<>()).add(v.hash());
      if (n <= previous) {
        orderViolations++;
        report.violation("ZIMRA: receiptGlobalNo " + n + " arrived after " + previous);
      }
      previous = Math.max(previous, n);
      validationErrors += v.validationErrors().isEmpty() ? 0 : 1;
    }
    for (Map.Entry<Long, String> e : ours.entrySet()) {
      Set<String> there = hashes.get(e.getKey());
      if (there == null) {
        lost++;
        report.violation("ZIMRA: receipt global " + e.getKey() + " never reached FDMS");
      } else if (there.size() > 1 || !there.contains(e.getValue())) {
        twiceDifferent++;
        report.violation("ZIMRA: FDMS holds global " + e.getKey() + " with hash(es) " + there + ", we journalled "
            + e.getValue());
      }
    }
    for (Long n : hashes.keySet()) {
      if (!ours.containsKey(n)) {
        twiceDifferent++;
        report.violation("ZIMRA: FDMS holds global " + n + " which we never issued");
      }
    }
    report.put("zimra.receiptsIssued", ours.size()).put("zimra.receiptsOnServer", hashes.size())
        .put("zimra.receiptsLost", lost).put("zimra.sentTwiceDifferentContent", twiceDifferent)
        .put("zimra.orderViolations", orderViolations).put("zimra.storedTwiceSameContent", storedTwice)
        .put("zimra.serverValidationErrors", validationErrors);
    if (validationErrors > 0) {
      report.violation("ZIMRA: " + validationErrors + " receipt(s) carry validation errors on FDMS");
    }
  }

  // ------------------------------------------------------------------------------------------------ KRA

  private static void kra(Settings s, Report report, PrintStream progress) throws Exception {
    Clock clock = Clock.systemUTC();
    Map<String, String> env = env();
    Random random = new Random(s.seed() + 1);
    Map<String, Long> injected = new TreeMap<>();
    KRA_FAULTS.forEach(f -> injected.put(f, 0L));
    try (EtimsSimulator sim = EtimsSimulator.start(EtimsSimulator.Options.defaults()
        .maxStall(Duration.ofSeconds(30)).requireStockForGoods(false))) {
      sim.registerDevice(KRA_PIN, "00", KRA_SERIAL);
      sim.registerTaxpayer(KRA_PIN, "Demo Shop Ltd");
      DataDirectory dir = new DataDirectory(s.work().resolve("kra"));
      Map<String, Object> changes = new HashMap<>();
      changes.put("trackStock", false);
      changes.put("callTimeoutSeconds", TIMEOUT_SECONDS);
      changes.put("signatureWaitMillis", 0);
      KraConfig config = KraConfig.of(KRA_PIN, "00", KRA_SERIAL, "sandbox", "oscu", sim.baseUrl(Transport.OSCU))
          .with(changes);
      KraRegistrar.register(dir, env, new KraRegistration(config, null, null, null, null, false), clock);
      List<String> issued = new ArrayList<>();
      try (Agent agent = Agent.open(dir, env, clock); KraRuntime kra = KraRuntime.attach(agent, clock)) {
        agent.core().openDay();
        kra.sync();
        for (int i = 0; i < s.receipts(); i++) {
          String fault = random.nextInt(2) == 0 ? KRA_FAULTS.get(random.nextInt(KRA_FAULTS.size())) : null;
          EtimsFaults f = sim.faults();
          if (fault != null) {
            int before = kraFired(f);
            armKra(f, fault);
            issued.add(kra.issue(kraSale(i)).issued().receipt().receiptNumber());
            kra.sync();
            if (kraFired(f) > before || "refused".equals(fault)) {
              injected.merge(fault, 1L, Long::sum);
            }
            f.refuseConnections(false);
            f.clear();
            f.releaseStalled(); // a stalled call goes on now, after our client gave up on it
          } else {
            issued.add(kra.issue(kraSale(i)).issued().receipt().receiptNumber());
          }
          if (random.nextInt(3) == 0) {
            kra.sync();
          }
          if (progress != null && (i + 1) % 50 == 0) {
            progress.printf("authority-faults kra: %d/%d receipts%n", i + 1, s.receipts());
          }
        }
        sim.faults().clear();
        KraSync.Result last = kra.sync();
        for (int r = 0; r < DRAIN_ROUNDS && last.pending() > 0 && !last.blocked(); r++) {
          Thread.sleep(100);
          last = kra.sync();
        }
        long pending;
        long rejected;
        try (Connection c = agent.newStateConnection()) {
          pending = Outbox.pendingCount(c);
          rejected = Receipts.all(c).stream()
              .filter(row -> kra.outboxOf(row.receiptNumber()).map(m -> "REJECTED".equals(m.status())).orElse(false))
              .count();
        }
        report.put("kra.faultsInjected", injected).put("kra.pendingAfterDrain", pending).put("kra.rejected",
            rejected);
        if (pending > 0 || rejected > 0 || last.blocked()) {
          report.violation("KRA sync did not drain: pending " + pending + ", rejected " + rejected + ", blocked "
              + last.blocked() + ", last error " + last.lastError());
        }
        compareKra(kra, issued, sim.invoices(KRA_PIN, "00"), report);
      }
      checkInjected("kra", injected, report);
    }
  }

  private static int kraFired(EtimsFaults f) {
    int n = 0;
    for (EtimsFaults.Kind k : EtimsFaults.Kind.values()) {
      n += f.fired(k);
    }
    return n;
  }

  private static void armKra(EtimsFaults f, String fault) {
    switch (fault) {
      case "refused" -> f.refuseConnections(true);
      case "http-503" -> f.serverError(EtimsEndpoint.SAVE_SALE, 1);
      case "stall-past-timeout" -> f.stall(EtimsEndpoint.SAVE_SALE, 1);
      case "answer-dropped-after-commit" -> f.dropAfterCommit(EtimsEndpoint.SAVE_SALE, 1);
      case "answer-late-after-commit" -> f.timeoutAfterCommit(EtimsEndpoint.SAVE_SALE, 1);
      case "duplicate-994" -> f.duplicate994(EtimsEndpoint.SAVE_SALE, 1);
      default -> throw new IllegalArgumentException(fault);
    }
  }

  private static ReceiptRequest kraSale(int i) {
    String price = (100 + i % 900) + ".00";
    return new ReceiptRequest(ReceiptType.INVOICE, "KES", true,
        List.of(new ReceiptLine("Item " + i, BigDecimal.ONE, new BigDecimal(price), "B")),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal(price), null)), null, null, null);
  }

  /** Ours vs eTIMS's: every receipt there once, with the invcNo our signature says; invcNo 1, 2, 3… on arrival. */
  private static void compareKra(KraRuntime kra, List<String> issued, List<AcceptedInvoice> server, Report report) {
    Map<String, List<AcceptedInvoice>> byNumber = new LinkedHashMap<>();
    long orderViolations = 0;
    long expected = 1;
    Set<Long> invcNos = new HashSet<>();
    long twiceDifferent = 0;
    long storedTwice = 0;
    for (AcceptedInvoice inv : server) {
      byNumber.computeIfAbsent(inv.trdInvcNo(), k -> new ArrayList<>()).add(inv);
      if (inv.invcNo() != expected) {
        orderViolations++;
        report.violation("KRA: invcNo " + inv.invcNo() + " arrived where " + expected + " was next");
      }
      expected = inv.invcNo() + 1;
      if (!invcNos.add(inv.invcNo())) {
        twiceDifferent++;
        report.violation("KRA: eTIMS holds invcNo " + inv.invcNo() + " twice");
      }
    }
    long lost = 0;
    for (String number : issued) {
      List<AcceptedInvoice> there = byNumber.getOrDefault(number, List.of());
      if (there.isEmpty()) {
        lost++;
        report.violation("KRA: receipt " + number + " never reached eTIMS");
        continue;
      }
      if (there.size() > 1) {
        boolean same = there.stream().map(AcceptedInvoice::totAmt).distinct().count() == 1
            && there.stream().map(a -> a.items().size()).distinct().count() == 1;
        if (same) {
          storedTwice++;
        } else {
          twiceDifferent++;
        }
        report.violation("KRA: eTIMS accepted receipt " + number + " " + there.size() + " times (invcNos "
            + there.stream().map(AcceptedInvoice::invcNo).toList() + ")");
      }
      long ourInvcNo = kra.signature(number).map(sig -> (long) sig.invcNo()).orElse(-1L);
      if (ourInvcNo != there.get(0).invcNo()) {
        twiceDifferent++;
        report.violation("KRA: receipt " + number + " is invcNo " + there.get(0).invcNo() + " on eTIMS, our "
            + "signature says " + ourInvcNo);
      }
    }
    report.put("kra.receiptsIssued", issued.size()).put("kra.receiptsOnServer", byNumber.size())
        .put("kra.receiptsLost", lost).put("kra.sentTwiceDifferentContent", twiceDifferent)
        .put("kra.orderViolations", orderViolations).put("kra.acceptedTwiceSameContent", storedTwice);
  }

  // ------------------------------------------------------------------------------------------------ shared

  /** A mode that never fired did not test anything: with enough receipts every mode must have fired. */
  private static void checkInjected(String authority, Map<String, Long> injected, Report report) {
    long total = injected.values().stream().mapToLong(Long::longValue).sum();
    report.put(authority + ".faultsInjectedTotal", total);
    if (total == 0) {
      report.violation(authority + ": no fault was injected; give more --receipts");
    }
  }

  @FunctionalInterface
  private interface Round {
    ZimraSync.Step run() throws Exception;
  }
}
