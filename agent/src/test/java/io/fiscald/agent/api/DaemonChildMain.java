package io.fiscald.agent.api;

import io.fiscald.agent.device.DataDirectory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

/** Runs a daemon in a child JVM for the crash test: prints {@code READY <url>} once it serves, then waits. */
public final class DaemonChildMain {
  private DaemonChildMain() {}

  public static void main(String[] args) throws Exception {
    ApiConfig config = ApiConfig.defaults()
        .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false)
        .withRateLimit(1_000_000, 1_000_000);
    Daemon daemon = Daemon.start(new DataDirectory(Path.of(args[0])), System.getenv(), config,
        agent -> ApiHooks.defaults(agent.device().authority()), Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::close));
    System.out.println("READY " + daemon.server().baseUri());
    System.out.flush();
    daemon.awaitStopped();
  }
}
