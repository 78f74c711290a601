package io.fiscald.agent.device;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A data root holding one device directory per environment, {@code <root>/sandbox/} and
 * {@code <root>/production/}, each a full data directory, and {@code <root>/active-environment}
 * (one word) naming the one fiscalctl and fiscald use by default. A directory that holds
 * {@code fiscald.db} itself is a single-device directory instead, its environment its device's.
 */
public record DataRoot(Path path) {
  public static final String SANDBOX = "sandbox";
  public static final String PRODUCTION = "production";
  public static final List<String> ENVIRONMENTS = List.of(SANDBOX, PRODUCTION);
  public static final String ACTIVE_FILE = "active-environment";

  public DataRoot {
    path = path.toAbsolutePath().normalize();
  }

  /** Refuses anything but sandbox or production. */
  public static String checkEnvironment(String environment) {
    if (!ENVIRONMENTS.contains(environment)) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the environment must be sandbox or production, got '"
          + environment + "'", Map.of("field", "env"));
    }
    return environment;
  }

  /** True when {@code dir} holds a device itself (today's layout): environments do not apply to it. */
  public static boolean isSingleDevice(Path dir) {
    return Files.isRegularFile(dir.resolve(Database.FILE_NAME));
  }

  /** True when this directory is laid out by environment (it has an active-environment file). */
  public boolean isLayout() {
    return Files.isRegularFile(path.resolve(ACTIVE_FILE));
  }

  /** The environment named by active-environment, if the file exists; a bad word is refused. */
  public Optional<String> active() {
    Path file = path.resolve(ACTIVE_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String word = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (!ENVIRONMENTS.contains(word)) {
        throw new FiscalException(ErrorCode.CONFIG_INVALID, file + " must hold sandbox or production, not '" + word
            + "'; fix it with: fiscalctl env switch sandbox", Map.of("file", file.toString()));
      }
      return Optional.of(word);
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The device directory of {@code environment}. */
  public DataDirectory environment(String environment) {
    return new DataDirectory(path.resolve(checkEnvironment(environment)));
  }

  /** Replaces active-environment atomically (written beside it, then renamed over it). */
  public void writeActive(String environment) {
    checkEnvironment(environment);
    Path file = path.resolve(ACTIVE_FILE);
    Path temp = path.resolve(ACTIVE_FILE + ".new");
    try {
      Files.createDirectories(path);
      Files.writeString(temp, environment + "\n", StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot write " + file + ": " + e.getMessage());
    }
  }

  /** The root of an environment directory ({@code <root>/sandbox} of a laid-out root), if it is one. */
  public static Optional<DataRoot> of(DataDirectory dir) {
    Path name = dir.root().getFileName();
    Path parent = dir.root().getParent();
    if (name == null || parent == null || !ENVIRONMENTS.contains(name.toString())) {
      return Optional.empty();
    }
    DataRoot root = new DataRoot(parent);
    return root.isLayout() ? Optional.of(root) : Optional.empty();
  }
}
