package io.fiscald.agent.api;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.agent.device.DataDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fiscald as a service: the agent (lock, database, key, fiscal core), the local API, webhooks and
 * alerts, plus the files fiscalctl uses to reach it. {@link #close()} stops in the safe order:
 * stop accepting and finish requests in flight, stop deliveries, commit what the writer holds,
 * release the lock, then remove daemon.json.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);
  /** Name of the technician token the daemon renews for fiscalctl at each start. */
  public static final String LOCAL_TOKEN_NAME = "fiscalctl-local";

  private final Agent agent;
  private final ApiServer server;
  private final WebhookDispatcher webhooks;
  private final ApiHooks hooks;
  private final DataDirectory dir;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Daemon(Agent agent, ApiServer server, WebhookDispatcher webhooks, ApiHooks hooks, DataDirectory dir) {
    this.hooks = hooks;
    this.agent = agent;
    this.server = server;
    this.webhooks = webhooks;
    this.dir = dir;
  }

  /**
   * Opens {@code dir} and starts serving. {@code hooks} builds the hooks from the open agent (the
   * printer and sync workers need it). Start-up failures are FiscalExceptions with a clear code
   * (DATA_DIR_LOCKED, PORT_IN_USE, MASTER_KEY_INVALID, CONFIG_INVALID, DEVICE_NOT_INITIALISED).
   */
  public static Daemon start(DataDirectory dir, Map<String, String> env, ApiConfig config,
      Function<Agent, ApiHooks> hooks, Clock clock) {
    return start(dir, env, config, null, hooks, clock);
  }

  /**
   * As {@link #start(DataDirectory, Map, ApiConfig, Function, Clock)}, with verified backups taken on the
   * schedule of {@code backups} (null: none), reported in /v1/status, metrics and the backup alerts.
   */
  public static Daemon start(DataDirectory dir, Map<String, String> env, ApiConfig config,
      io.fiscald.agent.backup.BackupPolicy backups, Function<Agent, ApiHooks> hooks, Clock clock) {
    Agent agent = Agent.open(dir, env, clock);
    WebhookDispatcher webhooks = null;
    ApiServer server = null;
    ApiHooks h = null;
    try {
      h = hooks.apply(agent);
      if (backups != null) {
        h = h.withBackups(io.fiscald.agent.backup.BackupScheduler.start(dir, agent.device().deviceId(), backups,
            clock));
      }
      webhooks = WebhookDispatcher.start(agent, config, h, clock);
      for (AutoCloseable w : h.workers()) {
        if (w instanceof io.fiscald.agent.sync.SyncWorker sync) {
          WebhookDispatcher d = webhooks; // receipt.synced / receipt.rejected come from the outbox: just wake it
          sync.publishTo((type, data) -> d.eventsAppended());
        }
      }
      server = ApiServer.start(agent, config, h, webhooks, clock);
      try (Connection c = agent.newStateConnection()) {
        TokenService.NewToken token = TokenService.renew(c, LOCAL_TOKEN_NAME, Role.TECHNICIAN, clock);
        DaemonInfo.writePrivate(DaemonInfo.tokenFile(dir), token.token().revealUtf8() + "\n");
      }
      new DaemonInfo(ProcessHandle.current().pid(), server.baseUri(), Timestamps.format(clock.instant()))
          .write(dir);
      return new Daemon(agent, server, webhooks, h, dir);
    } catch (IOException | SQLException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      if (webhooks != null) {
        webhooks.close();
      }
      if (h != null) {
        stopWorkers(h);
      }
      agent.close();
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot write the daemon's files in " + dir.root() + ": "
          + e.getMessage());
    }
  }

  private static void stopWorkers(ApiHooks hooks) {
    for (AutoCloseable w : hooks.workers()) {
      try {
        w.close();
      } catch (Exception e) {
        log.warn("stopping {}: {}", w, e.getMessage());
      }
    }
  }

  public ApiServer server() {
    return server;
  }

  public Agent agent() {
    return agent;
  }

  public WebhookDispatcher webhooks() {
    return webhooks;
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      log.info("fiscald stopping: no new requests, finishing those in flight");
      server.close();
      try {
        Files.deleteIfExists(DaemonInfo.file(dir)); // before the lock goes: a successor writes its own
      } catch (IOException e) {
        log.warn("could not remove {}: {}", DaemonInfo.file(dir), e.getMessage());
      }
      webhooks.close();
      stopWorkers(hooks);
      agent.close(); // the fiscal writer commits what it holds, then the lock is released
      log.info("fiscald stopped");
    } finally {
      stopped.countDown();
    }
  }
}
