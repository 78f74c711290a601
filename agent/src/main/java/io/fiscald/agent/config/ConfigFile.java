package io.fiscald.agent.config;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text of {@code fiscald.conf} read strictly: {@code key = value} lines and {@code #} comments;
 * a malformed line, an unknown key, a key given twice, a bad value and a secret written in the file
 * are all problems naming their line. Reading never stops at the first problem, so
 * {@code config check} can list them all.
 */
public final class ConfigFile {
  /** A value as written: its text, its line and its typed form. */
  public record Entry(ConfigKey key, String text, int line, Object value) {}

  private final Path path;
  private final Map<String, Entry> entries;
  private final List<ConfigFinding> problems;

  private ConfigFile(Path path, Map<String, Entry> entries, List<ConfigFinding> problems) {
    this.path = path;
    this.entries = Collections.unmodifiableMap(entries);
    this.problems = List.copyOf(problems);
  }

  /** No file: every key at its default. */
  public static ConfigFile empty() {
    return new ConfigFile(null, new LinkedHashMap<>(), List.of());
  }

  /** Reads {@code file}, which must exist; problems are collected, not thrown. */
  public static ConfigFile read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.CONFIG_INVALID, "cannot read the configuration " + file + ": "
          + e.getMessage(), Map.of("file", file.toString()));
    }
    return parse(file, lines);
  }

  static ConfigFile parse(Path file, List<String> lines) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<ConfigFinding> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      int n = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        problems.add(new ConfigFinding("(line)", n, "'" + line + "' is not a 'key = value' line",
            "write key = value, or start the line with # to make it a comment"));
        continue;
      }
      String name = line.substring(0, eq).strip();
      String text = line.substring(eq + 1).strip();
      Optional<ConfigKey> key = ConfigKeys.find(name);
      if (key.isEmpty()) {
        problems.add(new ConfigFinding(name, n, "unknown key '" + name + "'",
            "remove it or correct its name; `fiscalctl config template` lists every key"));
        continue;
      }
      Entry earlier = entries.get(name);
      if (earlier != null) {
        problems.add(new ConfigFinding(name, n, "'" + name + "' is already set on line " + earlier.line(),
            "keep one of the two lines"));
        continue;
      }
      ConfigKey k = key.get();
      if (k.secret()) {
        entries.put(name, new Entry(k, text, n, null));
        problems.add(new ConfigFinding(name, n, "the secret '" + name + "' is written in the file",
            "remove the line; give it in $" + k.envVar() + " or in a 0600 file named by " + k.fileKey()));
        continue;
      }
      if (text.isEmpty()) {
        problems.add(new ConfigFinding(name, n, "'" + name + "' has no value",
            "give " + k.type().expected() + ", or remove the line to use the default"));
        continue;
      }
      try {
        entries.put(name, new Entry(k, text, n, k.type().parse(text)));
      } catch (IllegalArgumentException e) {
        problems.add(new ConfigFinding(name, n, e.getMessage(), "give " + k.type().expected()));
      }
    }
    return new ConfigFile(file, entries, problems);
  }

  /** The file read, or empty when there is none. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  public Optional<Entry> entry(ConfigKey key) {
    return Optional.ofNullable(entries.get(key.name()));
  }

  /** Every problem of the text, in line order. */
  public List<ConfigFinding> problems() {
    return problems;
  }

  /** Refuses a file with problems, naming every one with its line. */
  public ConfigFile requireValid() {
    if (!problems.isEmpty()) {
      StringBuilder b = new StringBuilder("the configuration " + path + " is not valid: ");
      for (int i = 0; i < problems.size(); i++) {
        b.append(i == 0 ? "" : "; ").append(problems.get(i));
      }
      b.append(". Check it with: fiscalctl config check");
      throw new FiscalException(ErrorCode.CONFIG_INVALID, b.toString(), Map.of("file", String.valueOf(path),
          "line", problems.get(0).line(), "key", problems.get(0).key()));
    }
    return this;
  }
}
