package io.fiscald.agent.doctor;

import io.fiscald.agent.api.DaemonInfo;
import io.fiscald.store.DataDirLock;
import io.fiscald.store.DataDirLockedException;
import io.fiscald.store.StoreException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether fiscald runs on this data directory: who holds the lock (the lock file names the pid), and
 * whether its API answers {@code /healthz} at the address it wrote in daemon.json.
 */
final class DaemonCheck implements Check {
  @Override
  public String name() {
    return "daemon";
  }

  /** The holder of the data directory's lock ("pid 1234"), or empty when nobody holds it. */
  static Optional<String> lockHolder(DoctorContext ctx) {
    if (!Files.isDirectory(ctx.dir().root())) {
      return Optional.empty();
    }
    try (DataDirLock free = DataDirLock.acquire(ctx.dir().root())) {
      return Optional.empty();
    } catch (DataDirLockedException e) {
      return Optional.of(e.holder());
    } catch (StoreException e) {
      return Optional.of("unknown (" + e.getMessage() + ")");
    }
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    Optional<String> holder = lockHolder(ctx);
    Optional<DaemonInfo> info = DaemonInfo.read(ctx.dir());
    var seen = Finding.facts("lockHolder", holder.orElse(null), "url", info.map(i -> i.url().toString()).orElse(null));
    if (holder.isEmpty()) {
      return Finding.warn(name(), "fiscald is not running on this data directory: the POS cannot issue receipts",
          seen, "Start it: sudo systemctl start fiscald (see why it stopped: journalctl -u fiscald -n 50), or "
              + "fiscalctl serve during setup");
    }
    if (info.isEmpty()) {
      return Finding.ok(name(), "the data directory is in use by " + holder.get() + " (a fiscalctl command, or "
          + "fiscald starting)", seen);
    }
    seen.put("pid", info.get().pid());
    seen.put("startedAt", info.get().startedAt());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long started = System.nanoTime();
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(info.get().url().resolve("/healthz"))
          .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
      seen.put("healthz", r.statusCode());
      seen.put("latencyMillis", (System.nanoTime() - started) / 1_000_000);
      if (r.statusCode() == 200) {
        return Finding.ok(name(), "fiscald runs (pid " + info.get().pid() + ") and answers at " + info.get().url(),
            seen);
      }
    } catch (java.io.IOException e) {
      seen.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
    }
    return Finding.fail(name(), "fiscald holds the data directory but its API does not answer", seen, "Restart it: "
        + "sudo systemctl restart fiscald, then look at journalctl -u fiscald -n 100 for why it hung");
  }
}
