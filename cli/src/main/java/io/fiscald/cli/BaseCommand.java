package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.config.ConfigKeys;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DataRoot;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
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

  GlobalOptions root() {
    return (GlobalOptions) spec.root().userObject();
  }

  boolean json() {
    return root().json;
  }

  private Map<String, String> env;

  /**
   * The process environment as the agent sees it: with FISCALD_CONFIG naming the configuration file
   * ({@code --config}, else $FISCALD_CONFIG, else {@code <data-dir>/fiscald.conf}) and the file's
   * {@code master-key-file} as FISCALD_MASTER_KEY_FILE when the environment does not name one.
   */
  Map<String, String> env() {
    if (env == null) {
      Map<String, String> e = new HashMap<>(systemEnv());
      if (root().config != null) {
        if (!Files.isRegularFile(root().config)) {
          throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "no configuration file " + root().config,
              Map.of("file", root().config.toString()));
        }
        e.put(FiscaldConfig.ENV_CONFIG, root().config.toAbsolutePath().toString());
      } else if (e.get(FiscaldConfig.ENV_CONFIG) == null || e.get(FiscaldConfig.ENV_CONFIG).isBlank()) {
        e.put(FiscaldConfig.ENV_CONFIG, DataDirectory.base(root().dataDir, e).resolve(FiscaldConfig.FILE_NAME)
            .toString());
      }
      FiscaldConfig config = FiscaldConfig.read(Path.of(e.get(FiscaldConfig.ENV_CONFIG)), e);
      if (config.file().problems().isEmpty() && e.get(DataDirectory.ENV_MASTER_KEY_FILE) == null) {
        config.value(ConfigKeys.MASTER_KEY_FILE).ifPresent(f -> e.put(DataDirectory.ENV_MASTER_KEY_FILE,
            f.toString()));
      }
      env = Map.copyOf(e);
    }
    return env;
  }

  /** The environment variables of this process (the demo adjusts them for its private run). */
  Map<String, String> systemEnv() {
    return System.getenv();
  }

  /** The configuration in effect, refused with CONFIG_INVALID when the file is broken. */
  FiscaldConfig config() {
    FiscaldConfig c = FiscaldConfig.read(Path.of(env().get(FiscaldConfig.ENV_CONFIG)), env());
    c.file().requireValid();
    return c;
  }

  /** The environment asked for with the global --env, or null for the active one. */
  String environment() {
    return root().environment == null ? null : DataRoot.checkEnvironment(root().environment);
  }

  DataDirectory dataDirectory() {
    return DataDirectory.resolve(root().dataDir, env(), environment());
  }

  /**
   * Where a command that creates a device of {@code commandEnv} (init, device register) puts it: the
   * environment's directory of a data root when the global --env is given or the root is laid out by
   * environment (active-environment is written when missing), else the data directory itself as before.
   */
  DataDirectory creationDirectory(String commandEnv) {
    String global = environment();
    Path base = DataDirectory.base(root().dataDir, env());
    DataRoot root = new DataRoot(base);
    if (DataRoot.isSingleDevice(base) || (global == null && !root.isLayout())) {
      return DataDirectory.resolve(root().dataDir, env(), global);
    }
    String target = DataRoot.checkEnvironment(global != null ? global : commandEnv);
    if (!root.isLayout()) {
      root.writeActive(target);
    }
    return root.environment(target);
  }

  /** The environment a creating command's device belongs to: the global --env when given, else its own. */
  String creationEnvironment(String commandEnv) {
    String global = environment();
    boolean given = spec.commandLine().getParseResult().hasMatchedOption("--env");
    if (global != null && given && !global.equals(commandEnv)) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "fiscalctl --env " + global + " and the command's --env "
          + commandEnv + " disagree; give one", Map.of("field", "env"));
    }
    return global != null ? global : commandEnv;
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
