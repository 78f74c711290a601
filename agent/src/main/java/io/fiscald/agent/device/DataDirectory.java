package io.fiscald.agent.device;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.store.Database;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a device's files live: the database, the master key file (unless the key comes from the
 * environment), the lock, and the default backup folder.
 */
public record DataDirectory(Path root) {
  /** Environment variable naming the data directory when {@code --data-dir} is not given. */
  public static final String ENV_DATA_DIR = "FISCALD_DATA_DIR";
  /** Environment variable naming the master key file, overriding {@code <data-dir>/master.key}. */
  public static final String ENV_MASTER_KEY_FILE = "FISCALD_MASTER_KEY_FILE";

  public DataDirectory {
    root = root.toAbsolutePath().normalize();
  }

  /**
   * The device directory: {@code --data-dir}, else {@code $FISCALD_DATA_DIR}, else
   * {@code ~/.local/share/fiscald}; in a data root laid out by environment ({@link DataRoot}), its
   * active environment's directory.
   */
  public static DataDirectory resolve(Path explicit, Map<String, String> env) {
    return resolve(explicit, env, null);
  }

  /**
   * As {@link #resolve(Path, Map)}, with {@code environment} (sandbox or production; null: the active
   * one) picking the environment directory of a data root. A single-device directory (it holds
   * fiscald.db) refuses an explicit environment: its environment is its device's.
   */
  public static DataDirectory resolve(Path explicit, Map<String, String> env, String environment) {
    Path base = base(explicit, env);
    if (DataRoot.isSingleDevice(base)) {
      if (environment != null) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, base + " holds a single device (fiscald.db); --env "
            + "applies to a data root with sandbox/ and production/ directories (docs/ENVIRONMENTS.md)",
            Map.of("dataDir", base.toString()));
      }
      return new DataDirectory(base);
    }
    DataRoot root = new DataRoot(base);
    if (environment != null) {
      return root.environment(environment);
    }
    return root.active().map(root::environment).orElseGet(() -> new DataDirectory(base));
  }

  /** The directory given by {@code --data-dir}, $FISCALD_DATA_DIR or the default, before any environment. */
  public static Path base(Path explicit, Map<String, String> env) {
    if (explicit != null) {
      return explicit.toAbsolutePath().normalize();
    }
    String fromEnv = env.get(ENV_DATA_DIR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv).toAbsolutePath().normalize();
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("fiscald").toAbsolutePath().normalize();
  }

  /** Where fiscald.conf lives by default: the data root of an environment directory, else this directory. */
  public Path configBase() {
    return DataRoot.of(this).map(DataRoot::path).orElse(root);
  }

  public Path database() {
    return root.resolve(Database.FILE_NAME);
  }

  public Path masterKeyFile(Map<String, String> env) {
    String file = env.get(ENV_MASTER_KEY_FILE);
    return file != null && !file.isBlank() ? Path.of(file) : root.resolve("master.key");
  }

  public Path backups() {
    return root.resolve("backups");
  }
}
