package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every fiscalctl command shares: the global options, the data directory, output streams. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  abstract int run() throws Exception;

  Fiscalctl root() {
    return (Fiscalctl) spec.root().userObject();
  }

  boolean json() {
    return root().json;
  }

  Map<String, String> env() {
    return System.getenv();
  }

  DataDirectory dataDirectory() {
    return DataDirectory.resolve(root().dataDir, env());
  }

  /** The data directory, refused with DEVICE_NOT_INITIALISED (not a storage error) when it holds no database. */
  DataDirectory initialisedDataDirectory() {
    DataDirectory dir = dataDirectory();
    if (!Files.isRegularFile(dir.database())) {
      throw new FiscalException(ErrorCode.DEVICE_NOT_INITIALISED, "no device in " + dir.root()
          + "; create one with: fiscalctl init --data-dir " + dir.root(), Map.of("dataDir", dir.root().toString()));
    }
    return dir;
  }

  Agent openAgent() {
    return Agent.open(dataDirectory(), env(), Clock.systemUTC());
  }

  PrintStream out() {
    return System.out;
  }

  /** Where progress and human text go when standard output is reserved for JSON. */
  PrintStream humanOut() {
    return json() ? System.err : System.out;
  }

  /** Prints {@code value} as JSON with --json, else {@code text}. */
  void result(Object value, String text) {
    if (json()) {
      Output.printJson(System.out, value);
    } else {
      System.out.print(text.endsWith("\n") ? text : text + "\n");
      System.out.flush();
    }
  }
}
