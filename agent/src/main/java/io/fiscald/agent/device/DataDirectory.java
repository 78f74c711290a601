package io.fiscald.agent.device;

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

  /** {@code --data-dir}, else {@code $FISCALD_DATA_DIR}, else {@code ~/.local/share/fiscald}. */
  public static DataDirectory resolve(Path explicit, Map<String, String> env) {
    if (explicit != null) {
      return new DataDirectory(explicit);
    }
    String fromEnv = env.get(ENV_DATA_DIR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new DataDirectory(Path.of(fromEnv));
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return new DataDirectory(base.resolve("fiscald"));
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
