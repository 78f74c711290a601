package io.fiscald.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.api.internal.Json;
import io.fiscald.agent.device.DataDirectory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a running daemon leaves in its data directory for fiscalctl: {@code daemon.json} (pid and API
 * address, removed at stop) and {@code api-token} (a technician token, 0600, renewed at each start).
 */
public record DaemonInfo(long pid, URI url, String startedAt) {
  public static final String FILE_NAME = "daemon.json";
  public static final String TOKEN_FILE_NAME = "api-token";

  public static Path file(DataDirectory dir) {
    return dir.root().resolve(FILE_NAME);
  }

  public static Path tokenFile(DataDirectory dir) {
    return dir.root().resolve(TOKEN_FILE_NAME);
  }

  /** The daemon.json of {@code dir}, if there is a readable one (it may be stale after a crash: probe it). */
  public static Optional<DaemonInfo> read(DataDirectory dir) {
    Path f = file(dir);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(f));
      return Optional.of(new DaemonInfo(n.path("pid").asLong(), URI.create(n.path("url").asText()),
          n.path("startedAt").asText()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  void write(DataDirectory dir) throws IOException {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("pid", pid);
    v.put("url", url.toString());
    v.put("startedAt", startedAt);
    writePrivate(file(dir), Json.write(v) + "\n");
  }

  /** Writes {@code text} to {@code target} readable by the owner only, replacing it atomically. */
  static void writePrivate(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, text);
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
