package io.fiscald.agent.config;

/** The texts made from the key registry: the commented template and the reference table of docs/CONFIG.md. */
public final class ConfigReference {
  private ConfigReference() {}

  /** A fiscald.conf with every key commented out at its default, each with its documentation. */
  public static String template() {
    StringBuilder b = new StringBuilder("# fiscald.conf: key = value lines; # starts a comment.\n"
        + "# Every key is optional; a commented key shows its default. Reference: docs/CONFIG.md\n"
        + "# Secrets never go in this file: give them in their environment variable or a 0600 key file.\n");
    for (ConfigKey k : ConfigKeys.ALL) {
      b.append("\n# ").append(k.doc().replace("`", "")).append('\n');
      if (k.secret()) {
        b.append("# secret: $").append(k.envVar()).append(", or the file named by ").append(k.fileKey())
            .append('\n');
        continue;
      }
      b.append("# ").append(k.type().expected());
      if (k.envVar() != null) {
        b.append("; environment: $").append(k.envVar());
      }
      b.append('\n').append("#").append(k.name()).append(" = ")
          .append(k.defaultValue() == null ? "" : k.defaultValue()).append('\n');
    }
    return b.toString();
  }

  /** The Markdown table of every key, as docs/CONFIG.md carries it between its markers. */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder("| key | type | default | environment | what it does |\n"
        + "| --- | --- | --- | --- | --- |\n");
    for (ConfigKey k : ConfigKeys.ALL) {
      b.append("| `").append(k.name()).append("` | ").append(k.secret() ? "secret" : k.type().name().toLowerCase(
          java.util.Locale.ROOT)).append(" | ").append(k.defaultValue() == null ? "" : "`" + k.defaultValue() + "`")
          .append(" | ").append(k.envVar() == null ? "" : "`" + k.envVar() + "`").append(" | ")
          .append(k.secret() ? "**Secret** (environment or `" + k.fileKey() + "` only). " : "").append(k.doc())
          .append(" |\n");
    }
    return b.toString();
  }
}
