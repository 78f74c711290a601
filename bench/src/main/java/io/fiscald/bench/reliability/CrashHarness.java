package io.fiscald.bench.reliability;

import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.agent.api.Role;
import io.fiscald.agent.device.DataDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Durable before acknowledged, the hard way: {@code fiscalctl serve} runs as a child JVM while N POS
 * clients issue receipts with Idempotency-Keys; after a random number of acknowledgements it is killed
 * with SIGKILL, checked (every 2xx receipt present with its number and hash, audit clean,
 * integrity_check ok), restarted, and an answered key is replayed — cycle after cycle.
 */
public final class CrashHarness {
  /** How hard to push: kill cycles, concurrent clients, most acknowledgements before a kill, seed. */
  public record Settings(int cycles, int clients, int maxAcksPerCycle, long seed, List<String> launcher, Path work) {}

  private CrashHarness() {}

  public static Report run(Settings s, PrintStream progress) throws Exception {
    Report report = new Report("crash");
    report.put("cycles", 0).put("clients", s.clients()).put("seed", s.seed());
    report.put("receiptsAcknowledged", 0).put("refusedAnswers", 0).put("sigkillExit137", 0);
    report.put("acknowledgedLost", 0).put("hashMismatches", 0).put("chainBreaks", 0).put("integrityFailures", 0);
    report.put("replaysChecked", 0).put("replaysDiffering", 0);
    BenchDevice device = BenchDevice.create(s.work().resolve("data"));
    DataDirectory dir = device.dir();
    String cashier = device.token("pos", Role.CASHIER);
    String technician = device.token("tech", Role.TECHNICIAN);
    device.unthrottle(0);
    Path log = s.work().resolve("daemon-stderr.log");
    Random random = new Random(s.seed());
    Map<String, String> acknowledged = new ConcurrentHashMap<>(); // receipt number -> chain hash
    Map<String, String> answers = new ConcurrentHashMap<>(); // idempotency key -> exact answer body
    long started = System.nanoTime();
    for (int cycle = 0; cycle < s.cycles(); cycle++) {
      try (DaemonProcess daemon = DaemonProcess.start(s.launcher(), dir.root(), log)) {
        ApiCaller api = new ApiCaller(daemon.baseUri());
        if (cycle == 0) {
          ApiCaller.Answer open = api.post("v1/day/open", technician, "day-open", "");
          if (!open.success()) {
            report.violation("cannot open the day: " + open.status() + " " + open.body());
            break;
          }
        } else if (!answers.isEmpty()) {
          replayOne(api, cashier, answers, random, report, cycle);
        }
        int killAfter = 1 + random.nextInt(s.maxAcksPerCycle());
        CountDownLatch enough = new CountDownLatch(killAfter);
        AtomicBoolean dead = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < s.clients(); t++) {
          String prefix = "c" + cycle + "-t" + t + "-";
          Thread th = new Thread(() -> issueUntilDead(api, cashier, prefix, dead, acknowledged, answers, enough,
              report), "pos-" + t);
          th.start();
          clients.add(th);
        }
        boolean reached = enough.await(180, TimeUnit.SECONDS);
        if (!reached) {
          report.violation("cycle " + cycle + ": fewer than " + killAfter + " receipts in 180 s");
        }
        if (!daemon.alive()) {
          report.violation("cycle " + cycle + ": the daemon died on its own (see " + log + ")");
        }
        int exit = daemon.kill();
        dead.set(true);
        for (Thread th : clients) {
          th.join();
        }
        if (exit == 137) {
          report.add("sigkillExit137", 1);
        }
      }
      JournalCheck.verify(dir.database(), acknowledged, report, "after kill " + (cycle + 1));
      report.put("cycles", cycle + 1).put("receiptsAcknowledged", acknowledged.size());
      if (progress != null && ((cycle + 1) % 10 == 0 || cycle + 1 == s.cycles())) {
        progress.printf("crash: %d/%d cycles, %d receipts acknowledged, %d violation(s)%n", cycle + 1, s.cycles(),
            acknowledged.size(), report.violations().size());
      }
    }
    report.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
    return report;
  }

  private static void issueUntilDead(ApiCaller api, String token, String prefix, AtomicBoolean dead,
      Map<String, String> acknowledged, Map<String, String> answers, CountDownLatch enough, Report report) {
    for (int i = 0; !dead.get(); i++) {
      String key = prefix + i;
      ApiCaller.Answer a;
      try {
        a = api.post("v1/receipts", token, key, BenchDevice.SALE);
      } catch (IOException e) {
        return; // the daemon died under this request: it was never acknowledged
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (a.success()) {
        acknowledged.put(a.json().path("receiptNumber").asText(), a.json().path("hash").asText());
        answers.put(key, a.body());
        enough.countDown();
      } else {
        report.add("refusedAnswers", 1);
        if (a.status() >= 500) {
          report.violation("a receipt got " + a.status() + ": " + a.body());
        }
      }
    }
  }

  /** A key answered before a crash must be answered the same way after it, and not issue a second receipt. */
  private static void replayOne(ApiCaller api, String cashier, Map<String, String> answers, Random random,
      Report report, int cycle) throws Exception {
    List<String> keys = new ArrayList<>(answers.keySet());
    String key = keys.get(random.nextInt(keys.size()));
    ApiCaller.Answer replay = api.post("v1/receipts", cashier, key, BenchDevice.SALE);
    report.add("replaysChecked", 1);
    if (!replay.body().equals(answers.get(key))) {
      report.add("replaysDiffering", 1);
      report.violation("cycle " + cycle + ": key " + key + " answered " + replay.status() + " " + replay.body()
          + " after the crash, before it: " + answers.get(key));
    }
  }
}
