package io.fiscald.agent.api;

import io.fiscald.agent.Agent;
import io.fiscald.agent.sync.SyncWorker;
import java.time.Clock;

/**
 * Wires the tax authority into the daemon: the device's {@link SyncWorker} (ZIMRA or KRA) runs in the
 * background, feeds {@link ApiHooks#syncStatus()} (status, metrics, the authority alerts), is woken after
 * each receipt, and is stopped with the daemon. The {@code receipt.synced} / {@code receipt.rejected}
 * events are derived by the webhook dispatcher from the outbox rows the worker settles.
 */
public final class AuthorityWorkers {
  private AuthorityWorkers() {}

  /**
   * Starts the sync worker of {@code agent}'s authority and registers it on {@code hooks}; returns it, or
   * null for a profile that submits nothing (local), leaving the hooks as they were.
   *
   * @param alsoWake run too when the API signals a new receipt (the print worker's wake), or null
   */
  public static SyncWorker install(ApiHooks.Builder hooks, Agent agent, SyncWorker.Settings settings, Clock clock,
      Runnable alsoWake) {
    SyncWorker worker = SyncWorker.forDevice(agent, settings, clock);
    if (worker == null) {
      return null;
    }
    if (io.fiscald.agent.authority.kra.KraProfile.NAME.equals(agent.device().authority())) {
      // OSCU signs after the commit: the answer waits a little for the signature (docs/API.md)
      hooks.signatures(new io.fiscald.agent.authority.kra.KraApiSignatures(() -> worker.status().online()));
    }
    hooks.sync(worker::status).worker(worker).onPrintQueueChanged(() -> {
      if (alsoWake != null) {
        alsoWake.run();
      }
      worker.wake();
    });
    return worker;
  }
}
